/**
 * How a speaker proposes and picks during latent-space construction (the paper's data recipe): it
 * proposes N distinct candidates, drawn from its own distribution without replacement, and one of
 * them is said, chosen uniformly, so the games explore more than the speaker's favourites.
 * @module
 */
import type { Rng } from '../../envs/core/rng.js';

/**
 * `n` distinct indices drawn from `probs` without replacement (Gumbel-top-k: the n largest
 * log p + Gumbel noise), in draw order. All indices when n ≥ their number; zero-probability
 * indices come last.
 */
export function proposeWithoutReplacement(probs: ArrayLike<number>, n: number, rng: Rng): number[] {
  const keys: { index: number; key: number }[] = [];
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    const u = Math.min(Math.max(rng.next(), 1e-300), 1 - 1e-16);
    keys.push({ index: i, key: p > 0 ? Math.log(p) - Math.log(-Math.log(u)) : -Infinity });
  }
  keys.sort((a, b) => b.key - a.key || a.index - b.index);
  return keys.slice(0, Math.max(0, Math.min(n, keys.length))).map((k) => k.index);
}

/** One of `items`, uniformly. */
export function pickUniformly<T>(items: readonly T[], rng: Rng): T {
  if (items.length === 0) throw new RangeError('pickUniformly needs at least one item');
  return items[rng.int(items.length)] as T;
}

/** An index drawn from `probs` (which sum to 1). */
export function sampleIndex(probs: ArrayLike<number>, rng: Rng): number {
  const u = rng.next();
  let acc = 0;
  for (let i = 0; i < probs.length; i++) {
    acc += probs[i] as number;
    if (u < acc) return i;
  }
  return probs.length - 1;
}
