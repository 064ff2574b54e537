/**
 * The policy's choices as OpenAI chat completions, whole or as stream chunks. Pure.
 *
 * The scorer's reply is `Action: <action>` in two tokens: `Action: ` (log-prob 0) and the action
 * itself (log π(action)), whose alternatives (`top_logprobs`) are the other candidates, most
 * likely first. `max_tokens: 1` leaves only the first token (finish_reason `length`). Usage counts
 * the policy's own word tokens for the prompt and these two tokens for the reply. A language
 * model's reply is the tokens it wrote (lm-engine.ts).
 *
 * With `return_token_ids` (a ludus extension, docs/llm.md) the body also carries
 * `prompt_token_ids`, and each choice `token_ids` (every written id, the end-of-turn included) and
 * `token_logprobs` (log π of each); in a stream, each content chunk carries its `token_ids`, the
 * first chunk of a choice the `prompt_token_ids`, and the last one the end-of-turn id.
 * @module
 */
import { ACTION_PREFIX } from '../llm/prompt.js';
import type { PolicyChoice } from './policy-batcher.js';

export interface ReplyToken {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

export interface ChoiceReply {
  content: string;
  tokens: ReplyToken[];
  finishReason: 'stop' | 'length';
  /** Every token id written (the end-of-turn included), when the engine has a tokenizer. */
  tokenIds?: number[];
  /** log π of each of `tokenIds`. */
  tokenLogprobs?: number[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface CompletionContext {
  id: string;
  created: number;
  model: string;
  /** Identifies the weights (changes when the checkpoint does). */
  fingerprint: string;
  logprobs: boolean;
  /** Add the token ids (the `return_token_ids` extension). */
  returnTokenIds?: boolean;
  /** The prompt's ids, when the engine has a tokenizer. */
  promptIds?: number[] | null;
}

export function bytes(s: string): number[] {
  return Array.from(Buffer.from(s, 'utf8'));
}

/** The reply tokens of one choice. */
export function choiceReply(choice: PolicyChoice, candidates: readonly string[], topLogprobs: number, maxTokens: number | null): ChoiceReply {
  const alternatives = candidates
    .map((c, i) => ({ token: c, logprob: choice.logProbs[i] as number, i }))
    .sort((a, b) => b.logprob - a.logprob || a.i - b.i)
    .slice(0, topLogprobs)
    .map(({ token, logprob }) => ({ token, logprob, bytes: bytes(token) }));
  const all: ReplyToken[] = [
    { token: ACTION_PREFIX, logprob: 0, bytes: bytes(ACTION_PREFIX), top_logprobs: topLogprobs > 0 ? [{ token: ACTION_PREFIX, logprob: 0, bytes: bytes(ACTION_PREFIX) }] : [] },
    { token: choice.action, logprob: choice.logp, bytes: bytes(choice.action), top_logprobs: alternatives },
  ];
  const tokens = maxTokens !== null && maxTokens < all.length ? all.slice(0, maxTokens) : all;
  return { content: tokens.map((t) => t.token).join(''), tokens, finishReason: tokens.length < all.length ? 'length' : 'stop' };
}

export function usageOf(promptTokens: number, replies: readonly ChoiceReply[]): Usage {
  const completion = replies.reduce((n, r) => n + r.tokens.length, 0);
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
}

/** The non-streaming response body. */
export function completionBody(ctx: CompletionContext, replies: readonly ChoiceReply[], usage: Usage): Record<string, unknown> {
  const ids = ctx.returnTokenIds === true;
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: ctx.fingerprint,
    ...(ids ? { prompt_token_ids: ctx.promptIds ?? null } : {}),
    choices: replies.map((r, index) => ({
      index,
      message: { role: 'assistant', content: r.content, refusal: null },
      logprobs: ctx.logprobs ? { content: r.tokens, refusal: null } : null,
      finish_reason: r.finishReason,
      ...(ids ? { token_ids: r.tokenIds ?? null, token_logprobs: r.tokenLogprobs ?? null } : {}),
    })),
    usage,
  };
}

/** Builds the chunks of one stream (each becomes one `data:` event; `[DONE]` follows). */
export class ChunkWriter {
  private readonly head: Record<string, unknown>;
  private readonly withUsage: Record<string, unknown>;

  constructor(
    private readonly ctx: CompletionContext,
    private readonly includeUsage: boolean,
  ) {
    this.head = { id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model, system_fingerprint: ctx.fingerprint };
    this.withUsage = includeUsage ? { usage: null } : {};
  }

  private ids(value: Record<string, unknown>): Record<string, unknown> {
    return this.ctx.returnTokenIds === true ? value : {};
  }

  /** The first chunk of a choice: the assistant role. */
  role(index: number): Record<string, unknown> {
    return { ...this.head, ...this.ids({ prompt_token_ids: this.ctx.promptIds ?? null }), choices: [{ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...this.withUsage };
  }

  /** One token of content. */
  token(index: number, t: ReplyToken, tokenIds?: number[]): Record<string, unknown> {
    return { ...this.head, choices: [{ index, delta: { content: t.token }, logprobs: this.ctx.logprobs ? { content: [t], refusal: null } : null, finish_reason: null, ...this.ids({ token_ids: tokenIds ?? null }) }], ...this.withUsage };
  }

  /** The last chunk of a choice: why it stopped (and the ids written after its content: the end-of-turn). */
  finish(index: number, reason: ChoiceReply['finishReason'], tokenIds?: number[]): Record<string, unknown> {
    return { ...this.head, choices: [{ index, delta: {}, logprobs: null, finish_reason: reason, ...this.ids({ token_ids: tokenIds ?? [] }) }], ...this.withUsage };
  }

  /** The usage chunk, when asked for (after every choice finished). */
  usage(usage: Usage): Record<string, unknown> | null {
    return this.includeUsage ? { ...this.head, choices: [], usage } : null;
  }
}

/** The stream's chunks in order, choice after choice (an engine that answers at once). */
export function completionChunks(ctx: CompletionContext, replies: readonly ChoiceReply[], usage: Usage, includeUsage: boolean): Record<string, unknown>[] {
  const w = new ChunkWriter(ctx, includeUsage);
  const chunks: Record<string, unknown>[] = [];
  replies.forEach((r, index) => {
    chunks.push(w.role(index));
    r.tokens.forEach((t, k) => chunks.push(w.token(index, t, r.tokenIds === undefined ? undefined : [r.tokenIds[k] as number])));
    chunks.push(w.finish(index, r.finishReason, r.tokenIds?.slice(r.tokens.length)));
  });
  const u = w.usage(usage);
  if (u !== null) chunks.push(u);
  return chunks;
}
