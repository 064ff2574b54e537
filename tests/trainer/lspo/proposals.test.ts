import { describe, expect, it } from 'vitest';
import { Rng } from '../../../envs/core/rng.js';
import { pickUniformly, proposeWithoutReplacement, sampleIndex } from '../../../trainer/lspo/proposals.js';

describe('proposals', () => {
  it('draws n distinct indices, all of them when n is larger, zero-probability ones last', () => {
    const rng = new Rng('p');
    const p = [0.1, 0.2, 0, 0.3, 0.4];
    for (let t = 0; t < 50; t++) {
      const got = proposeWithoutReplacement(p, 3, rng);
      expect(new Set(got).size).toBe(3);
      expect(got).not.toContain(2);
    }
    const all = proposeWithoutReplacement(p, 9, rng);
    expect([...all].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(all[4]).toBe(2);
  });

  it("the first draw follows the distribution, the second the rest renormalised (Gumbel-top-k)", () => {
    const rng = new Rng('freq');
    const p = [0.5, 0.3, 0.2];
    const first = [0, 0, 0];
    const secondAfter0 = [0, 0, 0];
    const n = 20000;
    for (let t = 0; t < n; t++) {
      const [a, b] = proposeWithoutReplacement(p, 2, rng) as [number, number];
      first[a]!++;
      if (a === 0) secondAfter0[b]!++;
    }
    first.forEach((c, i) => expect(c / n).toBeCloseTo(p[i]!, 1));
    // After 0 is drawn: 0.3/0.5 and 0.2/0.5.
    const after0 = secondAfter0[1]! + secondAfter0[2]!;
    expect(secondAfter0[1]! / after0).toBeCloseTo(0.6, 1);
  });

  it('picks uniformly and samples by probability', () => {
    const rng = new Rng('u');
    const counts = [0, 0, 0, 0];
    for (let t = 0; t < 8000; t++) counts[pickUniformly([0, 1, 2, 3], rng)]!++;
    for (const c of counts) expect(c / 8000).toBeCloseTo(0.25, 1);
    expect(sampleIndex([0, 0, 1], rng)).toBe(2);
    expect(() => pickUniformly([], rng)).toThrow(RangeError);
  });
});
