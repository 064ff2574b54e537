/**
 * Faster `Slice` and `SplitV` kernels for the wasm backend, registered when a language model is
 * built (the tfjs kernels give the same values).
 *
 * tfjs-backend-wasm 4.22 reads a slice's input with `readSync`, which copies the whole input out of
 * the wasm heap, so cutting a tensor into k parts costs k copies of all of it. The transformer cuts
 * every layer's q/k/v projection into heads and its caches into rows; these kernels copy only the
 * slice, reading the input where it sits on the heap.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** What the wasm backend object offers to a kernel (a subset of `BackendWasm`). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = (out[i + 1] as number) * (shape[i + 1] as number);
  return out;
}

/** Copies the box [begin, begin+size) of x into a new output. */
function sliceOnHeap(backend: WasmHeapBackend, x: tf.TensorInfo, begin: readonly number[], size: readonly number[]): tf.TensorInfo {
  const out = backend.makeOutput([...size], x.dtype); // allocate first: growing the heap invalidates earlier views
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0) {
    dst[0] = src[0] as number;
    return out;
  }
  const xs = strides(x.shape);
  // The innermost run of contiguous elements: trailing axes taken whole.
  let inner = rank - 1;
  let run = size[inner] as number;
  while (inner > 0 && size[inner] === x.shape[inner] && begin[inner] === 0) {
    inner -= 1;
    run *= size[inner] as number;
  }
  const outer = size.slice(0, inner);
  const idx = new Array<number>(outer.length).fill(0);
  let base = 0;
  for (let a = 0; a <= inner; a++) base += (begin[a] as number) * (xs[a] as number);
  const runs = total / run;
  let o = 0;
  for (let r = 0; r < runs; r++) {
    let offset = base;
    for (let a = 0; a < outer.length; a++) offset += (idx[a] as number) * (xs[a] as number);
    dst.set(src.subarray(offset, offset + run), o);
    o += run;
    for (let a = outer.length - 1; a >= 0; a--) {
      idx[a] = (idx[a] as number) + 1;
      if ((idx[a] as number) < (outer[a] as number)) break;
      idx[a] = 0;
    }
  }
  return out;
}

function sliceKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  const attrs = args.attrs as { begin: number | number[]; size: number | number[] };
  const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, attrs.begin, attrs.size);
  return sliceOnHeap(args.backend as WasmHeapBackend, x, begin, size);
}

function splitKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const x = args.inputs['x'] as tf.TensorInfo;
  const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0] as number;
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const out = sliceOnHeap(args.backend as WasmHeapBackend, x, begin, size);
    begin[axis] = (begin[axis] as number) + s;
    return out;
  });
}

let registered = false;

/** Replaces wasm's Slice and SplitV with the heap-reading versions (idempotent; only on wasm). */
export function registerFastSliceKernels(): boolean {
  if (registered || tf.getBackend() !== 'wasm') return false;
  for (const [name, fn] of [
    ['Slice', sliceKernel],
    ['SplitV', splitKernel],
  ] as const) {
    if (tf.getKernel(name, 'wasm') !== undefined) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
  }
  registered = true;
  return true;
}
