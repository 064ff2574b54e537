/**
 * The benchmarks' statistics: the mean over seeds with a 95% percentile-bootstrap interval of the
 * mean (10,000 resamples, seeded by the values, so a table prints the same twice).
 * @module
 */
import { Rng } from '../envs/core/rng.js';

export function meanCi(xs: readonly number[]): { mean: number; lo: number; hi: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, lo: mean, hi: mean };
  const rng = new Rng(`bootstrap:${xs.join(',')}`);
  const means = new Float64Array(10_000);
  for (let b = 0; b < means.length; b++) {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[rng.int(xs.length)] as number;
    means[b] = s / xs.length;
  }
  means.sort();
  return { mean, lo: means[Math.floor(0.025 * means.length)] as number, hi: means[Math.ceil(0.975 * means.length) - 1] as number };
}

/** `mean [lo, hi]` of shares, in percent. */
export function pctCi(xs: readonly number[]): string {
  const { mean, lo, hi } = meanCi(xs);
  return `${(mean * 100).toFixed(1)} [${(lo * 100).toFixed(1)}, ${(hi * 100).toFixed(1)}]`;
}
