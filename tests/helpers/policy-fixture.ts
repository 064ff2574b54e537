/**
 * A small tfjs policy for the serve-policy and LLM agent tests: seeded initial weights with the
 * output kernel (and the pair features) scaled up, so its preferences are clear rather than the
 * near-uniform start of training (greedy choices are then far from ties).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../agents/policy/backend.js';
import { ActionScorer } from '../../agents/policy/model.js';

export async function decisivePolicy(seed = 7): Promise<ActionScorer> {
  await selectBackend();
  const scorer = ActionScorer.create({ featurizer: { dim: 512, historyLength: 2 }, hidden: 16, mlpHidden: 16, seed });
  const weights = scorer.getWeights();
  const scaled = weights.map((w) => {
    if (w.name === 'score/out_kernel') return { name: w.name, tensor: tf.mul(w.tensor, 150) };
    if (w.name === 'score/pair_kernel') return { name: w.name, tensor: tf.tensor2d([[2], [1], [-3], [-1.5], [0]]) };
    return w;
  });
  scorer.setWeights(scaled);
  for (const w of [...weights, ...scaled]) w.tensor.dispose();
  return scorer;
}
