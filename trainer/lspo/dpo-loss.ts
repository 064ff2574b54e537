/**
 * The DPO loss (Rafailov et al. 2023) on one row per preference pair, with an optional soft label:
 *
 *   h = (log π_θ(y_w|x) − log π_ref(y_w|x)) − (log π_θ(y_l|x) − log π_ref(y_l|x))
 *   loss = −[ p · log σ(β·h) + (1 − p) · log σ(−β·h) ]          (p = 1: the standard DPO loss)
 *
 * averaged over rows. With p the Bradley–Terry probability of the pair under a reward r,
 * p = σ(r(y_w) − r(y_l)), the minimiser sets β·h = r(y_w) − r(y_l), i.e. π_θ ∝ π_ref · exp(r / β).
 * `dpoLoss` builds it from tensors (inside an optimizer closure); `dpoLossNumbers` is its
 * plain-number twin, pinned by hand in the tests.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

export interface DpoLossInputs {
  /** [B] log π_θ(y_w | x), with gradient. */
  policyChosen: tf.Tensor1D;
  /** [B] log π_θ(y_l | x), with gradient. */
  policyRejected: tf.Tensor1D;
  /** [B] log π_ref(y_w | x), constant. */
  refChosen: tf.Tensor1D;
  /** [B] log π_ref(y_l | x), constant. */
  refRejected: tf.Tensor1D;
  /** [B] probability that y_w is preferred (default all 1). */
  labels?: tf.Tensor1D;
  beta: number;
}

export type DpoLossStats = {
  /** Fraction of pairs with h > 0 (the chosen utterance gained more than the rejected one). */
  accuracy: tf.Scalar;
  /** Mean β·h. */
  margin: tf.Scalar;
};

/** log σ(x) = −softplus(−x), computed stably with kernels every backend has. */
function logSigmoid(x: tf.Tensor): tf.Tensor {
  // softplus(−x) = max(−x, 0) + log(1 + exp(−|x|))
  return tf.neg(tf.add(tf.relu(tf.neg(x)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(x)))))));
}

export function dpoLoss(inputs: DpoLossInputs): { loss: tf.Scalar; stats: DpoLossStats } {
  const h = tf.sub(tf.sub(inputs.policyChosen, inputs.refChosen), tf.sub(inputs.policyRejected, inputs.refRejected));
  const z = tf.mul(h, inputs.beta);
  const p = inputs.labels ?? tf.onesLike(z);
  const perRow = tf.neg(tf.add(tf.mul(p, logSigmoid(z)), tf.mul(tf.sub(1, p), logSigmoid(tf.neg(z)))));
  return {
    loss: tf.mean(perRow) as tf.Scalar,
    stats: { accuracy: tf.mean(tf.cast(tf.greater(h, 0), 'float32')) as tf.Scalar, margin: tf.mean(z) as tf.Scalar },
  };
}

export interface DpoRow {
  policyChosen: number;
  policyRejected: number;
  refChosen: number;
  refRejected: number;
  /** Default 1. */
  label?: number;
}

function logSigmoidNumber(x: number): number {
  return -(Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
}

/** The same loss in plain numbers: the mean over rows, and each row's. */
export function dpoLossNumbers(rows: readonly DpoRow[], beta: number): { loss: number; perRow: number[] } {
  const perRow = rows.map((r) => {
    const z = beta * (r.policyChosen - r.refChosen - (r.policyRejected - r.refRejected));
    const p = r.label ?? 1;
    return -(p * logSigmoidNumber(z) + (1 - p) * logSigmoidNumber(-z));
  });
  return { loss: perRow.reduce((a, b) => a + b, 0) / Math.max(1, perRow.length), perRow };
}
