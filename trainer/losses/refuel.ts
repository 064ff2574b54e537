/**
 * The REFUEL loss (docs/algorithms.md, "REFUEL"): for each pair of continuations branched from one
 * state s_h, regress the difference of the two turn-h log-ratios onto η times the difference of
 * their returns:
 *
 *   Δ = (log π_θ(a¹|s_h) − log π_old(a¹|s_h)) − (log π_θ(a²|s_h) − log π_old(a²|s_h))
 *   L = mean over pairs of (Δ − η·(R¹ − R²))²
 *
 * Only the turn-h decisions carry gradient; the rest of each continuation only produced its return.
 * The targets η·(R¹ − R²) are computed once per iteration ({@link refuelTargets}); pairs are
 * independent (no group normalisation), so the scale of R is absorbed by η.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** η·(R¹ − R²) per pair. */
export function refuelTargets(returnsA: ArrayLike<number>, returnsB: ArrayLike<number>, eta: number): Float64Array {
  if (returnsA.length !== returnsB.length) throw new RangeError(`refuelTargets: ${returnsA.length} first returns but ${returnsB.length} second returns.`);
  if (!(eta > 0) || !Number.isFinite(eta)) throw new RangeError(`refuelTargets: eta must be a positive number, got ${eta}.`);
  const out = new Float64Array(returnsA.length);
  for (let i = 0; i < out.length; i++) out[i] = eta * ((returnsA[i] as number) - (returnsB[i] as number));
  return out;
}

export interface RefuelLossInputs {
  /** [P] log π_θ of each pair's first / second turn-h action, with gradient. */
  logpA: tf.Tensor1D;
  logpB: tf.Tensor1D;
  /** [P] log π_old of the same actions, constant. */
  logpOldA: tf.Tensor1D;
  logpOldB: tf.Tensor1D;
  /** [P] η·(R¹ − R²). */
  target: tf.Tensor1D;
}

/** The squared regression loss and its mean absolute residual (for logging). */
export function refuelLoss(inputs: RefuelLossInputs): { loss: tf.Scalar; stats: { residual: tf.Scalar; logRatioGap: tf.Scalar } } {
  const gap = tf.sub(tf.sub(inputs.logpA, inputs.logpOldA), tf.sub(inputs.logpB, inputs.logpOldB)) as tf.Tensor1D;
  const residual = tf.sub(gap, inputs.target);
  return {
    loss: tf.mean(tf.square(residual)) as tf.Scalar,
    stats: { residual: tf.mean(tf.abs(residual)) as tf.Scalar, logRatioGap: tf.mean(tf.abs(gap)) as tf.Scalar },
  };
}

/** The same loss in plain numbers (float64), for hand-computed tests. */
export function refuelLossNumbers(pairs: {
  logpA: readonly number[];
  logpB: readonly number[];
  logpOldA: readonly number[];
  logpOldB: readonly number[];
  target: readonly number[];
}): number {
  const n = pairs.logpA.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const gap = ((pairs.logpA[i] as number) - (pairs.logpOldA[i] as number)) - ((pairs.logpB[i] as number) - (pairs.logpOldB[i] as number));
    sum += (gap - (pairs.target[i] as number)) ** 2;
  }
  return sum / n;
}
