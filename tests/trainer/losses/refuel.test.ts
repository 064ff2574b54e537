import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../agents/policy/index.js';
import { refuelLoss, refuelLossNumbers, refuelTargets } from '../../../trainer/losses/refuel.js';

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
});

describe('REFUEL targets and loss (hand-computed)', () => {
  it('targets are η·(R¹ − R²)', () => {
    expect(Array.from(refuelTargets([1, 0, 1], [0, 1, 1], 2))).toEqual([2, -2, 0]);
    expect(() => refuelTargets([1], [0], 0)).toThrow(/eta must be a positive number/);
    expect(() => refuelTargets([1], [0, 1], 1)).toThrow(/1 first returns but 2 second returns/);
  });

  it('is the mean squared residual of (Δ log-ratio − η·ΔR)', () => {
    // pair 1: log-ratios +0.2 and −0.1 → gap 0.3; target 1 → residual −0.7 → 0.49
    // pair 2: log-ratios 0 and +0.5 → gap −0.5; target −1 → residual 0.5 → 0.25
    // pair 3: unchanged policy, target 0 → 0
    const pairs = {
      logpA: [Math.log(0.5) + 0.2, Math.log(0.3), Math.log(0.2)],
      logpOldA: [Math.log(0.5), Math.log(0.3), Math.log(0.2)],
      logpB: [Math.log(0.25) - 0.1, Math.log(0.4) + 0.5, Math.log(0.6)],
      logpOldB: [Math.log(0.25), Math.log(0.4), Math.log(0.6)],
      target: [1, -1, 0],
    };
    expect(refuelLossNumbers(pairs)).toBeCloseTo((0.49 + 0.25 + 0) / 3, 12);
    // at π_θ = π_old the residual is −η·ΔR (the first update of an iteration)
    expect(refuelLossNumbers({ ...pairs, logpA: pairs.logpOldA, logpB: pairs.logpOldB })).toBeCloseTo((1 + 1 + 0) / 3, 12);

    const t = (xs: number[]) => tf.tensor1d(xs);
    const { loss, stats } = refuelLoss({ logpA: t(pairs.logpA), logpB: t(pairs.logpB), logpOldA: t(pairs.logpOldA), logpOldB: t(pairs.logpOldB), target: t(pairs.target) });
    expect(loss.dataSync()[0]).toBeCloseTo((0.49 + 0.25) / 3, 5);
    expect(stats.residual.dataSync()[0]).toBeCloseTo((0.7 + 0.5 + 0) / 3, 5);
    expect(stats.logRatioGap.dataSync()[0]).toBeCloseTo((0.3 + 0.5 + 0) / 3, 5);
  });

  it('has the gradient 2·residual/P on log π_θ(a¹) and its negative on log π_θ(a²)', () => {
    const logpA = tf.variable(tf.tensor1d([-1, -2]));
    const logpB = tf.variable(tf.tensor1d([-1.5, -0.5]));
    const old = tf.tensor1d([-1, -2]);
    const oldB = tf.tensor1d([-1.5, -0.5]);
    const target = tf.tensor1d([0.4, -0.2]);
    const { grads } = tf.variableGrads(() => refuelLoss({ logpA, logpB, logpOldA: old, logpOldB: oldB, target }).loss, [logpA, logpB]);
    // residual = 0 − target = [−0.4, 0.2]; d/dlogpA = 2·r/2 = r; d/dlogpB = −r
    expect(Array.from(grads[logpA.name]!.dataSync())).toEqual([-0.4, 0.2].map(Math.fround));
    expect(Array.from(grads[logpB.name]!.dataSync())).toEqual([0.4, -0.2].map(Math.fround));
  });
});
