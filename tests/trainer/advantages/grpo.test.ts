import { describe, expect, it } from 'vitest';
import { grpoAdvantages } from '../../../trainer/advantages/index.js';
import { trajectoryRows } from '../../../trainer/rows.js';
import { step, outcomes, traj } from './fixtures.js';

describe('grpoAdvantages', () => {
  it('normalizes [1, 0, 0, 1] with the unbiased std to ±0.866 (the population std would give ±1)', () => {
    const { advantage } = grpoAdvantages(outcomes('g', [1, 0, 0, 1]));
    // mean 0.5, unbiased std sqrt(4·0.25/3) = 0.57735, 0.5 / 0.57735 = 0.8660
    expect(advantage[0]).toBeCloseTo(0.866, 3);
    expect(advantage[1]).toBeCloseTo(-0.866, 3);
    expect(advantage[2]).toBeCloseTo(-0.866, 3);
    expect(advantage[3]).toBeCloseTo(0.866, 3);
  });

  it('reproduces the ARPO worked example (reference 2.3): +2.475 / −0.354 on [1, 0 × 7]', () => {
    const { advantage } = grpoAdvantages(outcomes('task', [1, 0, 0, 0, 0, 0, 0, 0]), { singleton: 'throw' });
    // mean 0.125, unbiased std 0.35355: 0.875 / 0.35355 = 2.4749, −0.125 / 0.35355 = −0.35355
    expect(advantage[0]).toBeCloseTo(2.475, 3);
    expect(advantage[0]).not.toBeCloseTo(2.65, 1); // the population-std figure of third-party write-ups
    for (let i = 1; i < 8; i++) expect(advantage[i]).toBeCloseTo(-0.354, 3);
  });

  it('adds eps to the std, not to the variance', () => {
    // eps = 1: 0.5 / (0.57735 + 1) = 0.31699, where 0.5 / sqrt(1/3 + 1) would be 0.43301.
    const { advantage } = grpoAdvantages(outcomes('g', [1, 0, 0, 1]), { eps: 1 });
    expect(advantage[0]).toBeCloseTo(0.31699, 5);
    expect(advantage[1]).toBeCloseTo(-0.31699, 5);
  });

  it("Dr.GRPO (mode 'mean_norm') subtracts the mean without dividing by the std", () => {
    const { advantage } = grpoAdvantages(outcomes('g', [1, 0, 0, 1]), { mode: 'mean_norm' });
    expect(Array.from(advantage)).toEqual([0.5, -0.5, -0.5, 0.5]);
    const scaled = grpoAdvantages(outcomes('g', [10, 0]), { mode: 'mean_norm' }).advantage;
    expect(Array.from(scaled)).toEqual([5, -5]);
  });

  it('gives exactly 0 to an all-equal group, even where the float mean is off and eps is 0', () => {
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004, so sum / 3 ≠ 0.1: without the guard the numerator is
    // ~1e-17 and with eps 0 the std is ~1e-17 too, giving O(1) noise.
    for (const eps of [1e-6, 0]) {
      for (const mode of ['mean_std_norm', 'mean_norm'] as const) {
        const result = grpoAdvantages(outcomes('g', [0.1, 0.1, 0.1]), { eps, mode });
        expect(Array.from(result.advantage)).toEqual([0, 0, 0]);
        expect(result.stats.zeroStdGroups).toBe(1);
        expect(result.stats.fracZeroStdGroups).toBe(1);
      }
    }
  });

  it('gives a singleton group its raw score by default (verl-agent), 0 with zero, and throws with throw', () => {
    const rows = [...outcomes('lone', [7]), ...outcomes('pair', [1, 0])];
    expect(grpoAdvantages(rows).advantage[0]).toBe(7);
    expect(grpoAdvantages(rows, { singleton: 'zero' }).advantage[0]).toBe(0);
    expect(grpoAdvantages(rows).stats.singletonGroups).toBe(1);
    expect(() => grpoAdvantages(rows, { singleton: 'throw' })).toThrow(
      new RangeError("Group 'lone' has a single row; singleton 'throw' needs at least two per group."),
    );
  });

  it('counts singletons by statistic unit: one 3-step trajectory is a singleton only per trajectory', () => {
    const rows = traj('g', 'only', 3, 4);
    // rows: three equal scores → all-equal → 0; trajectories: one value → raw score 4.
    expect(Array.from(grpoAdvantages(rows).advantage)).toEqual([0, 0, 0]);
    expect(Array.from(grpoAdvantages(rows, { episodeStats: 'trajectories' }).advantage)).toEqual([4, 4, 4]);
    expect(() => grpoAdvantages(rows, { episodeStats: 'trajectories', singleton: 'throw' })).toThrow(
      "Group 'g' has a single trajectory; singleton 'throw' needs at least two per group.",
    );
  });

  it('weights trajectories by length in rows mode and equally in trajectories mode', () => {
    // X: 1 step, R = 1.  Y: 3 steps, R = 0.
    // rows:         values [1, 0, 0, 0]: mean 0.25, unbiased std sqrt((0.5625 + 3·0.0625)/3) = 0.5
    //               A_X = 0.75/0.5 = 1.5, A_Y = −0.25/0.5 = −0.5
    // trajectories: values [1, 0]: mean 0.5, std sqrt(0.5) = 0.70711, A_X = +0.70711, A_Y = −0.70711
    const rows = [...traj('g', 'X', 1, 1), ...traj('g', 'Y', 3, 0)];
    const byRows = grpoAdvantages(rows).advantage;
    expect(byRows[0]).toBeCloseTo(1.5, 5);
    for (let i = 1; i < 4; i++) expect(byRows[i]).toBeCloseTo(-0.5, 5);
    const byTraj = grpoAdvantages(rows, { episodeStats: 'trajectories' });
    expect(byTraj.advantage[0]).toBeCloseTo(Math.SQRT1_2, 5);
    for (let i = 1; i < 4; i++) expect(byTraj.advantage[i]).toBeCloseTo(-Math.SQRT1_2, 5);
    expect(byTraj.stats.episodeStats).toBe('trajectories');
  });

  it("subtracts the invalid penalty from the invalid row's score only", () => {
    const rows = [
      ...trajectoryRows('g', 'ok', [step('s0'), step('s1', 1, { invalid: true })]),
      ...trajectoryRows('g', 'bad', [step('s0'), step('s1')]),
    ];
    // scores [1, 0.9, 0, 0]: mean 0.475
    const a = grpoAdvantages(rows, { mode: 'mean_norm' }).advantage;
    expect(a[0]).toBeCloseTo(0.525, 12);
    expect(a[1]).toBeCloseTo(0.425, 12);
    expect(a[2]).toBeCloseTo(-0.475, 12);
    expect(a[3]).toBeCloseTo(-0.475, 12);
    const unpenalized = grpoAdvantages(rows, { mode: 'mean_norm', invalidPenalty: 0 }).advantage;
    expect(Array.from(unpenalized)).toEqual([0.5, 0.5, -0.5, -0.5]);
  });

  it('keeps groups independent and does not depend on row order', () => {
    const a = outcomes('a', [1, 0, 0, 1]);
    const b = outcomes('b', [3, 5]);
    const together = grpoAdvantages([...b, ...a]).advantage;
    const alone = [...grpoAdvantages(b).advantage, ...grpoAdvantages(a).advantage];
    expect(Array.from(together)).toEqual(alone);

    const rows = [...traj('g', 'X', 2, 1), ...traj('g', 'Y', 3, 0), ...traj('g', 'Z', 1, 2)];
    const reversed = [...rows].reverse();
    const forward = grpoAdvantages(rows).advantage;
    const backward = grpoAdvantages(reversed).advantage;
    expect(Array.from(backward).reverse()).toEqual(Array.from(forward));
  });

  it('reports no step level: episodeAdvantage = advantage, stepAdvantage 0, anchorGroup −1, no step returns', () => {
    const result = grpoAdvantages(outcomes('g', [1, 0, 0, 1]));
    expect(Array.from(result.episodeAdvantage)).toEqual(Array.from(result.advantage));
    expect(Array.from(result.stepAdvantage)).toEqual([0, 0, 0, 0]);
    expect(Array.from(result.anchorGroup)).toEqual([-1, -1, -1, -1]);
    expect(result.stepReturn).toBeNull();
    expect(result.stats.step).toBeNull();
  });

  it('summarizes groups for the metric sink', () => {
    const rows = [...outcomes('varied', [1, 0]), ...outcomes('flat', [2, 2, 2]), ...outcomes('lone', [5])];
    const { stats } = grpoAdvantages(rows);
    expect(stats).toMatchObject({
      estimator: 'grpo',
      episodeStats: 'rows',
      rows: 6,
      trajectories: 6,
      groups: 3,
      singletonGroups: 1,
      zeroStdGroups: 1,
      advantageMax: 5,
    });
    expect(stats.advantageMin).toBeCloseTo(-Math.SQRT1_2, 5);
    expect(stats.fracZeroStdGroups).toBeCloseTo(1 / 3, 12);
    // advantages [0.7071, −0.7071, 0, 0, 0, 5]
    expect(stats.advantageMean).toBeCloseTo(5 / 6, 6);
  });
});
