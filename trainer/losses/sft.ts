/**
 * The SFT loss: cross-entropy on demonstrated actions (the warm start and `--algo sft`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { weightedMean } from './ppo.js';

/** The mean negative log-likelihood of the demonstrated action. */
export function sftLoss(logp: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  return tf.neg(weightedMean(logp, weights)) as tf.Scalar;
}
