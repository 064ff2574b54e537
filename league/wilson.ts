/**
 * The Wilson score interval for a binomial proportion (pure): the 95% interval reported next to
 * every win rate. Unlike the normal approximation it stays inside [0, 1] and behaves at 0 and n.
 * @module
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Proportion {
  successes: number;
  trials: number;
  /** successes / trials (0 when there are no trials). */
  rate: number;
  low: number;
  high: number;
}

export function wilson(successes: number, trials: number, z = Z95): Proportion {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < 0 || successes > trials) {
    throw new RangeError(`wilson needs 0 <= successes <= trials (integers), got ${successes}/${trials}`);
  }
  if (trials === 0) return { successes, trials, rate: 0, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    successes,
    trials,
    rate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}
