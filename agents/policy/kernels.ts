/**
 * Kernels that a backend lacks but the policy's gradients need, registered at backend selection.
 *
 * wasm (tfjs 4.22) has no `UnsortedSegmentSum`, which is the gradient of `gather` (and what
 * `tf.unsortedSegmentSum` runs). It is a scatter-add; the JS loop below works straight on the wasm
 * heap and is cheap at the policy's sizes (rows x hidden).
 * @module
 */

import * as tf from '@tensorflow/tfjs-core';

/** What the wasm backend object offers to a kernel (a subset of `BackendWasm`). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const x = args.inputs['x'] as tf.TensorInfo;
  const segmentIds = args.inputs['segmentIds'] as tf.TensorInfo;
  const numSegments = Number((args.attrs as { numSegments: number }).numSegments);
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const outShape = [numSegments, ...x.shape.slice(1)];
  // Allocate first: growing the heap invalidates earlier views of it.
  const out = backend.makeOutput(outShape, x.dtype);
  const outVals = backend.typedArrayFromHeap(out);
  outVals.fill(0);
  const xVals = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue; // TensorFlow drops out-of-range ids.
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) outVals[dst + j] += xVals[src + j] as number;
  }
  return out;
}

/** Kernel names this module adds, per backend. */
export const ADDED_KERNELS: Readonly<Record<string, readonly string[]>> = {
  wasm: ['UnsortedSegmentSum'],
};

/**
 * Registers the kernels `backendName` lacks (idempotent). Returns the names it registered now.
 */
export function registerMissingKernels(backendName: string): string[] {
  const added: string[] = [];
  if (backendName === 'wasm' && tf.getKernel('UnsortedSegmentSum', 'wasm') === undefined) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSumWasm as unknown as tf.KernelFunc,
    });
    added.push('UnsortedSegmentSum');
  }
  return added;
}
