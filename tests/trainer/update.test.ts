import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../agents/policy/backend.js';
import { ActionScorer, type PolicyRow } from '../../agents/policy/model.js';
import { AdamClip } from '../../agents/policy/optimizer.js';
import { Rng } from '../../envs/core/rng.js';
import { ppoUpdate, sftUpdate, type PpoRow } from '../../trainer/update.js';

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
    const rows: PpoRow[] = inputs.map((input, i) => ({ input, logpOld: before[i]!, logpRef: before[i]!, advantage: i === 0 ? 1 : -1 }));
    const stats = ppoUpdate(scorer, optimizer, rows, { klCoef: 0, entropyCoef: 0 }, { epochs: 5, minibatchSize: 2, rng: new Rng(1) });
    const after = scorer.policyLogProbs(inputs).logp;
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[1]).toBeLessThan(before[1]!);
    expect(stats.minibatches).toBe(5);
    expect(stats.rowsPerSecond).toBeGreaterThan(0);
  });

  it('stops with TRAINING_DIVERGED on a non-finite loss', () => {
    const { scorer, optimizer } = fresh();
    const input = row('x', 0);
    const rows: PpoRow[] = [{ input, logpOld: -1, logpRef: -1, advantage: Number.NaN }];
    expect(() => ppoUpdate(scorer, optimizer, rows, {}, { epochs: 1, minibatchSize: 1, rng: new Rng(1) }, 'at iteration 7')).toThrow(
      expect.objectContaining({ code: 'TRAINING_DIVERGED', message: expect.stringMatching(/loss became NaN at iteration 7\. Lower --lr/) }),
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
