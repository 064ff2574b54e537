import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../agents/policy/backend.js';
import { ppoLoss, ppoLossNumbers } from '../../trainer/losses/ppo.js';
import { dpoLossFromTokens, refuelLossFromTokens, sequenceLogprobOf, sequenceLogRatio } from '../../trainer/losses/sequence-log-ratio.js';
import { broadcastAdvantages, gatherPerToken, packTurns, rowSums, scatterPerToken, sequenceMinibatches, type TokenTurn } from '../../trainer/token-batch.js';

beforeAll(async () => {
  await selectBackend();
});

// row 0: prompt [1 2 3], writes [4 5]
// row 1: prompt [1 2 3 4 5 6 7] (extends row 0's sequence), writes [8 9], 9 not trained on (mask 0)
// row 2: prompt [1 6 7] (a prompt cut from the front: a new sequence), writes [10]
const TURNS: TokenTurn[] = [
  { promptIds: [1, 2, 3], ids: [4, 5], mask: [1, 1] },
  { promptIds: [1, 2, 3, 4, 5, 6, 7], ids: [8, 9], mask: [1, 0] },
  { promptIds: [1, 6, 7], ids: [10], mask: [1] },
];

describe('packing turns into sequences', () => {
  it('extends a sequence while prompts extend it, starts anew where one does not; trains only masked completion tokens', () => {
    const seqs = packTurns(TURNS, [[0, 1, 2]], 64);
    expect(seqs).toHaveLength(2);
    expect(Array.from(seqs[0]!.ids)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // token 4 sits at index 3, predicted from position 2; 5 from 3; 8 (index 7) from 6; 9 is masked out
    expect(Array.from(seqs[0]!.positions)).toEqual([2, 3, 6]);
    expect(Array.from(seqs[0]!.row)).toEqual([0, 0, 1]);
    expect(Array.from(seqs[0]!.token)).toEqual([0, 1, 0]);
    expect(Array.from(seqs[1]!.ids)).toEqual([1, 6, 7, 10]);
    expect(Array.from(seqs[1]!.positions)).toEqual([2]);
    expect(() => packTurns(TURNS, [[0]], 4)).toThrow(/more than the context of 4/);
  });

  it('broadcasts each turn\'s advantage over its trained tokens, and moves per-token values between rows and positions', () => {
    const seqs = packTurns(TURNS, [[0, 1, 2]], 64);
    expect(Array.from(broadcastAdvantages(seqs, [1, -2, 0.5]))).toEqual([1, 1, -2, 0.5]);
    const perRow = [Float32Array.of(-0.5, -0.25), Float32Array.of(-1, -3), Float32Array.of(-2)];
    expect(Array.from(gatherPerToken(seqs, perRow))).toEqual([-0.5, -0.25, -1, -2]);
    const back = TURNS.map((t) => new Float32Array(t.ids.length));
    scatterPerToken(seqs, [-0.5, -0.25, -1, -2], back);
    expect(back.map((r) => Array.from(r))).toEqual([[-0.5, -0.25], [-1, 0], [-2]]);
    // the turn's sequence log-prob sums the masked tokens only (row 1's second token is not an action token)
    expect(Array.from(rowSums(TURNS, perRow))).toEqual([-0.75, -1, -2]);
    expect(sequenceMinibatches(seqs, [1, 0], 10)).toEqual([[1], [0]]);
    expect(sequenceMinibatches(seqs, [1, 0], 13)).toEqual([[1, 0]]);
  });
});

describe('PPO per token, by hand', () => {
  // Turn A (advantage +1) wrote two tokens with ratios 1.5 and 0.9; turn B (advantage −2) one token with ratio 0.5.
  // ε 0.2/0.2, dual clip 3:
  //   A, ρ 1.5: l1 = −1.5, l2 = −1.2 → max −1.2 (clipped)
  //   A, ρ 0.9: l1 = l2 = −0.9
  //   B, ρ 0.5: l1 = 1.0, l2 = 2·0.8 = 1.6 → max 1.6; dual bound 2·3 = 6 → 1.6
  // token-mean: (−1.2 − 0.9 + 1.6) / 3 = −1/6   (a mean per turn would give ((−1.2 − 0.9)/2 + 1.6)/2 = 0.275)
  // k3 KL, β 0.1: tokens 1, 2 at the reference (0); token 3 with log π_ref − log π = ln 2: 2 − ln 2 − 1 = 0.306853
  //   loss = −1/6 + 0.1 · 0.306853/3 = −0.156438
  const turns: TokenTurn[] = [
    { promptIds: [7], ids: [1, 2], mask: [1, 1] },
    { promptIds: [8], ids: [3], mask: [1] },
  ];
  const seqs = packTurns(turns, [[0], [1]], 16);
  const logpOld = [Float32Array.of(Math.log(0.4), Math.log(0.5)), Float32Array.of(Math.log(0.6))];
  const logp = [Math.log(0.4 * 1.5), Math.log(0.5 * 0.9), Math.log(0.6 * 0.5)];
  const logpRef = [Float32Array.of(logp[0]!, logp[1]!), Float32Array.of(logp[2]! + Math.log(2))];

  it('matches the hand computation, in the graph and in plain numbers', () => {
    const adv = broadcastAdvantages(seqs, [1, -2]);
    const cfg = { clipLow: 0.2, clipHigh: 0.2, dualClip: 3, klCoef: 0.1, entropyCoef: 0 };
    const { loss, stats } = ppoLoss(
      { logp: tf.tensor1d(logp), logpOld: tf.tensor1d(gatherPerToken(seqs, logpOld)), advantages: tf.tensor1d(adv), logpRef: tf.tensor1d(gatherPerToken(seqs, logpRef)) },
      cfg,
    );
    expect(stats.pgLoss.dataSync()[0]).toBeCloseTo(-1 / 6, 5);
    expect(stats.kl.dataSync()[0]).toBeCloseTo(0.306853 / 3, 5);
    expect(loss.dataSync()[0]).toBeCloseTo(-0.156438, 5);
    expect(stats.clipFrac.dataSync()[0]).toBeCloseTo(2 / 3, 5);
    const numbers = ppoLossNumbers({ logp, logpOld: Array.from(gatherPerToken(seqs, logpOld)), advantages: Array.from(adv), logpRef: Array.from(gatherPerToken(seqs, logpRef)) }, cfg);
    expect(numbers.loss).toBeCloseTo(-0.156438, 6);
  });
});

describe('sequence-level losses on summed token log-ratios, by hand', () => {
  // turn a: log π_θ [−0.5, −0.2], base [−0.7, −0.3]            → ratio (−0.7) − (−1.0) = 0.3
  // turn b: log π_θ [−1.0, −0.4, −0.1], base [−0.8, −0.5, −0.1], mask [1, 1, 0] → (−1.4) − (−1.3) = −0.1
  const a = { logp: [-0.5, -0.2], base: [-0.7, -0.3] };
  const b = { logp: [-1.0, -0.4, -0.1], base: [-0.8, -0.5, -0.1], mask: [1, 1, 0] };

  it('sums the masked tokens', () => {
    expect(sequenceLogprobOf(b.logp, b.mask)).toBeCloseTo(-1.4, 12);
    expect(sequenceLogRatio(a)).toBeCloseTo(0.3, 12);
    expect(sequenceLogRatio(b)).toBeCloseTo(-0.1, 12);
  });

  it('REFUEL: (Δ log-ratio − η·ΔR)² with Δ = 0.3 − (−0.1) = 0.4, target 1 → 0.36', () => {
    expect(refuelLossFromTokens([{ a, b, target: 1 }])).toBeCloseTo(0.36, 12);
    // two pairs average: the second with Δ = 0.4 and target 0.4 has no residual
    expect(refuelLossFromTokens([{ a, b, target: 1 }, { a, b, target: 0.4 }])).toBeCloseTo(0.18, 12);
  });

  it('DPO: −log σ(β·(ratio_w − ratio_l)) with h = 0.4, β = 0.5 → log(1 + e^−0.2) = 0.598139', () => {
    expect(dpoLossFromTokens([{ chosen: a, rejected: b }], 0.5)).toBeCloseTo(Math.log(1 + Math.exp(-0.2)), 12);
    expect(dpoLossFromTokens([{ chosen: a, rejected: b }], 0.5)).toBeCloseTo(0.598139, 6);
  });
});
