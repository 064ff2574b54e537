/**
 * What each row of a batch counts for in the PPO loss (docs/training.md, "Beyond SFT"):
 *
 * - `skipGroups: 'uniform'` gives weight 0 to every row of an episode group whose trajectories all
 *   returned the same (all success or all failure), so those rows add no policy-gradient, KL or
 *   entropy term, and the mean is over the groups that rank their episodes. `'none'` keeps them.
 * - `aggregation: 'row'` weighs every row alike (the token-mean of verl: long episodes count more);
 *   `'trajectory'` weighs each trajectory alike (seq-mean-token-mean: a row of a T-step trajectory
 *   counts 1/T), scaled so the weights still sum to the number of rows that are kept.
 *
 * With `'none'` and `'row'` the weights are null: the loss is the plain row mean, as before.
 * @module
 */

export type SkipGroups = 'none' | 'uniform';
export type LossAggregation = 'row' | 'trajectory';

export interface RowWeightOptions {
  skipGroups: SkipGroups;
  aggregation: LossAggregation;
}

/** Two returns closer than this are the same outcome. */
export const SAME_RETURN_TOL = 1e-9;

/**
 * The groups whose members all returned the same: `groupOf[i]` is trajectory i's group and
 * `returns[i]` its return. A group of one trajectory counts as uniform (it ranks nothing).
 */
export function uniformGroups(groupOf: readonly string[], returns: ArrayLike<number>): Set<string> {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  groupOf.forEach((g, i) => {
    const r = returns[i] as number;
    lo.set(g, Math.min(lo.get(g) ?? Infinity, r));
    hi.set(g, Math.max(hi.get(g) ?? -Infinity, r));
  });
  const out = new Set<string>();
  for (const [g, l] of lo) if ((hi.get(g) as number) - l <= SAME_RETURN_TOL) out.add(g);
  return out;
}

/**
 * Per-row weights, or null when every row weighs 1. `rowTrajectory[r]` is row r's trajectory;
 * `groupOf` and `returns` are per trajectory.
 */
export function rowWeights(
  rowTrajectory: ArrayLike<number>,
  groupOf: readonly string[],
  returns: ArrayLike<number>,
  options: RowWeightOptions,
): Float64Array | null {
  if (options.skipGroups === 'none' && options.aggregation === 'row') return null;
  const n = rowTrajectory.length;
  const skip = options.skipGroups === 'uniform' ? uniformGroups(groupOf, returns) : new Set<string>();
  const w = new Float64Array(n);
  const rowsOf = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const t = rowTrajectory[r] as number;
    rowsOf.set(t, (rowsOf.get(t) ?? 0) + 1);
  }
  let kept = 0;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const t = rowTrajectory[r] as number;
    if (skip.has(groupOf[t] as string)) continue;
    w[r] = options.aggregation === 'trajectory' ? 1 / (rowsOf.get(t) as number) : 1;
    kept++;
    sum += w[r] as number;
  }
  if (sum > 0) for (let r = 0; r < n; r++) w[r] = ((w[r] as number) * kept) / sum;
  return w;
}

/** Share of the weights that are 0 (rows left out of the loss). */
export function skippedShare(weights: Float64Array | null): number {
  if (weights === null || weights.length === 0) return 0;
  let zeros = 0;
  for (const x of weights) if (x === 0) zeros++;
  return zeros / weights.length;
}
