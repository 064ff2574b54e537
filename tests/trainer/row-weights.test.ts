import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../trainer/config.js';
import { rowWeights, skippedShare, uniformGroups } from '../../trainer/row-weights.js';

// Four trajectories: g1 = {t0: R 1, t1: R 1} (all success), g2 = {t2: R 0, t3: R 1} (mixed).
// Rows: t0 has 2 steps, t1 1, t2 3, t3 1.
const groupOf = ['g1', 'g1', 'g2', 'g2'];
const returns = [1, 1, 0, 1];
const rowTrajectory = [0, 0, 1, 2, 2, 2, 3];

describe('uniformGroups', () => {
  it('finds the groups whose returns are all the same, singletons included', () => {
    expect([...uniformGroups(groupOf, returns)]).toEqual(['g1']);
    expect([...uniformGroups(['a', 'b', 'b'], [0, 0, 0])].sort()).toEqual(['a', 'b']);
    expect([...uniformGroups(['a', 'a'], [0.5, 0.5 + 1e-12])]).toEqual(['a']);
    expect([...uniformGroups(['a', 'a'], [0, 0.01])]).toEqual([]);
  });
});

describe('rowWeights', () => {
  it('is null when every row counts alike', () => {
    expect(rowWeights(rowTrajectory, groupOf, returns, { skipGroups: 'none', aggregation: 'row' })).toBeNull();
  });

  it('skipGroups uniform zeroes the all-success group and keeps 1 elsewhere', () => {
    const w = rowWeights(rowTrajectory, groupOf, returns, { skipGroups: 'uniform', aggregation: 'row' });
    expect(Array.from(w!)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(skippedShare(w)).toBeCloseTo(3 / 7, 12);
  });

  it('trajectory aggregation gives each trajectory the same total, scaled to the row count', () => {
    // raw 1/T: [.5, .5, 1, 1/3, 1/3, 1/3, 1], sum 4; scaled by 7/4
    const w = rowWeights(rowTrajectory, groupOf, returns, { skipGroups: 'none', aggregation: 'trajectory' })!;
    const expected = [0.875, 0.875, 1.75, 7 / 12, 7 / 12, 7 / 12, 1.75];
    expected.forEach((x, i) => expect(w[i]).toBeCloseTo(x, 12));
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(7, 12);
  });

  it('both: the kept trajectories share the kept rows', () => {
    // kept rows: t2 (3 rows, raw 1/3 each) and t3 (1 row, raw 1): sum 2, scaled by 4/2
    const w = rowWeights(rowTrajectory, groupOf, returns, { skipGroups: 'uniform', aggregation: 'trajectory' })!;
    const expected = [0, 0, 0, 2 / 3, 2 / 3, 2 / 3, 2];
    expected.forEach((x, i) => expect(w[i]).toBeCloseTo(x, 12));
  });

  it('every group uniform: every weight 0', () => {
    const w = rowWeights([0, 1], ['a', 'a'], [0, 0], { skipGroups: 'uniform', aggregation: 'row' })!;
    expect(Array.from(w)).toEqual([0, 0]);
    expect(skippedShare(w)).toBe(1);
  });
});

describe('config', () => {
  it('defaults and validation', () => {
    const c = resolveTrainConfig({});
    expect(c.skipGroups).toBe('none');
    expect(c.lossAggregation).toBe('row');
    expect(() => resolveTrainConfig({ skipGroups: 'all' })).toThrow(/skipGroups/);
    expect(() => resolveTrainConfig({ lossAggregation: 'token' })).toThrow(/lossAggregation/);
    expect(() => resolveTrainConfig({ policy: 'lm', skipGroups: 'uniform' })).toThrow(/scorer policy/);
  });
});
