import { describe, expect, it } from 'vitest';
import { ESTIMATORS, ESTIMATOR_NAMES, indexRows } from '../../../trainer/advantages/index.js';
import { trajectoryRows, type StepRecord, type StepRow } from '../../../trainer/rows.js';

function step(reward: number): StepRecord {
  return { anchor: 's', stateKey: 'k', action: 'go', candidates: ['go', 'stop'], logpOld: -0.7, reward, invalid: false };
}

describe('trajectoryRows', () => {
  it('stamps group, trajectory, t, the episode return and done on the last row', () => {
    const rows = trajectoryRows('g', 'a', [step(1), step(0), step(2)]);
    expect(rows.map((r) => [r.groupId, r.trajId, r.t, r.episodeReturn, r.done])).toEqual([
      ['g', 'a', 0, 3, false],
      ['g', 'a', 1, 3, false],
      ['g', 'a', 2, 3, true],
    ]);
    expect(rows[0]).toMatchObject({ anchor: 's', stateKey: 'k', action: 'go', logpOld: -0.7, reward: 1 });
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows); // plain data
  });
});

describe('row checks', () => {
  const base = (): StepRow[] => [...trajectoryRows('g', 'a', [step(1), step(0)]), ...trajectoryRows('g', 'b', [step(0)])];

  it.each<[string, (rows: StepRow[]) => StepRow[], string]>([
    ['a trajectory in two groups', (r) => r.map((row, i) => (i === 1 ? { ...row, groupId: 'h' } : row)), "Trajectory 'a' appears in groups 'g' and 'h'."],
    [
      'different episode returns within a trajectory',
      (r) => r.map((row, i) => (i === 1 ? { ...row, episodeReturn: 5 } : row)),
      "Trajectory 'a' has rows with different episodeReturn values (1 and 5).",
    ],
    ['a negative t', (r) => r.map((row, i) => (i === 2 ? { ...row, t: -1 } : row)), 'Row 2 has t = -1; t must be an integer >= 0.'],
    ['a fractional t', (r) => r.map((row, i) => (i === 0 ? { ...row, t: 0.5 } : row)), 'Row 0 has t = 0.5; t must be an integer >= 0.'],
    ['a NaN reward', (r) => r.map((row, i) => (i === 1 ? { ...row, reward: NaN } : row)), 'Row 1 has a non-finite reward (NaN).'],
    [
      'an infinite episode return',
      (r) => r.map((row) => (row.trajId === 'b' ? { ...row, episodeReturn: Infinity } : row)),
      'Row 2 has a non-finite episodeReturn (Infinity).',
    ],
  ])('reject %s', (_name, corrupt, message) => {
    expect(() => indexRows(corrupt(base()))).toThrow(new RangeError(message));
    for (const name of ESTIMATOR_NAMES) expect(() => ESTIMATORS[name](corrupt(base()))).toThrow(message);
  });

  it('index groups and trajectories in order of first appearance', () => {
    const index = indexRows([...trajectoryRows('g2', 'x', [step(1)]), ...base()]);
    expect(index.groupIds).toEqual(['g2', 'g']);
    expect(index.trajIds).toEqual(['x', 'a', 'b']);
    expect(Array.from(index.trajLength)).toEqual([1, 2, 1]);
    expect(Array.from(index.trajReturn)).toEqual([1, 1, 0]);
  });

  it('give every estimator an empty result for no rows', () => {
    for (const name of ESTIMATOR_NAMES) {
      const result = ESTIMATORS[name]([]);
      expect(result.advantage).toHaveLength(0);
      expect(result.stats).toMatchObject({ rows: 0, groups: 0, fracZeroStdGroups: 0, advantageMean: 0 });
    }
    expect(ESTIMATORS.gigpo([]).stats.step).toMatchObject({ stepGroups: 0, meanStepGroupSize: 0, fracSingletonStepGroups: 0 });
  });
});
