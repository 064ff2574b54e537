import { describe, expect, it } from 'vitest';
import { clusterMass, preferencePairs, strategyRewards, withExploration } from '../../../trainer/lspo/preferences.js';

describe('preference rule (hand-computed)', () => {
  it('sums the speaker mass per cluster', () => {
    expect(clusterMass([0.1, 0.2, 0.3, 0.4], [0, 2, 0, 1], 3)).toEqual([0.4, 0.4, 0.2]);
  });

  it("'ratio' rewards: log σ − log π_ref; 'probability': log σ; floored", () => {
    const sigma = [0.5, 0.25, 0.25];
    const mass = [0.25, 0.5, 0.25];
    const ratio = strategyRewards(sigma, mass, 'ratio');
    expect(ratio[0]).toBeCloseTo(Math.log(2), 12);
    expect(ratio[1]).toBeCloseTo(Math.log(0.5), 12);
    expect(ratio[2]).toBeCloseTo(0, 12);
    expect(strategyRewards(sigma, mass, 'probability')[1]).toBeCloseTo(Math.log(0.25), 12);
    expect(strategyRewards([0, 1], [0.5, 0.5], 'probability')[0]).toBeCloseTo(Math.log(1e-6), 12);
    expect(() => strategyRewards([1], [0.5, 0.5], 'ratio')).toThrow(RangeError);
  });

  it('pairs utterances in different clusters, chosen = higher reward, soft label σ(gap)', () => {
    // Utterances in clusters [0, 1, 1, 2]; rewards per cluster [ln 2, ln 0.5, 0].
    const rewards = [Math.log(2), Math.log(0.5), 0];
    const soft = preferencePairs([0, 1, 1, 2], rewards, 'soft');
    expect(soft.map((p) => [p.chosen, p.rejected])).toEqual([[0, 1], [0, 2], [0, 3], [3, 1], [3, 2]]);
    expect(soft[0]!.gap).toBeCloseTo(Math.log(4), 12);
    expect(soft[0]!.label).toBeCloseTo(4 / 5, 12); // σ(ln 4) = 4 / (1 + 4)
    expect(soft[2]!.label).toBeCloseTo(2 / 3, 12); // σ(ln 2)
    expect(preferencePairs([0, 1, 1, 2], rewards, 'hard').every((p) => p.label === 1)).toBe(true);
  });

  it('makes no pair where the latent policy is indifferent (uniform σ and equal mass)', () => {
    const rewards = strategyRewards([0.2, 0.2, 0.2, 0.2, 0.2], [0.2, 0.2, 0.2, 0.2, 0.2], 'ratio');
    expect(preferencePairs([0, 1, 2, 3], rewards, 'soft')).toEqual([]);
  });
});

describe('exploration', () => {
  it('mixes σ with the uniform strategy', () => {
    const mixed = withExploration([1, 0, 0, 0], 0.2);
    expect(mixed[0]).toBeCloseTo(0.85, 12);
    expect(mixed[1]).toBeCloseTo(0.05, 12);
    expect(withExploration([0.3, 0.7], 0)).toEqual([0.3, 0.7]);
    expect(() => withExploration([1], 2)).toThrow(RangeError);
  });
});
