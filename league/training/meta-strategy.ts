/**
 * Meta-strategies of a training league (PSRO-style): given the league's payoff table, the
 * probability with which the learner meets each member next.
 *
 *  - `uniform`: every member alike (fictitious self-play over the league).
 *  - `pfsp`: prioritized fictitious self-play (AlphaStar): a member is weighted by
 *    f(p) = (1 − p)^power, p the learner's expected score against it, so the opponents the learner
 *    does not yet beat come up most; a member never met counts as p = 0.5.
 *  - `nash`: the symmetric Nash equilibrium of the members' zero-sum payoff matrix
 *    (A[i][j] = score(i vs j) − 1/2, antisymmetric), the PSRO meta-solver.
 *
 * The Nash solver is regret matching+ with linear averaging on the symmetric game (both players
 * share one strategy): the average converges to an equilibrium; `symmetricNash` stops when the
 * exploitability of the average is below `tolerance`.
 * @module
 */

export const META_STRATEGIES = ['pfsp', 'nash', 'uniform'] as const;
export type MetaStrategy = (typeof META_STRATEGIES)[number];

/** Normalises non-negative weights; all zero → uniform. */
export function normalise(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (!(total > 0)) return weights.map(() => 1 / weights.length);
  return weights.map((w) => w / total);
}

/** PFSP's weights from the learner's expected score against each member (p ∈ [0, 1]). */
export function pfspDistribution(scores: readonly number[], power = 2): number[] {
  for (const p of scores) if (!(p >= 0 && p <= 1)) throw new RangeError(`pfsp: a score must be in [0, 1], got ${p}`);
  return normalise(scores.map((p) => (1 - p) ** power));
}

/** What the best pure reply to `mixture` gains in the zero-sum game A (row player's payoff): max_i (A x)_i − xᵀ A x. */
export function symmetricExploitability(a: readonly (readonly number[])[], mixture: readonly number[]): number {
  const ax = a.map((row) => row.reduce((s, v, j) => s + v * (mixture[j] as number), 0));
  const value = ax.reduce((s, v, i) => s + v * (mixture[i] as number), 0);
  return Math.max(...ax) - value;
}

function checkSquare(a: readonly (readonly number[])[]): void {
  if (a.length === 0) throw new RangeError('nash: the payoff matrix is empty');
  if (a.some((row) => row.length !== a.length || row.some((v) => !Number.isFinite(v)))) throw new RangeError(`nash: the payoff matrix must be square (${a.length}×${a.length}) with finite entries`);
}

/**
 * A symmetric equilibrium of the symmetric zero-sum game A (A[i][j]: what i gets against j,
 * A = −Aᵀ): the mixture x with (A x)_i ≤ 0 for every i, up to `tolerance`.
 */
export function symmetricNash(a: readonly (readonly number[])[], options: { iterations?: number; tolerance?: number } = {}): number[] {
  checkSquare(a);
  const n = a.length;
  const iterations = options.iterations ?? 20000;
  const tolerance = options.tolerance ?? 1e-4;
  const regret = new Array<number>(n).fill(0);
  const sum = new Array<number>(n).fill(0);
  let x = new Array<number>(n).fill(1 / n);
  for (let t = 1; t <= iterations; t++) {
    const ax = a.map((row) => row.reduce((s, v, j) => s + v * (x[j] as number), 0));
    const value = ax.reduce((s, v, i) => s + v * (x[i] as number), 0);
    for (let i = 0; i < n; i++) regret[i] = Math.max(0, (regret[i] as number) + (ax[i] as number) - value);
    for (let i = 0; i < n; i++) sum[i] = (sum[i] as number) + t * (x[i] as number);
    x = normalise(regret);
    if (t % 50 === 0 && symmetricExploitability(a, normalise(sum)) <= tolerance) break;
  }
  return normalise(sum);
}
