/**
 * Stage 3b: DPO on the speaker. The reference is the speaker as it was when the pairs were made
 * (its log-probabilities travel with each pair), so it is frozen by construction. Each step scores
 * a minibatch of pair contexts once and reads both utterances' log-probabilities from it; Adam with
 * global-norm clipping (agents/policy/optimizer.ts) applies the update.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActionScorer } from '../../agents/policy/model.js';
import { AdamClip } from '../../agents/policy/optimizer.js';
import { Rng } from '../../envs/core/rng.js';
import type { DpoPair } from './alignment-pairs.js';
import { dpoLoss } from './dpo-loss.js';

export interface DpoOptions {
  beta: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  maxGradNorm: number;
  seed: number;
}

export interface DpoStats {
  steps: number;
  /** Mean loss of the first and the last epoch. */
  firstLoss: number;
  lastLoss: number;
  /** Last epoch: fraction of pairs whose chosen utterance gained more than the rejected one, and mean β·h. */
  accuracy: number;
  margin: number;
}

export function trainDpo(speaker: ActionScorer, pairs: readonly DpoPair[], options: DpoOptions): DpoStats {
  const stats: DpoStats = { steps: 0, firstLoss: NaN, lastLoss: NaN, accuracy: NaN, margin: NaN };
  if (pairs.length === 0) return stats;
  const optimizer = new AdamClip({ lr: options.learningRate, maxGradNorm: options.maxGradNorm });
  const rng = new Rng(`lspo/dpo/${options.seed}`);
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = rng.shuffle(pairs);
      let loss = 0;
      let accuracy = 0;
      let margin = 0;
      for (let s = 0; s < order.length; s += options.batchSize) {
        const batch = order.slice(s, s + options.batchSize);
        const enc = speaker.encode(batch.map((p) => p.input));
        const K = enc.features.maxCandidates;
        const chosen = new Float32Array(batch.length * K);
        const rejected = new Float32Array(batch.length * K);
        batch.forEach((p, b) => {
          chosen[b * K + p.chosen] = 1;
          rejected[b * K + p.rejected] = 1;
        });
        const step = optimizer.step(() => {
          const { logProbs } = speaker.forward(enc);
          const pick = (mask: Float32Array) => tf.sum(tf.mul(logProbs, tf.tensor2d(mask, [batch.length, K])), 1) as tf.Tensor1D;
          return dpoLoss({
            policyChosen: pick(chosen),
            policyRejected: pick(rejected),
            refChosen: tf.tensor1d(batch.map((p) => p.refChosen)),
            refRejected: tf.tensor1d(batch.map((p) => p.refRejected)),
            labels: tf.tensor1d(batch.map((p) => p.label)),
            beta: options.beta,
          });
        }, speaker.trainableVariables());
        stats.steps++;
        loss += step.loss * batch.length;
        accuracy += (step.stats.accuracy ?? 0) * batch.length;
        margin += (step.stats.margin ?? 0) * batch.length;
      }
      if (epoch === 0) stats.firstLoss = loss / order.length;
      stats.lastLoss = loss / order.length;
      stats.accuracy = accuracy / order.length;
      stats.margin = margin / order.length;
    }
  } finally {
    optimizer.dispose();
  }
  return stats;
}
