/**
 * The average of several behaviour strategies as one behaviour strategy: what a player plays
 * when it picks one of the iterates (with the given weights) at the start of the game and follows
 * it. At an information set I of player i it is
 *
 *   σ̄(I) = Σ_t w_t · π_i^t(I) · σ_t(I) / Σ_t w_t · π_i^t(I),
 *
 * π_i^t(I) the probability that iterate t's own moves lead to I (its reach; perfect recall). This
 * is the average CFR reports and fictitious play converges in, not the plain mean of σ_t(I),
 * which over-weights iterates that seldom reach I. An information set no iterate reaches gets
 * their plain weighted mean.
 * @module
 */
import type { ExtensiveGame, TabularPolicy } from './game.js';

function strategyAt(policy: TabularPolicy, key: string, n: number): number[] {
  return policy.get(key) ?? new Array<number>(n).fill(1 / n);
}

/** Each information set's own reach under `policy` (the product of the acting player's probabilities on the way). */
export function ownReach<S>(game: ExtensiveGame<S>, policy: TabularPolicy): Map<string, { reach: number; actions: number }> {
  const out = new Map<string, { reach: number; actions: number }>();
  const walk = (state: S, reach: readonly number[]) => {
    if (game.isTerminal(state)) return;
    const who = game.currentPlayer(state);
    if (who === 'chance') {
      for (const o of game.chanceOutcomes(state)) walk(o.state, reach);
      return;
    }
    const key = game.infoSetKey(state);
    const actions = game.legalActions(state);
    // Perfect recall: every state of I has the same own reach, so the first one seen gives it.
    if (!out.has(key)) out.set(key, { reach: reach[who] as number, actions: actions.length });
    const sigma = strategyAt(policy, key, actions.length);
    actions.forEach((a, k) => {
      const next = [...reach];
      next[who] = (next[who] as number) * (sigma[k] as number);
      walk(game.next(state, a), next);
    });
  };
  walk(game.root(), new Array<number>(game.players).fill(1));
  return out;
}

/** The reach-weighted average of `policies` (weights default to 1 each). */
export function averagePolicy<S>(game: ExtensiveGame<S>, policies: readonly TabularPolicy[], weights?: readonly number[]): TabularPolicy {
  if (policies.length === 0) throw new RangeError('averagePolicy: no policies to average');
  if (weights !== undefined && (weights.length !== policies.length || weights.some((w) => !(w >= 0)))) throw new RangeError('averagePolicy: one non-negative weight per policy');
  const num = new Map<string, number[]>();
  const den = new Map<string, number>();
  const plain = new Map<string, number[]>();
  let total = 0;
  policies.forEach((policy, t) => {
    const w = weights?.[t] ?? 1;
    total += w;
    for (const [key, { reach, actions }] of ownReach(game, policy)) {
      const sigma = strategyAt(policy, key, actions);
      const n = num.get(key) ?? new Array<number>(actions).fill(0);
      const p = plain.get(key) ?? new Array<number>(actions).fill(0);
      sigma.forEach((s, k) => {
        n[k] = (n[k] as number) + w * reach * s;
        p[k] = (p[k] as number) + w * s;
      });
      num.set(key, n);
      plain.set(key, p);
      den.set(key, (den.get(key) ?? 0) + w * reach);
    }
  });
  const out: TabularPolicy = new Map();
  for (const [key, n] of num) {
    const d = den.get(key) as number;
    out.set(key, d > 0 ? n.map((x) => x / d) : (plain.get(key) as number[]).map((x) => x / total));
  }
  return out;
}
