import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../agents/policy/index.js';
import {
  entropyNumber,
  klFull,
  klK3,
  klK3Number,
  ppoClipLossNumber,
  ppoClipObjectiveNumber,
  ppoLoss,
  ppoLossNumbers,
  resolvePpoLossConfig,
} from '../../../trainer/losses/ppo.js';
import { sftLoss } from '../../../trainer/losses/sft.js';
import { Rng } from '../../../envs/core/rng.js';

const EPS = { clipLow: 0.2, clipHigh: 0.2, dualClip: 3 };

describe('PPO-clip per-row twin (hand-computed)', () => {
  it('clips a large ratio for a positive advantage: ratio 1.5, A=+1, ε=0.2 → 1.2', () => {
    expect(ppoClipObjectiveNumber(1.5, 1, EPS)).toBeCloseTo(1.2, 12);
    expect(ppoClipLossNumber(1.5, 1, EPS)).toBeCloseTo(-1.2, 12);
  });

  it('does not clip a small ratio for a positive advantage (pessimistic min): ratio 0.5, A=+1 → 0.5', () => {
    expect(ppoClipObjectiveNumber(0.5, 1, EPS)).toBeCloseTo(0.5, 12);
  });

  it('dual-clips a huge ratio for a negative advantage: ratio 5, A=−1 → −3', () => {
    // l1 = 5, l2 = 1.2, max = 5, dual bound −A·c = 3 → 3.
    expect(ppoClipObjectiveNumber(5, -1, EPS)).toBeCloseTo(-3, 12);
  });

  it('keeps the standard branch under the dual bound: ratio 2, A=−1 → −2', () => {
    expect(ppoClipObjectiveNumber(2, -1, EPS)).toBeCloseTo(-2, 12);
  });

  it('clips a small ratio for a negative advantage: ratio 0.5, A=−1 → −0.8', () => {
    expect(ppoClipObjectiveNumber(0.5, -1, EPS)).toBeCloseTo(-0.8, 12);
  });

  it('uses separate ε low and high: ratio 1.5, A=+2, ε_high 0.28 → 2.56', () => {
    expect(ppoClipObjectiveNumber(1.5, 2, { clipLow: 0.2, clipHigh: 0.28, dualClip: 3 })).toBeCloseTo(2.56, 12);
    expect(ppoClipObjectiveNumber(0.5, -2, { clipLow: 0.1, clipHigh: 0.28, dualClip: 3 })).toBeCloseTo(-1.8, 12);
  });

  it('is the plain ratio·A inside the trust region', () => {
    expect(ppoClipObjectiveNumber(1.1, 0.5, EPS)).toBeCloseTo(0.55, 12);
    expect(ppoClipObjectiveNumber(1, -3, EPS)).toBeCloseTo(-3, 12);
  });
});

describe('KL k3 and entropy twins (hand-computed)', () => {
  it('k3 on the chosen action: π=0.5, π_ref=0.25 → 0.5 + ln2 − 1', () => {
    expect(klK3Number(Math.log(0.5), Math.log(0.25))).toBeCloseTo(0.5 + Math.log(2) - 1, 12);
    expect(klK3Number(Math.log(0.3), Math.log(0.3))).toBe(0);
  });

  it('clamps k3 at 10', () => {
    expect(klK3Number(-20, 0)).toBe(10);
  });

  it('entropy of a uniform distribution over 4 is ln 4', () => {
    expect(entropyNumber([0.25, 0.25, 0.25, 0.25].map(Math.log))).toBeCloseTo(Math.log(4), 12);
  });

  it('the whole PPO loss over rows, by hand', () => {
    // Row 1: ratio 1.5, A=+1 → −1.2 (clipped). Row 2: ratio 5, A=−1 → 3 (dual). pg = 0.9.
    const logpOld = [Math.log(0.2), Math.log(0.1)];
    const logp = [Math.log(0.3), Math.log(0.5)];
    const out = ppoLossNumbers({ logp, logpOld, advantages: [1, -1], logpRef: logp, entropy: [1, 2] }, { klCoef: 0.01, entropyCoef: 0.001 });
    expect(out.pgLoss).toBeCloseTo(0.9, 12);
    expect(out.kl).toBe(0);
    expect(out.entropy).toBe(1.5);
    expect(out.loss).toBeCloseTo(0.9 - 0.0015, 12);
    expect(out.clipFrac).toBe(0.5);
    expect(out.dualClipFrac).toBe(0.5);
  });

  it('validates the config', () => {
    expect(() => resolvePpoLossConfig({ dualClip: 1 })).toThrow(/dualClip must be > 1/);
    expect(() => resolvePpoLossConfig({ clipLow: 1 })).toThrow(/clipLow/);
  });
});

