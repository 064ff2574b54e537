/**
 * Regret matching: play each action in proportion to its positive cumulative regret; uniformly
 * when no regret is positive.
 * @module
 */

export function regretMatching(regrets: readonly number[]): number[] {
  let positive = 0;
  for (const r of regrets) if (r > 0) positive += r;
  if (positive <= 0) return regrets.map(() => 1 / regrets.length);
  return regrets.map((r) => (r > 0 ? r / positive : 0));
}

/** Normalises non-negative weights (an average strategy's cumulative weights); uniform when all are 0. */
export function normalise(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map(() => 1 / weights.length);
  return weights.map((w) => w / total);
}
