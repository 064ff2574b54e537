/**
 * Differentiable sparse row ops built on the native `SparseSegmentSum` kernel (wasm, cpu and
 * tfjs-node all have it), each wrapped in `tf.customGrad` so no missing gradient is hit:
 *
 * - `segmentGatherSum(x, spec)`: out[s] = scale[s] · Σ_{k: segment[k] = s} x[index[k]].
 *   Its gradient is the same op transposed: dx[i] = Σ_{k: index[k] = i} scale[segment[k]] · dy[segment[k]],
 *   i.e. `SparseSegmentSum` over the entries re-sorted by index (a counting sort in JS).
 * - `embeddingBag(table, rows)`: the sparse embedding lookup of CSR rows (an encoder's first layer).
 * - `gatherRows(x, index)`: x[index[i]] per output row (broadcasts a session's context to its candidates).
 * - `matMulFast(a, b)`: matMul whose gradient transposes explicitly.
 *
 * Why: on wasm (tfjs 4.22) `gather` costs ~36 ns per element and its gradient needs
 * `UnsortedSegmentSum`, which wasm lacks; a transposed `matMul` misses XNNPACK and runs ~8x slower;
 * and a dense first layer would cost rows x dim x hidden where the features have ~20-300
 * non-zeros per row. `SparseSegmentSum` does the bag in nnz x hidden, natively.
 * @module
 */

import * as tf from '@tensorflow/tfjs-core';
import type { SparseRows } from './featurizer.js';

export interface SegmentSpec {
  /** Row of x that each entry reads (in [0, x rows)). */
  index: Int32Array;
  /** Output row of each entry; non-decreasing. */
  segment: Int32Array;
  /** Rows of the output (segments without entries are zero). */
  numSegments: number;
  /** Optional scale per output row. */
  scale?: Float32Array;
}

type CustomForward = Parameters<typeof tf.customGrad<tf.Tensor2D>>[0];

/** SparseSegmentSum with exactly `numRows` output rows (the kernel stops at the last used segment). */
function segmentSum(data: tf.Tensor2D, index: Int32Array, segment: Int32Array, numRows: number): tf.Tensor2D {
  const width = data.shape[1];
  if (index.length === 0) return tf.zeros([numRows, width]);
  const out = tf.sparse.sparseSegmentSum(data, tf.tensor1d(index, 'int32'), tf.tensor1d(segment, 'int32')) as tf.Tensor2D;
  const have = out.shape[0];
  if (have === numRows) return out;
  return tf.concat([out, tf.zeros([numRows - have, width])], 0);
}

/** Entries re-sorted by `index` (stable counting sort): their segments, and the sorted indices. */
function sortByIndex(index: Int32Array, segment: Int32Array, numIndex: number): { seg: Int32Array; idx: Int32Array } {
  const count = new Int32Array(numIndex + 1);
  for (let k = 0; k < index.length; k++) count[(index[k] as number) + 1]++;
  for (let i = 0; i < numIndex; i++) count[i + 1] += count[i] as number;
  const seg = new Int32Array(index.length);
  const idx = new Int32Array(index.length);
  for (let k = 0; k < index.length; k++) {
    const i = index[k] as number;
    const pos = count[i]++ as number;
    seg[pos] = segment[k] as number;
    idx[pos] = i;
  }
  return { seg, idx };
}

/** out[s] = scale[s] · Σ_{k: segment[k] = s} x[index[k]]; differentiable in x. */
export function segmentGatherSum(x: tf.Tensor2D, spec: SegmentSpec): tf.Tensor2D {
  const numX = x.shape[0];
  const { index, segment, numSegments, scale } = spec;
  const forward = (t: tf.Tensor2D): { value: tf.Tensor2D; gradFunc: (dy: tf.Tensor2D) => tf.Tensor2D } => {
    const summed = segmentSum(t, index, segment, numSegments);
    const value = scale === undefined ? summed : (tf.mul(summed, tf.tensor2d(scale, [numSegments, 1])) as tf.Tensor2D);
    const gradFunc = (dy: tf.Tensor2D): tf.Tensor2D => {
      const g = scale === undefined ? dy : (tf.mul(dy, tf.tensor2d(scale, [numSegments, 1])) as tf.Tensor2D);
      const byIndex = sortByIndex(index, segment, numX);
      return segmentSum(g, byIndex.seg, byIndex.idx, numX);
    };
    return { value, gradFunc };
  };
  return tf.customGrad(forward as unknown as CustomForward)(x);
}

