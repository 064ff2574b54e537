import { describe, expect, it } from 'vitest';
import { LEARNER, PayoffTable } from '../../../league/training/payoff-table.js';

describe('PayoffTable', () => {
  it('sums scores, decays the learner, and copies its row to a checkpoint', () => {
    const t = new PayoffTable();
    t.record(LEARNER, 'bot', 1);
    t.record(LEARNER, 'bot', 0);
    t.record(LEARNER, 'bot', 1);
    expect(t.meanScore(LEARNER, 'bot')).toBeCloseTo(2 / 3, 12);
    t.decay(LEARNER, 0.5);
    expect(t.get(LEARNER, 'bot')).toEqual({ score: 1, games: 1.5 });
    t.copyRow(LEARNER, 'c1');
    expect(t.get('c1', 'bot')).toEqual({ score: 1, games: 1.5 });
    expect(t.meanScore('bot', 'c1')).toBeNull();
    expect(() => t.record(LEARNER, 'bot', 2)).toThrow(/\[0, 1\]/);
  });

  it('the members matrix is antisymmetric, from either row, games-weighted', () => {
    const t = new PayoffTable();
    // a vs b from a's row: 3 of 4 → +0.25 over 4 games; from b's row: b scored 1 of 2 → a gets 0 over 2 games.
    for (const s of [1, 1, 1, 0]) t.record('a', 'b', s);
    for (const s of [1, 0]) t.record('b', 'a', s);
    const m = t.matrix(['a', 'b', 'c']);
    // (3 − 2 + (1 − 1)) / 6 = 1/6
    expect(m[0]![1]).toBeCloseTo(1 / 6, 12);
    expect(m[1]![0]).toBeCloseTo(-1 / 6, 12);
    expect(m[0]![2]).toBe(0);
    expect(m[2]![2]).toBe(0);
  });

  it('round-trips through JSON and refuses a bad cell', () => {
    const t = new PayoffTable();
    t.record('a', 'b', 0.5);
    expect(PayoffTable.fromJSON(t.toJSON()).toJSON()).toEqual(t.toJSON());
    expect(() => PayoffTable.fromJSON({ a: { b: { score: 3, games: 1 } } })).toThrow(/bad cell/);
  });
});
