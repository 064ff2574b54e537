import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../agents/policy/backend.js';
import { ActionScorer, type PolicyRow } from '../../agents/policy/model.js';
import { AdamClip } from '../../agents/policy/optimizer.js';
import { Rng } from '../../envs/core/rng.js';
import { ppoUpdate, refuelUpdate, sftUpdate } from '../../trainer/update.js';

beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
});

const row = (text: string, chosen: number): PolicyRow => ({ goal: 'put a mug in the sink', text, history: [], candidates: ['go to sink 1', 'go to bed 1', 'look'], chosen });

function fresh() {
  return { scorer: ActionScorer.create({ featurizer: { dim: 256 }, hidden: 8, mlpHidden: 8, seed: 3 }, { trainable: true }), optimizer: new AdamClip({ lr: 0.01 }) };
}

describe('ppoUpdate', () => {
  it('raises the probability of positive-advantage actions and lowers negative ones', () => {
    const { scorer, optimizer } = fresh();
    const inputs = [row('You are in the kitchen.', 0), row('You are in the kitchen.', 1)];
    const before = scorer.policyLogProbs(inputs).logp;
    const data = { decisions: inputs, logpOld: before, logpRef: before, advantage: Float64Array.from([1, -1]) };
    const stats = ppoUpdate(scorer, optimizer, data, { klCoef: 0, entropyCoef: 0 }, { epochs: 5, minibatchSize: 2, rng: new Rng(1) });
    const after = scorer.policyLogProbs(inputs).logp;
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[1]).toBeLessThan(before[1]!);
    expect(stats.minibatches).toBe(5);
    expect(stats.rowsPerSecond).toBeGreaterThan(0);
  });

  it('stops with TRAINING_DIVERGED on a non-finite loss', () => {
    const { scorer, optimizer } = fresh();
    const data = { decisions: [row('x', 0)], logpOld: Float64Array.from([-1]), logpRef: Float64Array.from([-1]), advantage: Float64Array.from([Number.NaN]) };
    expect(() => ppoUpdate(scorer, optimizer, data, {}, { epochs: 1, minibatchSize: 1, rng: new Rng(1) }, 'at iteration 7')).toThrow(
      expect.objectContaining({ code: 'TRAINING_DIVERGED', message: expect.stringMatching(/loss became NaN at iteration 7\. Lower --lr/) }),
    );
  });
});

describe('refuelUpdate', () => {
  it('moves the log-ratio gap of each pair towards its target η·ΔR', () => {
    const { scorer, optimizer } = fresh();
    // one state, two continuations: the first action led to success (ΔR = +1), so its log-ratio rises relative to the second's
    const decisions = [row('You are in the kitchen.', 0), row('You are in the kitchen.', 1)];
    const before = scorer.policyLogProbs(decisions).logp;
    const data = { decisions, logpOld: before, pairs: { a: Int32Array.from([0]), b: Int32Array.from([1]), target: Float64Array.from([1]) } };
    const first = refuelUpdate(scorer, optimizer, data, { epochs: 1, minibatchSize: 2, rng: new Rng(1) });
    expect(first.loss).toBeCloseTo(1, 5); // the initial residual is −η·ΔR: (0 − 1)² = 1
    for (let i = 0; i < 20; i++) refuelUpdate(scorer, optimizer, data, { epochs: 1, minibatchSize: 2, rng: new Rng(1) });
    const after = scorer.policyLogProbs(decisions).logp;
    const gap = after[0]! - before[0]! - (after[1]! - before[1]!);
    expect(gap).toBeGreaterThan(0.5);
    expect(gap).toBeLessThan(1.5);
  });

  it('stops with TRAINING_DIVERGED when the regression becomes NaN', () => {
    const { scorer, optimizer } = fresh();
    const decisions = [row('x', 0), row('x', 1)];
    const data = { decisions, logpOld: Float64Array.from([-1, -1]), pairs: { a: Int32Array.from([0]), b: Int32Array.from([1]), target: Float64Array.from([Number.NaN]) } };
    expect(() => refuelUpdate(scorer, optimizer, data, { epochs: 1, minibatchSize: 2, rng: new Rng(1) }, 'at iteration 3')).toThrow(
      expect.objectContaining({ code: 'TRAINING_DIVERGED', message: expect.stringMatching(/loss became NaN at iteration 3/) }),
    );
  });
});

describe('sftUpdate', () => {
  it('fits demonstrated actions (loss falls, the demo action becomes the greedy choice)', () => {
    const { scorer, optimizer } = fresh();
    const demos = [row('You see a mug 1.', 0), row('You arrive at bed 1.', 2), row('Nothing happens.', 1)];
    const { losses } = sftUpdate(scorer, optimizer, demos, { epochs: 30, minibatchSize: 3, rng: new Rng(2) });
    expect(losses).toHaveLength(30);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    const picks = scorer.act(demos, { greedy: true }).map((r) => r.index);
    expect(picks).toEqual([0, 2, 1]);
  });
});
