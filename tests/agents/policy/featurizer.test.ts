import { describe, expect, it } from 'vitest';
import {
  Featurizer,
  MEMORY_PAIR_FEATURE_NAMES,
  PAIR_FEATURES,
  PolicyError,
  fnv1a32,
  policyInputFromObservation,
  toDense,
  tokenize,
  type FeatureBatch,
  type SparseRows,
} from '../../../agents/policy/index.js';
import { INPUTS } from './fixtures.js';

function rowNorm(rows: SparseRows, dim: number, r: number): number {
  const dense = toDense(rows, dim);
  let sq = 0;
  for (let j = 0; j < dim; j++) sq += (dense[r * dim + j] as number) ** 2;
  return Math.sqrt(sq);
}

function rowSlice(rows: SparseRows, r: number): { indices: number[]; values: number[] } {
  const s = rows.indptr[r] as number;
  const e = rows.indptr[r + 1] as number;
  return { indices: Array.from(rows.indices.subarray(s, e)), values: Array.from(rows.values.subarray(s, e)) };
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('chains: hashing b seeded with hash(a) equals hashing a + b', () => {
    expect(fnv1a32('bar', fnv1a32('foo'))).toBe(fnv1a32('foobar'));
  });
});

describe('tokenize', () => {
  it('lower-cases runs of letters and digits', () => {
    expect(tokenize('Go to Cabinet 12, then search[Red Shoes]!')).toEqual(['go', 'to', 'cabinet', '12', 'then', 'search', 'red', 'shoes']);
    expect(tokenize('a b c d', 2)).toEqual(['a', 'b']);
  });
});

