/**
 * Batched generation with the KV cache: several prompts decoded together, one forward pass per
 * generated token for all of them.
 *
 * 1. Each prompt is read once (prefill), after the cache the caller kept for it when that cache's
 *    tokens are a prefix of the prompt (the agent keeps one per episode, so a step reads only the
 *    new observation); the first token is chosen from the prompt's last logits.
 * 2. The caches are stacked, left-padded to the longest (attention-bias.ts), and every row then
 *    advances one token per pass until it writes a stop token (or its own stop condition holds)
 *    or reaches its token cap; a row that stopped keeps being fed (its outputs are ignored and its
 *    extra cache entries dropped).
 * 3. Each row's cache is cut back to its own tokens and returned, for the next turn to extend.
 *
 * `generate` runs it all at once (the agent); a `BatchDecoder` runs it pass by pass, so a server
 * can let its event loop breathe between passes and stream each token as it comes.
 * @module
 */
import type { Rng } from '../../envs/core/rng.js';
import { LmError } from './errors.js';
import { chooseToken, type SamplingOptions, type TokenChoice } from './sampling.js';
import { disposeCache, joinRecent, mergeCaches, splitCache, type KvCache, type LayerCache, type TransformerLm } from './transformer.js';

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
  /** Ends the row after the token just written when it returns true (a stop string). */
  stopWhen?: (ids: readonly number[]) => boolean;
  /** Constrained decoding (constrain.ts): the tokens that may follow those written so far (an empty set: any). */
  allowed?: (ids: readonly number[]) => ReadonlySet<number>;
}

export interface Generation {
  ids: number[];
  logprobs: number[];
  top: TokenChoice['top'][];
  finishReason: 'stop' | 'length';
  /** Prompt tokens read from a reused cache (not computed again). */
  reused: number;
  /** The cache of the prompt and the written tokens but the last (the caller owns it); empty when not kept. */
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

interface RowState {
  ids: number[];
  logprobs: number[];
  top: TokenChoice['top'][];
  done: boolean;
  finishReason: 'stop' | 'length';
  reused: number;
}

/** The decoding of one batch of requests, pass by pass (see the module doc). */
export class BatchDecoder {
  private readonly rows: RowState[];
  private readonly cap: number[];
  /** The stacked prompt caches (fixed while decoding). */
  private batch: KvCache | null = null;
  /** The keys and values of the tokens written since (decodeStep's small part). */
  private recent: LayerCache[] | null = null;
  private finished = false;
  /** Forward passes run (prefills and decoding steps). */
  passes = 0;

  constructor(
    private readonly model: TransformerLm,
    private readonly requests: readonly GenerationRequest[],
    private readonly options: GenerateOptions,
  ) {
    const context = model.config.context;
    if (requests.length === 0) throw new LmError('LM_INPUT_INVALID', 'Nothing to generate: no requests.');
    for (const [i, r] of requests.entries()) {
      if (r.prompt.length === 0) throw new LmError('LM_INPUT_INVALID', `Request ${i}: the prompt is empty.`);
      if (r.prompt.length >= context) throw new LmError('LM_INPUT_INVALID', `Request ${i}: the prompt holds ${r.prompt.length} tokens, the context ${context}: cut it first.`);
      if (!(r.maxTokens >= 1)) throw new LmError('LM_INPUT_INVALID', `Request ${i}: maxTokens must be at least 1, got ${r.maxTokens}.`);
    }
    // The stacked cache is as long as the longest prompt plus the passes made: keep it in the context.
    const longest = Math.max(...requests.map((r) => r.prompt.length));
    this.cap = requests.map((r) => Math.min(r.maxTokens, context - r.prompt.length, 1 + context - longest));
    this.rows = requests.map(() => ({ ids: [], logprobs: [], top: [], done: false, finishReason: 'length', reused: 0 }));
  }

  get done(): boolean {
    return this.rows.every((r) => r.done);
  }

