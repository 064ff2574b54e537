/**
 * Where REFUEL branches (docs/training.md, "Beyond SFT"): the turn h at which the second
 * continuation leaves the first, and the roll-in it leaves. A pair teaches something only when its
 * two returns differ; from a weak start ~90% of uniformly drawn pairs both fail, and from a
 * confident SFT start most drawn turns give the same action twice (the pair is dropped).
 *
 * - `uniform`: h uniform over the roll-in's steps (REFUEL as published).
 * - `uncertain`: h at the roll-in step where the sampling policy's distribution had the highest
 *   entropy (ties: uniform among them; no distribution or all certain: uniform), so the two
 *   continuations are most likely to choose differently there.
 * - `success`: the roll-in replays a stored success of the task (the per-task buffer ARPO keeps,
 *   filled with this run's own successes), h uniform over its steps; the continuation is the
 *   policy's, so R¹ = success and the pair differs whenever the policy fails from h on. A task with
 *   no stored success yet rolls in with the policy, as `uniform`.
 * @module
 */

export const BRANCH_RULES = ['uniform', 'uncertain', 'success'] as const;
export type BranchRule = (typeof BRANCH_RULES)[number];

/** Shannon entropy −Σ p·ln p of a distribution (0 for null, for an empty one, and for p = 0 terms). */
export function entropyOf(probs: readonly number[] | null | undefined): number {
  if (probs == null) return 0;
  let h = 0;
  for (const p of probs) if (p > 0) h -= p * Math.log(p);
  return h;
}

/** Entropies closer than this are a tie. */
export const ENTROPY_TIE = 1e-12;

/**
 * The branch turn among `entropies.length` roll-in steps (≥ 1). `uniform` and `success` draw
 * uniformly; `uncertain` takes the most uncertain step. `random` is uniform in [0, 1).
 */
export function branchTurn(rule: BranchRule, entropies: readonly number[], random: () => number): number {
  const T = entropies.length;
  if (T < 1) throw new RangeError('branchTurn: the roll-in has no steps to branch from.');
  const uniform = () => Math.min(T - 1, Math.floor(random() * T));
  if (rule !== 'uncertain') return uniform();
  let best = -Infinity;
  for (const h of entropies) if (h > best) best = h;
  if (!(best > ENTROPY_TIE)) return uniform();
  const top: number[] = [];
  entropies.forEach((h, t) => {
    if (best - h <= ENTROPY_TIE) top.push(t);
  });
  return top[Math.min(top.length - 1, Math.floor(random() * top.length))] as number;
}

/** Two returns that differ by more than this are different outcomes. */
export const OUTCOME_TOL = 1e-9;

/** Share of pairs whose two returns differ (0 for no pairs). */
export function differingShare(pairs: readonly (readonly [number, number])[]): number {
  if (pairs.length === 0) return 0;
  return pairs.filter(([a, b]) => Math.abs(a - b) > OUTCOME_TOL).length / pairs.length;
}
