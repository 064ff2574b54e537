/**
 * Tensor ops the transformer needs, shaped for the wasm backend (tfjs 4.22).
 *
 * - `matMul2d(a, b)`: a 2-D product whose gradient transposes explicitly. On wasm only plain 2-D
 *   products run on XNNPACK: a transposed product runs ~8x slower, and BatchMatMul with a batch
 *   dimension ~6x slower (and slicing a batch apart copies the whole input once per slice). So the
 *   attention of one sequence is computed head by head as 2-D products; only decoding several
 *   sequences at once (one query row each, memory-bound) uses the batched kernel.
 * - `rmsNorm(x, gain)`: x / sqrt(mean(x²) + ε) · gain over the last axis.
 * - `silu(x)`: x · σ(x).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMulFast } from '../policy/sparse-ops.js';

/** a · b for 2-D tensors; the gradient uses explicit transposes (XNNPACK both ways). */
export const matMul2d: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D = matMulFast;

/** RMSNorm over the last axis. */
export function rmsNorm<T extends tf.Tensor>(x: T, gain: tf.Tensor1D, eps: number): T {
  const inv = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps));
  return tf.mul(tf.mul(x, inv), gain);
}

/** x · σ(x). */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x));
}