  private take(row: number, choice: TokenChoice): void {
    const o = this.rows[row] as RowState;
    o.ids.push(choice.id);
    o.logprobs.push(choice.logprob);
    o.top.push(choice.top);
    this.options.onToken?.(row, choice);
    if (this.options.stop.has(choice.id) || (this.requests[row] as GenerationRequest).stopWhen?.(o.ids) === true) {
      o.done = true;
      o.finishReason = 'stop';
    } else if (o.ids.length >= (this.cap[row] as number)) o.done = true;
  }

  /** Reads every prompt and chooses each first token. */
  prefill(): void {
    const V = this.model.config.vocabSize;
    const caches: KvCache[] = [];
    try {
      this.requests.forEach((r, row) => {
        const reuse = r.prefix != null && isPrefix(r.prefix.ids, r.prompt) ? r.prefix : null;
        if (r.prefix != null && reuse === null) disposeCache(r.prefix.cache);
        const start = reuse?.ids.length ?? 0;
        const step = this.model.extend(reuse?.cache ?? null, [r.prompt.slice(start)]);
        this.passes += 1;
        if (reuse !== null) disposeCache(reuse.cache);
        (this.rows[row] as RowState).reused = start;
        caches.push(step.cache);
        this.take(row, chooseToken(step.logits, 0, V, r.sampling, r.rng, r.allowed?.([])));
      });
      this.batch = mergeCaches(caches);
    } finally {
      for (const c of caches) disposeCache(c);
    }
  }

  /** One decoding pass for every row still writing. */
  step(): void {
    if (this.batch === null) throw new LmError('LM_INPUT_INVALID', 'BatchDecoder.step() before prefill().');
    if (this.done) return;
    const V = this.model.config.vocabSize;
    const fed = this.rows.map((o) => o.ids[o.ids.length - 1] as number);
    const next = this.model.decodeStep(this.batch, this.recent, fed);
    this.passes += 1;
    this.disposeRecent();
    this.recent = next.recent;
    this.rows.forEach((o, row) => {
      const r = this.requests[row] as GenerationRequest;
      if (!o.done) this.take(row, chooseToken(next.logits, row * V, V, r.sampling, r.rng, r.allowed?.(o.ids)));
    });
  }

  /** The generations (call once, when done); releases the batch's cache. */
  finish(): Generation[] {
    if (this.finished) throw new LmError('LM_INPUT_INVALID', 'BatchDecoder.finish() was called already.');
    this.finished = true;
    const batch = this.batch === null ? null : joinRecent(this.batch, this.recent);
    disposeCache(this.batch);
    this.disposeRecent();
    this.batch = null;
    try {
      const keep = this.requests.map((r, row) => r.prompt.length + (this.rows[row] as RowState).ids.length - 1);
      const own = batch === null || this.options.keepCaches === false ? null : splitCache(batch, keep);
      return this.rows.map((o, row) => ({
        ids: o.ids,
        logprobs: o.logprobs,
        top: o.top,
        finishReason: o.finishReason,
        reused: o.reused,
        prefix: own === null ? { ids: [], cache: { layers: [], length: 0, pad: Int32Array.of(0) } } : { ids: [...(this.requests[row] as GenerationRequest).prompt, ...o.ids.slice(0, -1)], cache: own[row] as KvCache },
      }));
    } finally {
      disposeCache(batch);
    }
  }

  private disposeRecent(): void {
    for (const l of this.recent ?? []) {
      l.kT.dispose();
      l.v.dispose();
    }
    this.recent = null;
  }

  /** Releases what is held (after an error). */
  dispose(): void {
    disposeCache(this.batch);
    this.disposeRecent();
    this.batch = null;
  }
}

/** Decodes every request together, at once; see the module doc. */
export function generate(model: TransformerLm, requests: readonly GenerationRequest[], options: GenerateOptions): Generation[] {
  if (requests.length === 0) return [];
  const decoder = new BatchDecoder(model, requests, options);
  try {
    decoder.prefill();
    while (!decoder.done) decoder.step();
    return decoder.finish();
  } catch (err) {
    decoder.dispose();
    throw err;
  }
}
