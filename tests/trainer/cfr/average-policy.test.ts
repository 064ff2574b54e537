import { describe, expect, it } from 'vitest';
import { averagePolicy, ownReach } from '../../../trainer/cfr/average-policy.js';
import { exploitability } from '../../../trainer/cfr/evaluation.js';
import { kuhnGame, kuhnPolicyOf } from '../../../trainer/cfr/kuhn-game.js';
import { constantStrategy, nashStrategy } from '../../../agents/kuhn/strategy-agent.js';

describe('averagePolicy (reach-weighted)', () => {
  it("weights an information set by each iterate's own reach of it", () => {
    // Iterate A: with J, the first player always checks (reach of J:pb = 1) and then calls with 1.
    // Iterate B: with J, it always bets (reach of J:pb = 0); its J:pb entry (0) must not count.
    const a = kuhnPolicyOf({ ...constantStrategy(0.5), 'J:': 0, 'J:pb': 1 });
    const b = kuhnPolicyOf({ ...constantStrategy(0.5), 'J:': 1, 'J:pb': 0 });
    const avg = averagePolicy(kuhnGame, [a, b]);
    expect(avg.get('J:')).toEqual([0.5, 0.5]);
    expect(avg.get('J:pb')).toEqual([0, 1]); // plain mean would say [0.5, 0.5]
    // Second player's sets are reached with own reach 1 by both: the plain mean.
    expect(avg.get('Q:b')).toEqual([0.5, 0.5]);
    // Weights: 3 × A + 1 × B at J: → bet 1/4; J:pb still only A's.
    const w = averagePolicy(kuhnGame, [a, b], [3, 1]);
    expect(w.get('J:')![1]).toBeCloseTo(0.25, 12);
    expect(w.get('J:pb')).toEqual([0, 1]);
  });

  it("own reach: the first player's pb sets are reached by checking first", () => {
    const r = ownReach(kuhnGame, kuhnPolicyOf({ ...constantStrategy(0.5), 'K:': 0.75 }));
    expect(r.get('K:pb')!.reach).toBeCloseTo(0.25, 12);
    expect(r.get('K:')!.reach).toBe(1);
    expect(r.get('J:p')!.reach).toBe(1);
  });

  it('averages equilibria into an equilibrium, and of one policy gives it back', () => {
    const avg = averagePolicy(kuhnGame, [kuhnPolicyOf(nashStrategy(0)), kuhnPolicyOf(nashStrategy(1 / 3))]);
    expect(exploitability(kuhnGame, avg)).toBeLessThan(1e-12);
    const one = kuhnPolicyOf(nashStrategy(0.1));
    const back = averagePolicy(kuhnGame, [one]);
    for (const [k, p] of one) expect(back.get(k)![1]).toBeCloseTo(p[1]!, 12);
    expect(() => averagePolicy(kuhnGame, [])).toThrow(/no policies/);
  });
});