describe('tf losses match the twins (on wasm)', () => {
  beforeAll(async () => {
    await selectBackend();
  });

  it('ppoLoss equals ppoLossNumbers on random rows', () => {
    const rng = new Rng(5);
    const n = 64;
    const logp = Array.from({ length: n }, () => Math.log(0.05 + rng.next() * 0.9));
    const logpOld = Array.from({ length: n }, () => Math.log(0.05 + rng.next() * 0.9));
    const logpRef = Array.from({ length: n }, () => Math.log(0.05 + rng.next() * 0.9));
    const advantages = Array.from({ length: n }, () => rng.next() * 4 - 2);
    const entropy = Array.from({ length: n }, () => rng.next() * 2);
    const cfg = { clipLow: 0.2, clipHigh: 0.28, dualClip: 3, klCoef: 0.05, entropyCoef: 0.01 };
    const want = ppoLossNumbers({ logp, logpOld, logpRef, advantages, entropy }, cfg);
    tf.tidy(() => {
      const { loss, stats } = ppoLoss(
        {
          logp: tf.tensor1d(logp),
          logpOld: tf.tensor1d(logpOld),
          logpRef: tf.tensor1d(logpRef),
          advantages: tf.tensor1d(advantages),
          entropy: tf.tensor1d(entropy),
        },
        cfg,
      );
      expect(loss.dataSync()[0]).toBeCloseTo(want.loss, 4);
      expect(stats.pgLoss.dataSync()[0]).toBeCloseTo(want.pgLoss, 4);
      expect(stats.kl.dataSync()[0]).toBeCloseTo(want.kl, 4);
      expect(stats.entropy.dataSync()[0]).toBeCloseTo(want.entropy, 4);
      expect(stats.clipFrac.dataSync()[0]).toBeCloseTo(want.clipFrac, 6);
      expect(stats.dualClipFrac.dataSync()[0]).toBeCloseTo(want.dualClipFrac, 6);
      expect(stats.approxKl.dataSync()[0]).toBeCloseTo(want.approxKl, 4);
    });
  });

  it('the hand-computed rows, through tf, with row weights', () => {
    tf.tidy(() => {
      const { stats } = ppoLoss(
        {
          logp: tf.tensor1d([Math.log(0.3), Math.log(0.5), 0]),
          logpOld: tf.tensor1d([Math.log(0.2), Math.log(0.1), 0]),
          advantages: tf.tensor1d([1, -1, 100]),
          weights: tf.tensor1d([1, 1, 0]),
        },
        { klCoef: 0, entropyCoef: 0 },
      );
      expect(stats.pgLoss.dataSync()[0]).toBeCloseTo(0.9, 5);
    });
  });

  it('klK3 and klFull', () => {
    tf.tidy(() => {
      expect(klK3(tf.tensor1d([Math.log(0.5)]), tf.tensor1d([Math.log(0.25)])).dataSync()[0]).toBeCloseTo(0.5 + Math.log(2) - 1, 5);
      // KL([0.5, 0.5] ‖ [0.25, 0.75]) = 0.5 ln2 + 0.5 ln(2/3); padding slot masked out.
      const lp = tf.tensor2d([[Math.log(0.5), Math.log(0.5), -1e9]]);
      const ref = tf.tensor2d([[Math.log(0.25), Math.log(0.75), -1e9]]);
      const mask = tf.tensor2d([[1, 1, 0]]);
      expect(klFull(lp, ref, mask).dataSync()[0]).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 5);
    });
  });

  it('requires a reference for the KL term and entropy for the bonus', () => {
    const base = { logp: tf.tensor1d([0]), logpOld: tf.tensor1d([0]), advantages: tf.tensor1d([1]) };
    expect(() => ppoLoss(base, { entropyCoef: 0 })).toThrow(/needs logpRef/);
    expect(() => ppoLoss(base, { klCoef: 0 })).toThrow(/needs entropy/);
    tf.dispose(Object.values(base));
  });

  it('sftLoss is the mean negative log-likelihood', () => {
    tf.tidy(() => {
      expect(sftLoss(tf.tensor1d([Math.log(0.5), Math.log(0.25)])).dataSync()[0]).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 5);
    });
  });
});
