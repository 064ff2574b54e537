import { describe, expect, it } from 'vitest';
import { constantStrategy, nashStrategy } from '../../../agents/kuhn/strategy-agent.js';
import { solveCfr } from '../../../trainer/cfr/cfr.js';
import { bestResponseValue, expectedValues, exploitability } from '../../../trainer/cfr/evaluation.js';
import { kuhnGame, kuhnPolicyOf, kuhnStrategyOf } from '../../../trainer/cfr/kuhn-game.js';
import { solveExternalSamplingMccfr } from '../../../trainer/cfr/mccfr.js';
import { normalise, regretMatching } from '../../../trainer/cfr/regret-matching.js';

const VALUE = -1 / 18;

describe('regret matching', () => {
  it('plays positive regrets proportionally, uniformly when none is positive', () => {
    expect(regretMatching([3, 1, -2])).toEqual([0.75, 0.25, 0]);
    expect(regretMatching([-1, 0])).toEqual([0.5, 0.5]);
    expect(normalise([0, 0, 0])).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(normalise([1, 3])).toEqual([0.25, 0.75]);
  });
});

describe('Kuhn poker evaluation (hand-checkable)', () => {
  it('the equilibrium family gives the first player −1/18 for every α and is unexploitable', () => {
    for (const alpha of [0, 1 / 6, 1 / 3]) {
      const policy = kuhnPolicyOf(nashStrategy(alpha));
      const [v0, v1] = expectedValues(kuhnGame, policy);
      expect(v0).toBeCloseTo(VALUE, 12);
      expect(v1).toBeCloseTo(-VALUE, 12);
      expect(exploitability(kuhnGame, policy)).toBeCloseTo(0, 12);
    }
  });

  it('always betting loses to a best response by a known margin', () => {
    // Both always bet/call: every hand is a showdown for 2, and the deals are symmetric: value 0.
    const always = kuhnPolicyOf(constantStrategy(1));
    expect(expectedValues(kuhnGame, always)[0]).toBeCloseTo(0, 12);
    // Against a second player who always bets and calls, the first player's best response:
    // J: check, then fold to the bet (−1; any other line loses 2); Q: every line that reaches a
    // showdown for 2 is worth (−2 + 2)/2 = 0; K: any line reaching the showdown wins 2.
    // BR₀ = (1/3)(−1) + (1/3)(0) + (1/3)(2) = 1/3.
    expect(bestResponseValue(kuhnGame, always, 0)).toBeCloseTo(1 / 3, 12);
  });

  it('the uniform policy is exploitable', () => {
    expect(exploitability(kuhnGame, new Map())).toBeGreaterThan(0.3);
  });
});

describe('tabular CFR on Kuhn poker', () => {
  it('the average strategy reaches the game value −1/18 within 1e-3, and near-zero exploitability', () => {
    const { average } = solveCfr(kuhnGame, 3000);
    const [v0] = expectedValues(kuhnGame, average);
    expect(Math.abs((v0 as number) - VALUE)).toBeLessThan(1e-3);
    expect(exploitability(kuhnGame, average)).toBeLessThan(5e-3);
    // Facts every equilibrium shares: facing a bet the second player calls with K, folds J and
    // calls Q one time in three.
    const s = kuhnStrategyOf(average);
    expect(s['K:b']).toBeGreaterThan(0.99);
    expect(s['J:b']).toBeLessThan(0.01);
    expect(s['Q:b']).toBeCloseTo(1 / 3, 1);
  });

  it('external-sampling MCCFR lowers exploitability well below the uniform policy', () => {
    const uniform = exploitability(kuhnGame, new Map());
    const { average } = solveExternalSamplingMccfr(kuhnGame, 20000, { seed: 7 });
    const e = exploitability(kuhnGame, average);
    expect(e).toBeLessThan(0.02);
    expect(e).toBeLessThan(uniform / 10);
    const again = solveExternalSamplingMccfr(kuhnGame, 20000, { seed: 7 }).average;
    expect([...again]).toEqual([...average]); // seeded: deterministic
  });
});
