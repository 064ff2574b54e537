import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../agents/policy/index.js';
import { dpoLoss, dpoLossNumbers } from '../../../trainer/lspo/dpo-loss.js';

// β = 0.5; chosen: log π = −1, log π_ref = −1.2; rejected: log π = −2, log π_ref = −1.5.
// h = (−1 + 1.2) − (−2 + 1.5) = 0.7; β·h = 0.35.
const ROW = { policyChosen: -1, refChosen: -1.2, policyRejected: -2, refRejected: -1.5 };
const LOSS_P1 = Math.log(1 + Math.exp(-0.35)); // −log σ(0.35) = 0.533382155418777
const LOSS_P08 = LOSS_P1 + 0.2 * 0.35; // −0.8·log σ(z) − 0.2·log σ(−z) = −log σ(z) + 0.2·z

describe('DPO loss (hand-computed)', () => {
  it('standard DPO: −log σ(β·h)', () => {
    expect(LOSS_P1).toBeCloseTo(0.533382155418777, 12);
    expect(dpoLossNumbers([ROW], 0.5).loss).toBeCloseTo(LOSS_P1, 12);
  });

  it('a soft label p mixes both directions; h = 0 costs log 2 whatever p', () => {
    expect(dpoLossNumbers([{ ...ROW, label: 0.8 }], 0.5).loss).toBeCloseTo(LOSS_P08, 12);
    expect(dpoLossNumbers([{ policyChosen: -0.5, refChosen: -0.5, policyRejected: -0.7, refRejected: -0.7, label: 0.3 }], 2).loss).toBeCloseTo(Math.log(2), 12);
    expect(dpoLossNumbers([ROW, { policyChosen: 0, refChosen: 0, policyRejected: 0, refRejected: 0 }], 0.5).loss).toBeCloseTo((LOSS_P1 + Math.log(2)) / 2, 12);
  });

  it('the minimiser of the soft loss sets β·h to the label logit', () => {
    const at = (z: number) => dpoLossNumbers([{ policyChosen: z, refChosen: 0, policyRejected: 0, refRejected: 0, label: 0.8 }], 1).loss;
    const best = Math.log(0.8 / 0.2);
    expect(at(best)).toBeLessThan(at(best - 0.1));
    expect(at(best)).toBeLessThan(at(best + 0.1));
  });

  describe('as tensors', () => {
    beforeAll(async () => {
      await selectBackend();
    });

    it('matches the number twin, and its gradient raises the chosen and lowers the rejected log-probability', () => {
      const rows = [ROW, { policyChosen: -0.3, refChosen: -0.1, policyRejected: -0.4, refRejected: -0.9, label: 0.7 }];
      const pc = tf.tensor1d(rows.map((r) => r.policyChosen));
      const pr = tf.tensor1d(rows.map((r) => r.policyRejected));
      const f = (a: tf.Tensor1D, b: tf.Tensor1D) =>
        dpoLoss({ policyChosen: a, policyRejected: b, refChosen: tf.tensor1d(rows.map((r) => r.refChosen)), refRejected: tf.tensor1d(rows.map((r) => r.refRejected)), labels: tf.tensor1d([1, 0.7]), beta: 0.5 }).loss;
      expect(f(pc, pr).dataSync()[0]).toBeCloseTo(dpoLossNumbers(rows, 0.5).loss, 5);
      const [gc, gr] = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor1D, b as tf.Tensor1D))([pc, pr]);
      expect(gc!.dataSync()[0]).toBeLessThan(0);
      expect(gr!.dataSync()[0]).toBeGreaterThan(0);
      const { stats } = dpoLoss({ policyChosen: pc, policyRejected: pr, refChosen: tf.tensor1d([-1.2, -0.1]), refRejected: tf.tensor1d([-1.5, -0.9]), beta: 0.5 });
      // h = 0.7 and (−0.2) − (0.5) = −0.7: accuracy 1/2, mean β·h 0.
      expect(stats.accuracy.dataSync()[0]).toBeCloseTo(0.5, 6);
      expect(stats.margin.dataSync()[0]).toBeCloseTo(0, 6);
    });
  });
});
