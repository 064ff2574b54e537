import { describe, expect, it } from 'vitest';
import { hash32, Rng } from '../../../envs/core/rng.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('pins the stream so envs stay bit-for-bit reproducible across versions', () => {
    const r = new Rng('household');
    expect(Array.from({ length: 3 }, () => r.nextUint32())).toEqual([806746157, 4236087187, 2157707176]);
    expect(hash32('abc')).toBe(hash32('abc'));
    expect(hash32('abc')).not.toBe(hash32('abd'));
  });

  it('resumes exactly from a JSON state', () => {
    const r = new Rng(7);
    r.next();
    const state = JSON.parse(JSON.stringify(r.getState()));
    const expected = [r.next(), r.int(10), r.pick(['a', 'b', 'c'])];
    const s = Rng.fromState(state);
    expect([s.next(), s.int(10), s.pick(['a', 'b', 'c'])]).toEqual(expected);
  });

  it('draws integers uniformly in range', () => {
    const r = new Rng(1);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.int(5)] += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const x = r.range(3, 6);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(6);
    }
  });

  it('shuffles into a permutation and samples distinct items', () => {
    const r = new Rng(3);
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = r.shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(shuffled).not.toEqual(items);
    const sample = r.sample(items, 3);
    expect(new Set(sample).size).toBe(3);
  });

  it('rejects bad arguments and bad states', () => {
    const r = new Rng(0);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => r.setState([1, 2, 3] as never)).toThrow(/four unsigned 32-bit/);
  });

  it('weighted picks follow the weights', () => {
    const r = new Rng(9);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weighted([1, 0, 2])] += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(1.8);
    expect(counts[2] / counts[0]).toBeLessThan(2.2);
  });
});