describe('Featurizer', () => {
  const dim = 512;

  it('is deterministic across instances', () => {
    const a = new Featurizer({ dim }).featurizeBatch(INPUTS);
    const b = new Featurizer({ dim }).featurizeBatch(INPUTS);
    expect(a).toEqual(b);
  });

  it('builds one batch for all sessions with the documented shapes (window layout)', () => {
    const f = new Featurizer({ dim, memory: 'window', historyLength: 2 });
    const batch: FeatureBatch = f.featurizeBatch(INPUTS);
    const B = INPUTS.length;
    const N = INPUTS.reduce((s, x) => s + x.candidates.length, 0);
    expect(batch.sessions).toBe(B);
    expect(batch.fields).toBe(4);
    expect(batch.context.rows).toBe(B * 4);
    expect(batch.context.indptr.length).toBe(B * 4 + 1);
    expect(batch.candidates.rows).toBe(N);
    expect(Array.from(batch.candidateOffsets)).toEqual([0, 5, 7, 10]);
    expect(batch.pair.length).toBe(N * PAIR_FEATURES);
    expect(batch.pairFeatures).toBe(PAIR_FEATURES);
    expect(batch.maxCandidates).toBe(5);
    for (const rows of [batch.context, batch.candidates]) {
      expect(rows.indices.length).toBe(rows.indptr[rows.rows]);
      expect(rows.values.length).toBe(rows.indices.length);
      for (const i of rows.indices) expect(i >= 0 && i < dim).toBe(true);
    }
    expect(toDense(batch.candidates, dim).length).toBe(N * dim);
  });

  it('L2-normalises every non-empty row, with uniform weights per row', () => {
    const batch = new Featurizer({ dim, memory: 'window', historyLength: 2 }).featurizeBatch(INPUTS);
    for (const rows of [batch.context, batch.candidates]) {
      for (let r = 0; r < rows.rows; r++) {
        const { values } = rowSlice(rows, r);
        if (values.length === 0) continue;
        expect(rowNorm(rows, dim, r)).toBeCloseTo(1, 5);
        expect(new Set(values).size).toBe(1);
      }
    }
    // The third session has no goal and no history: those fields are empty rows.
    expect(rowSlice(batch.context, 2 * 4 + 0).indices).toEqual([]);
    expect(rowSlice(batch.context, 2 * 4 + 2).indices).toEqual([]);
  });

  it('gives the same rows in a batch as one session at a time', () => {
    const f = new Featurizer({ dim });
    const all = f.featurizeBatch(INPUTS);
    INPUTS.forEach((input, b) => {
      const one = new Featurizer({ dim }).featurizeBatch([input]);
      for (let k = 0; k < all.fields; k++) expect(rowSlice(one.context, k)).toEqual(rowSlice(all.context, b * all.fields + k));
      const off = all.candidateOffsets[b] as number;
      input.candidates.forEach((_, j) => expect(rowSlice(one.candidates, j)).toEqual(rowSlice(all.candidates, off + j)));
      const P = all.pairFeatures;
      expect(Array.from(one.pair)).toEqual(Array.from(all.pair.subarray(off * P, (off + input.candidates.length) * P)));
    });
  });

  it('keeps only the last historyLength steps, in both layouts', () => {
    const base = INPUTS[1]!;
    const longer = { ...base, history: [{ observation: 'long ago', action: 'wait' }, ...(base.history ?? [])] };
    for (const memory of ['window', 'bag'] as const) {
      const f = new Featurizer({ dim, memory, historyLength: 2 });
      expect(f.featurizeBatch([base]).context).toEqual(f.featurizeBatch([longer]).context);
      expect(f.featurizeBatch([base]).pair).toEqual(f.featurizeBatch([longer]).pair);
      // a longer history length sees the older step
      const g = new Featurizer({ dim, memory, historyLength: 3 });
      expect(g.featurizeBatch([base]).context).not.toEqual(g.featurizeBatch([longer]).context);
    }
  });

  it('bag layout: recent steps as fields plus the memory of every earlier step', () => {
    const f = new Featurizer({ dim, memory: 'bag', historyLength: 64, recentSteps: 1 });
    expect(f.fields).toBe(2 + 1 + 2);
    expect(f.pairFeatureCount).toBe(MEMORY_PAIR_FEATURE_NAMES.length);
    const history = [
      { observation: 'You arrive at cabinet 1. In it, you see a apple 1.', action: 'go to cabinet 1' },
      { observation: 'You arrive at drawer 2.', action: 'go to drawer 2' },
      { observation: 'Nothing happens.', action: 'go to cabinet 1' },
    ];
    const input = { goal: 'put apple in fridge', text: 'You are at cabinet 1.', history, candidates: ['go to cabinet 1', 'go to drawer 2', 'go to fridge 1'] };
    const batch = f.featurizeBatch([input]);
    // fields: goal, obs, h1, memory of actions, memory of observations
    const actions = rowSlice(batch.context, 3);
    const observations = rowSlice(batch.context, 4);
    expect(actions.indices.length).toBeGreaterThan(0);
    expect(observations.indices.length).toBeGreaterThan(0);
    // observation memory is a set: every feature once, unit norm
    expect(new Set(observations.indices).size).toBe(observations.indices.length);
    expect(rowNorm(batch.context, dim, 4)).toBeCloseTo(1, 5);
    // the oldest step is still in memory: drop it and the memory fields change, the recent field does not
    const shorter = f.featurizeBatch([{ ...input, history: history.slice(1) }]);
    expect(rowSlice(shorter.context, 2)).toEqual(rowSlice(batch.context, 2));
    expect(rowSlice(shorter.context, 3)).not.toEqual(actions);
    expect(rowSlice(shorter.context, 4)).not.toEqual(observations);
  });

  it('bag layout: candidate history features by hand', () => {
    const f = new Featurizer({ dim, memory: 'bag', historyLength: 64, recentSteps: 2 });
    const input = {
      goal: 'put apple in fridge',
      text: 'you see a fridge',
      history: [
        { observation: 'you see a apple 1', action: 'go to fridge' },
        { observation: 'o', action: 'look' },
        { observation: 'o', action: 'go to fridge' },
        { observation: 'o', action: 'look' },
      ],
      candidates: ['go to fridge', 'take apple 1', 'open drawer'],
    };
    // taken twice (count 2/4), last 2 steps ago (recency 1/2), words seen in past observations: 'fridge'? no → 0/3
    expect(Array.from(f.pairFeatures(input, 'go to fridge'))).toEqual([1 / 3, 1 / 3, 0, 1, 0.3, 0.5, 0.5, 0].map(Math.fround));
    // never taken; 'apple' and '1' were seen in a past observation: 2 of 3 words
    expect(Array.from(f.pairFeatures(input, 'take apple 1'))).toEqual([1 / 3, 0, 0, 0, 0.3, 0, 0, 2 / 3].map(Math.fround));
  });

  it('namespaces fields: the same text as goal or as observation hashes differently', () => {
    const f = new Featurizer({ dim });
    const batch = f.featurizeBatch([{ goal: 'open the red box', text: 'open the red box', candidates: ['x'] }]);
    expect(rowSlice(batch.context, 0).indices).not.toEqual(rowSlice(batch.context, 1).indices);
  });

  it('goal match: masks the goal words of candidates and observations with one placeholder', () => {
    const f = new Featurizer({ dim });
    expect(f.goalMasked('take mug 1 from cabinet 2', 'clean some mug and put it in coffeemachine')).toBe('take qqgoalqq 1 from cabinet 2');
    // stop words of the goal ('some', 'in', 'put', ...) stay as they are
    expect(f.goalMasked('put it in the sink', 'put some mug in sink')).toBe('put it in the qqgoalqq');
    // two tasks about different objects: taking the goal object shares the masked features
    const ids = (goal: string, candidate: string) => {
      const b = f.featurizeBatch([{ goal, text: 'You see things.', candidates: [candidate] }]);
      return new Set(rowSlice(b.candidates, 0).indices);
    };
    const mug = ids('clean some mug', 'take mug 1 from cabinet 2');
    const apple = ids('clean some apple', 'take apple 1 from cabinet 2');
    const shared = [...mug].filter((i) => apple.has(i));
    const plain = new Featurizer({ dim, goalMatch: false });
    const plainIds = (goal: string, candidate: string) => new Set(rowSlice(plain.featurizeBatch([{ goal, text: 'x', candidates: [candidate] }]).candidates, 0).indices);
    const plainShared = [...plainIds('clean some mug', 'take mug 1 from cabinet 2')].filter((i) => plainIds('clean some apple', 'take apple 1 from cabinet 2').has(i));
    expect(shared.length).toBeGreaterThan(plainShared.length);
    // without a goal nothing is masked
    expect(rowSlice(f.featurizeBatch([{ text: 'x', candidates: ['take mug 1'] }]).candidates, 0)).toEqual(rowSlice(plain.featurizeBatch([{ text: 'x', candidates: ['take mug 1'] }]).candidates, 0));
  });

  it('gives each candidate what the observation says about the numbers it names (entityContext)', () => {
    const f = new Featurizer({ dim, entityContext: true });
    const log = [
      'Day 1: player 3 said: "I am the seer. I checked player 2: a werewolf."',
      'Day 1: player 4 said: "I trust player 3."',
      'Day 1: player 5 said: "I am a villager."',
    ].join('\n');
    // most recent line first; the candidate's number masked, other numbers masked apart
    expect(f.entityContext(log, new Set(['3']))).toBe(
      'day qqnumqq player qqnumqq said i trust player qqentqq day qqnumqq player qqentqq said i am the seer i checked player qqnumqq a werewolf',
    );
    expect(f.entityContext(log, new Set(['6']))).toBe('');
    // the line budget is maxTokens words, most recent lines kept
    expect(new Featurizer({ dim, entityContext: true, maxTokens: 5 }).entityContext(log, new Set(['3']))).toBe('day qqnumqq player qqnumqq said');
    const ids = (text: string, candidate: string, g = f) => new Set(rowSlice(g.featurizeBatch([{ text, candidates: [candidate] }]).candidates, 0).indices);
    // the same story about a different seat gives the candidate naming that seat the same context features
    const about2 = ids('player 2 is a werewolf', 'vote[2]');
    const about5 = ids('player 5 is a werewolf', 'vote[5]');
    const shared = [...about2].filter((i) => about5.has(i)).length;
    const plain = new Featurizer({ dim });
    const plainShared = [...ids('player 2 is a werewolf', 'vote[2]', plain)].filter((i) => ids('player 5 is a werewolf', 'vote[5]', plain).has(i)).length;
    expect(shared).toBeGreaterThan(plainShared + 4);
    // off by default; a candidate without numbers is unchanged
    expect(ids('player 2 is a werewolf', 'vote[2]', plain)).not.toEqual(about2);
    expect(ids('player 2 is a werewolf', 'vote[none]')).toEqual(ids('player 2 is a werewolf', 'vote[none]', plain));
  });

  it('computes pair features by hand (window layout)', () => {
    const f = new Featurizer({ dim, memory: 'window', historyLength: 2 });
    const input = {
      goal: 'put apple in fridge',
      text: 'you see a fridge',
      history: [{ observation: 'o', action: 'go to fridge' }],
      candidates: ['go to fridge', 'take apple'],
    };
    expect(Array.from(f.pairFeatures(input, 'go to fridge'))).toEqual([1 / 3, 1 / 3, 1, 1, 0.3].map(Math.fround));
    expect(Array.from(f.pairFeatures(input, 'take apple'))).toEqual([0.5, 0, 0, 0, 0.2].map(Math.fround));
  });

  it('refreshes memoised features when an input object is changed in place', () => {
    const f = new Featurizer({ dim });
    const input = { text: 'first', candidates: ['a', 'b'] };
    const first = f.featurizeBatch([input]);
    input.text = 'second';
    const second = f.featurizeBatch([input]);
    expect(second.context).not.toEqual(first.context);
    expect(second.context).toEqual(new Featurizer({ dim }).featurizeBatch([{ text: 'second', candidates: ['a', 'b'] }]).context);
  });

  it('rejects a session without candidates and bad configs', () => {
    const f = new Featurizer({ dim });
    expect(() => f.featurizeBatch([{ text: 'x', candidates: [] }])).toThrow(PolicyError);
    expect(() => f.featurizeBatch([{ text: 'x', candidates: [] }])).toThrow(/Session 0 has no candidate actions/);
    expect(() => new Featurizer({ dim: 3 })).toThrow(/dim must be an integer/);
  });

  it('builds a policy input from an env observation', () => {
    const input = policyInputFromObservation({ text: 't', actions: ['a'], goal: 'g' }, [{ observation: 'o', action: 'a0' }]);
    expect(input).toEqual({ text: 't', goal: 'g', history: [{ observation: 'o', action: 'a0' }], candidates: ['a'] });
  });
});
