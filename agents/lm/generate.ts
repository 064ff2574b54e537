/**
 * Batched generation with the KV cache: several prompts decoded together, one forward pass per
 * generated token for all of them.
 *
 * 1. Each prompt is read once (prefill), after the cache the caller kept for it when that cache's
 *    tokens are a prefix of the prompt (the agent keeps one per episode, so a step reads only the
 *    new observation); the first token is chosen from the prompt's last logits.
 * 2. The caches are stacked, left-padded to the longest (attention-bias.ts), and every row then
 *    advances one token per pass until it writes a stop token or reaches its token cap; a row that
 *    stopped keeps being fed (its outputs are ignored and its extra cache entries dropped).
 * 3. Each row's cache is cut back to its own tokens and returned, for the next turn to extend.
 * @module
 */
import type { Rng } from '../../envs/core/rng.js';
import { LmError } from './errors.js';
import { chooseToken, type SamplingOptions, type TokenChoice } from './sampling.js';
import { disposeCache, mergeCaches, splitCache, type KvCache, type TransformerLm } from './transformer.js';

/** A cache and the token ids it holds. */
export interface CachedPrefix {
  ids: number[];
  cache: KvCache;
}

export interface GenerationRequest {
  prompt: readonly number[];
  /** Most tokens to write. */
  maxTokens: number;
  sampling: SamplingOptions;
  /** Draws this row's samples (a request's own rng gives the same reply whatever else is in the batch). */
  rng: Rng;
  /** A cache whose ids may be a prefix of the prompt (reused, then disposed: the caller hands it over). */
  prefix?: CachedPrefix | null;
}

export interface Generation {
  ids: number[];
  logprobs: number[];
  top: TokenChoice['top'][];
  finishReason: 'stop' | 'length';
  /** Prompt tokens read from a reused cache (not computed again). */
  reused: number;
  /** The cache of the prompt and the written tokens but the last (the caller owns it). */
  prefix: CachedPrefix;
}

export interface GenerateOptions {
  /** Token ids that end a reply (written, then stop). */
  stop: ReadonlySet<number>;
  /** Called as soon as each token is chosen (streaming). */
  onToken?: (row: number, choice: TokenChoice) => void;
  /** Keep the caches for the caller (default true); false disposes them. */
  keepCaches?: boolean;
}

function isPrefix(prefix: readonly number[], of: readonly number[]): boolean {
  if (prefix.length >= of.length) return false; // at least one new token must be read
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== of[i]) return false;
  return true;
}

/** Decodes every request together; see the module doc. */
export function generate(model: TransformerLm, requests: readonly GenerationRequest[], options: GenerateOptions): Generation[] {
  const V = model.config.vocabSize;
  const context = model.config.context;
  const rows = requests.length;
  if (rows === 0) return [];
  for (const [i, r] of requests.entries()) {
    if (r.prompt.length === 0) throw new LmError('LM_INPUT_INVALID', `Request ${i}: the prompt is empty.`);
    if (r.prompt.length >= context) throw new LmError('LM_INPUT_INVALID', `Request ${i}: the prompt holds ${r.prompt.length} tokens, the context ${context}: cut it first.`);
    if (!(r.maxTokens >= 1)) throw new LmError('LM_INPUT_INVALID', `Request ${i}: maxTokens must be at least 1, got ${r.maxTokens}.`);
  }

  // 1. Prefill each prompt after its reusable cache, and choose each first token.
  const out = requests.map(() => ({ ids: [] as number[], logprobs: [] as number[], top: [] as TokenChoice['top'][], done: false, finishReason: 'length' as 'stop' | 'length', reused: 0 }));
  const caches: KvCache[] = [];
  // The stacked cache is as long as the longest prompt plus the passes made: keep it in the context.
  const longest = Math.max(...requests.map((r) => r.prompt.length));
  const cap = requests.map((r) => Math.min(r.maxTokens, context - r.prompt.length, 1 + context - longest));
  const take = (row: number, choice: TokenChoice) => {
    const o = out[row]!;
    o.ids.push(choice.id);
    o.logprobs.push(choice.logprob);
    o.top.push(choice.top);
    options.onToken?.(row, choice);
    if (options.stop.has(choice.id)) {
      o.done = true;
      o.finishReason = 'stop';
    } else if (o.ids.length >= (cap[row] as number)) o.done = true;
  };
  try {
    requests.forEach((r, row) => {
      const reuse = r.prefix != null && isPrefix(r.prefix.ids, r.prompt) ? r.prefix : null;
      if (r.prefix != null && reuse === null) disposeCache(r.prefix.cache);
      const start = reuse?.ids.length ?? 0;
      const step = model.extend(reuse?.cache ?? null, [r.prompt.slice(start)]);
      if (reuse !== null) disposeCache(reuse.cache);
      out[row]!.reused = start;
      caches.push(step.cache);
      take(row, chooseToken(step.logits, 0, V, r.sampling, r.rng));
    });
  } catch (err) {
    for (const c of caches) disposeCache(c);
    throw err;
  }

  // 2. Decode all rows together, one token per pass.
  let batch = mergeCaches(caches);
  for (const c of caches) disposeCache(c);
  try {
    while (out.some((o) => !o.done)) {
      const fed = out.map((o) => [o.ids[o.ids.length - 1] as number]);
      const step = model.extend(batch, fed);
      disposeCache(batch);
      batch = step.cache;
      out.forEach((o, row) => {
        if (!o.done) take(row, chooseToken(step.logits, row * V, V, (requests[row] as GenerationRequest).sampling, (requests[row] as GenerationRequest).rng));
      });
    }
    // 3. Each row's own cache: the prompt and every written token but the last.
    const keep = requests.map((r, row) => r.prompt.length + out[row]!.ids.length - 1);
    const own = options.keepCaches === false ? null : splitCache(batch, keep);
    return out.map((o, row) => ({
      ids: o.ids,
      logprobs: o.logprobs,
      top: o.top,
      finishReason: o.finishReason,
      reused: o.reused,
      prefix: own === null ? { ids: [], cache: { layers: [], length: 0, pad: Int32Array.of(0) } } : { ids: [...(requests[row] as GenerationRequest).prompt, ...o.ids.slice(0, -1)], cache: own[row] as KvCache },
    }));
  } finally {
    disposeCache(batch);
  }
}
