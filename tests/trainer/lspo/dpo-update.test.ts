import { beforeAll, describe, expect, it } from 'vitest';
import { ActionScorer, selectBackend, type PolicyInput } from '../../../agents/policy/index.js';
import type { DpoPair } from '../../../trainer/lspo/alignment-pairs.js';
import { trainDpo } from '../../../trainer/lspo/dpo-update.js';

const INPUT: PolicyInput = { text: 'Say something.', history: [], candidates: ['alpha', 'beta', 'gamma'] };
const OPTIONS = { beta: 1, epochs: 60, batchSize: 64, learningRate: 0.02, maxGradNorm: 5, seed: 0 };

describe('DPO on the speaker', () => {
  beforeAll(async () => {
    await selectBackend();
  });

  const probsOf = (s: ActionScorer) => Array.from(s.scoreBatch([INPUT]).probs[0]!);
  const pairsFor = (ref: number[], make: (push: (c: number, r: number, label: number) => void) => void): DpoPair[] => {
    const out: DpoPair[] = [];
    make((chosen, rejected, label) => out.push({ input: INPUT, chosen, rejected, label, refChosen: Math.log(ref[chosen]!), refRejected: Math.log(ref[rejected]!) }));
    return out;
  };

  it('hard labels raise the chosen utterance above the rejected ones', () => {
    const s = ActionScorer.create({ featurizer: { dim: 256, historyLength: 0 }, hidden: 8, mlpHidden: 8, seed: 2 });
    const ref = probsOf(s);
    const pairs = pairsFor(ref, (push) => {
      for (let i = 0; i < 8; i++) {
        push(0, 1, 1);
        push(0, 2, 1);
      }
    });
    const stats = trainDpo(s, pairs, OPTIONS);
    const after = probsOf(s);
    expect(after[0]).toBeGreaterThan(ref[0]! + 0.2);
    expect(stats.lastLoss).toBeLessThan(stats.firstLoss);
    expect(stats.accuracy).toBe(1);
    s.dispose();
  });

  it('soft Bradley–Terry labels of r = log(target / π_ref) move π to the target (β = 1)', () => {
    const s = ActionScorer.create({ featurizer: { dim: 256, historyLength: 0 }, hidden: 8, mlpHidden: 8, seed: 4 });
    const ref = probsOf(s);
    const target = [0.6, 0.3, 0.1];
    const r = target.map((t, i) => Math.log(t / ref[i]!));
    const pairs = pairsFor(ref, (push) => {
      for (const [i, j] of [[0, 1], [0, 2], [1, 2]] as const) {
        const [c, l] = r[i]! >= r[j]! ? [i, j] : [j, i];
        push(c, l, 1 / (1 + Math.exp(-(r[c]! - r[l]!))));
      }
    });
    trainDpo(s, pairs, OPTIONS);
    const after = probsOf(s);
    after.forEach((p, i) => expect(p).toBeCloseTo(target[i]!, 1));
    s.dispose();
  });

  it('no pairs: no step', () => {
    const s = ActionScorer.create({ featurizer: { dim: 256 }, hidden: 4, mlpHidden: 4 });
    expect(trainDpo(s, [], OPTIONS).steps).toBe(0);
    s.dispose();
  });
});
