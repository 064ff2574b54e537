/**
 * Choosing the next token from logits: greedy, or sampled at a temperature with nucleus (top-p)
 * truncation; with the chosen token's log-prob and the most likely alternatives. Pure (float64).
 *
 * The log-prob reported is log π_T(token) = log softmax(logits / T)[token], the policy at the
 * sampling temperature before the top-p cut (greedy: T = 1), as the scorer reports log π at the
 * temperature it sampled. The trainer recomputes π_old at T = 1 after the rollout anyway.
 * @module
 */
import type { Rng } from '../../envs/core/rng.js';

export interface SamplingOptions {
  /** 0: greedy (the most likely token); above 0: sample from softmax(logits / temperature). */
  temperature: number;
  /** Nucleus sampling: draw from the smallest set of most likely tokens whose mass reaches topP (1: all). */
  topP: number;
  /** Alternatives to report at each position (0: none). */
  topLogprobs: number;
}

export interface TokenChoice {
  id: number;
  /** log π_T(id). */
  logprob: number;
  /** The `topLogprobs` most likely tokens and their log π_T, most likely first. */
  top: { id: number; logprob: number }[];
}

/** log softmax(logits[offset .. offset+V) / T), in float64. */
export function logSoftmax(logits: ArrayLike<number>, offset: number, V: number, temperature = 1): Float64Array {
  const out = new Float64Array(V);
  let max = -Infinity;
  for (let i = 0; i < V; i++) {
    const x = (logits[offset + i] as number) / temperature;
    out[i] = x;
    if (x > max) max = x;
  }
  let sum = 0;
  for (let i = 0; i < V; i++) sum += Math.exp((out[i] as number) - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < V; i++) out[i] = (out[i] as number) - lse;
  return out;
}

/** Token ids sorted by log-prob, most likely first (ties: smaller id first). */
function byLikelihood(lp: Float64Array): number[] {
  return Array.from(lp.keys()).sort((a, b) => (lp[b] as number) - (lp[a] as number) || a - b);
}

/** The nucleus: the shortest prefix of `order` whose probability mass reaches `topP`. */
export function nucleus(lp: Float64Array, order: readonly number[], topP: number): number[] {
  if (topP >= 1) return [...order];
  const kept: number[] = [];
  let mass = 0;
  for (const id of order) {
    kept.push(id);
    mass += Math.exp(lp[id] as number);
    if (mass >= topP) break;
  }
  return kept;
}

/**
 * Chooses one token from the row of `V` logits at `offset`. With `allowed` (constrained decoding,
 * constrain.ts) every other token's logit is −∞ first, so the distribution, the choice and the
 * log-prob are those renormalised over the allowed tokens; an empty set constrains nothing.
 */
export function chooseToken(logits: ArrayLike<number>, offset: number, V: number, options: SamplingOptions, rng: Rng, allowed?: ReadonlySet<number>): TokenChoice {
  const greedy = options.temperature === 0;
  let row: ArrayLike<number> = logits;
  let at = offset;
  if (allowed !== undefined && allowed.size > 0) {
    const masked = new Float64Array(V).fill(-Infinity);
    for (const id of allowed) if (id >= 0 && id < V) masked[id] = logits[offset + id] as number;
    row = masked;
    at = 0;
  }
  const lp = logSoftmax(row, at, V, greedy ? 1 : options.temperature);
  const order = byLikelihood(lp);
  let id: number;
  if (greedy) id = order[0] as number;
  else {
    const pool = nucleus(lp, order, options.topP);
    let total = 0;
    for (const t of pool) total += Math.exp(lp[t] as number);
    const u = rng.next() * total;
    let acc = 0;
    id = pool[pool.length - 1] as number;
    for (const t of pool) {
      acc += Math.exp(lp[t] as number);
      if (u < acc) {
        id = t;
        break;
      }
    }
  }
  const top = order.slice(0, options.topLogprobs).map((t) => ({ id: t, logprob: lp[t] as number }));
  return { id, logprob: lp[id] as number, top };
}
