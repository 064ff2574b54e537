import { describe, expect, it } from 'vitest';
import { rlooAdvantages } from '../../../trainer/advantages/index.js';
import { step, outcomes, traj } from './fixtures.js';

describe('rlooAdvantages', () => {
  it('gives [1, 0, 0, 1] → [0.667, −0.667, −0.667, 0.667] (reference 0.5)', () => {
    const { advantage } = rlooAdvantages(outcomes('g', [1, 0, 0, 1]));
    // 1 − (0 + 0 + 1)/3 = 0.667; 0 − (1 + 0 + 1)/3 = −0.667
    expect(advantage[0]).toBeCloseTo(0.667, 3);
    expect(advantage[1]).toBeCloseTo(-0.667, 3);
    expect(advantage[2]).toBeCloseTo(-0.667, 3);
    expect(advantage[3]).toBeCloseTo(0.667, 3);
  });

  it('subtracts the mean of the other values, with no std normalization', () => {
    // [3, 1, 4, 1, 5], sum 14: 3 − 11/4, 1 − 13/4, 4 − 10/4, 1 − 13/4, 5 − 9/4
    const a = rlooAdvantages(outcomes('g', [3, 1, 4, 1, 5])).advantage;
    const expected = [0.25, -2.25, 1.5, -2.25, 2.75];
    expected.forEach((e, i) => expect(a[i]).toBeCloseTo(e, 12));
    // A plain difference, not scaled: [10, 0] → ±10.
    expect(Array.from(rlooAdvantages(outcomes('g', [10, 0])).advantage)).toEqual([10, -10]);
  });

  it('gives a singleton group its raw return (no baseline), 0 with zero, and throws with throw', () => {
    const rows = [...outcomes('lone', [3]), ...outcomes('pair', [1, 0])];
    expect(rlooAdvantages(rows).advantage[0]).toBe(3);
    expect(rlooAdvantages(rows, { singleton: 'zero' }).advantage[0]).toBe(0);
    expect(() => rlooAdvantages(rows, { singleton: 'throw' })).toThrow(RangeError);
  });

  it('gives exactly 0 to an all-equal group', () => {
    // 0.1 − (0.30000000000000004 − 0.1)/2 ≠ 0 without the guard.
    const result = rlooAdvantages(outcomes('g', [0.1, 0.1, 0.1]));
    expect(Array.from(result.advantage)).toEqual([0, 0, 0]);
    expect(result.stats.zeroStdGroups).toBe(1);
  });

  it('leaves one row out in rows mode and one trajectory out in trajectories mode', () => {
    // X: 1 step, R = 1.  Y: 3 steps, R = 0.
    // rows:         values [1, 0, 0, 0]: A_X = 1 − 0/3 = 1, A_Y = 0 − (1 + 0 + 0)/3 = −1/3
    // trajectories: values [1, 0]:       A_X = 1 − 0 = 1,   A_Y = 0 − 1 = −1
    const rows = [...traj('g', 'X', 1, 1), ...traj('g', 'Y', 3, 0)];
    const byRows = rlooAdvantages(rows).advantage;
    expect(byRows[0]).toBe(1);
    for (let i = 1; i < 4; i++) expect(byRows[i]).toBeCloseTo(-1 / 3, 12);
    const byTraj = rlooAdvantages(rows, { episodeStats: 'trajectories' }).advantage;
    expect(Array.from(byTraj)).toEqual([1, -1, -1, -1]);
  });

  it('reports no step level', () => {
    const result = rlooAdvantages(outcomes('g', [1, 0]));
    expect(result.stats.estimator).toBe('rloo');
    expect(Array.from(result.stepAdvantage)).toEqual([0, 0]);
    expect(Array.from(result.anchorGroup)).toEqual([-1, -1]);
    expect(Array.from(result.episodeAdvantage)).toEqual(Array.from(result.advantage));
  });
});