/**
 * The embedding bag of CSR rows: out[r] = Σ_k values[k] · table[indices[k]].
 * Rows must have uniform values (each row's entries share one weight; repeated features appear
 * repeatedly), which is what the Featurizer emits; other rows take a slower JS path.
 */
export function embeddingBag(table: tf.Tensor2D, rows: SparseRows): tf.Tensor2D {
  const { indptr, indices, values } = rows;
  const n = rows.rows;
  const segment = new Int32Array(indices.length);
  const scale = new Float32Array(n);
  let uniform = true;
  for (let r = 0; r < n; r++) {
    const start = indptr[r] as number;
    const end = indptr[r + 1] as number;
    scale[r] = end > start ? (values[start] as number) : 0;
    for (let k = start; k < end; k++) {
      segment[k] = r;
      if (values[k] !== scale[r]) uniform = false;
    }
  }
  if (uniform) return segmentGatherSum(table, { index: indices, segment, numSegments: n, scale });
  return embeddingBagJs(table, rows);
}

/** x[index[i]] for each i: [index.length, width]; differentiable in x. */
export function gatherRows(x: tf.Tensor2D, index: Int32Array): tf.Tensor2D {
  const segment = new Int32Array(index.length);
  for (let i = 0; i < segment.length; i++) segment[i] = i;
  return segmentGatherSum(x, { index, segment, numSegments: index.length });
}

/** The embedding bag with arbitrary per-entry weights, as two JS loops (nnz x width each way). */
export function embeddingBagJs(table: tf.Tensor2D, rows: SparseRows): tf.Tensor2D {
  const [dim, hidden] = table.shape;
  const { indptr, indices, values } = rows;
  const nRows = rows.rows;
  const forward = (t: tf.Tensor): { value: tf.Tensor2D; gradFunc: (dy: tf.Tensor) => tf.Tensor } => {
    const E = t.dataSync() as Float32Array;
    const out = new Float32Array(nRows * hidden);
    for (let r = 0; r < nRows; r++) {
      const o = r * hidden;
      const end = indptr[r + 1] as number;
      for (let k = indptr[r] as number; k < end; k++) {
        const base = (indices[k] as number) * hidden;
        const v = values[k] as number;
        for (let j = 0; j < hidden; j++) out[o + j] += v * (E[base + j] as number);
      }
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const g = dy.dataSync() as Float32Array;
      const dE = new Float32Array(dim * hidden);
      for (let r = 0; r < nRows; r++) {
        const o = r * hidden;
        const end = indptr[r + 1] as number;
        for (let k = indptr[r] as number; k < end; k++) {
          const base = (indices[k] as number) * hidden;
          const v = values[k] as number;
          for (let j = 0; j < hidden; j++) dE[base + j] += v * (g[o + j] as number);
        }
      }
      return tf.tensor2d(dE, [dim, hidden]);
    };
    return { value: tf.tensor2d(out, [nRows, hidden]), gradFunc };
  };
  return tf.customGrad(forward as unknown as CustomForward)(table);
}

/**
 * a · b for 2-D tensors, with a gradient that transposes explicitly: on wasm a transposed
 * `matMul` misses XNNPACK and runs ~8x slower than transpose + plain `matMul`.
 */
export function matMulFast(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const forward = (
    x: tf.Tensor2D,
    y: tf.Tensor2D,
    save: tf.GradSaveFunc,
  ): { value: tf.Tensor2D; gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => tf.Tensor[] } => {
    save([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy, saved) => {
        const [sx, sy] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [tf.matMul(dy, tf.transpose(sy)), tf.matMul(tf.transpose(sx), dy)];
      },
    };
  };
  return tf.customGrad(forward as unknown as CustomForward)(a, b);
}
