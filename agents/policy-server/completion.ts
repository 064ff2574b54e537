/**
 * The policy's choices as OpenAI chat completions, whole or as stream chunks. Pure.
 *
 * A reply is `Action: <action>` in two tokens: `Action: ` (log-prob 0) and the action itself
 * (log π(action)), whose alternatives (`top_logprobs`) are the other candidates, most likely first.
 * `max_tokens: 1` leaves only the first token (finish_reason `length`). Usage counts the policy's
 * own word tokens for the prompt and these two tokens for the reply.
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
}

function bytes(s: string): number[] {
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
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: ctx.fingerprint,
    choices: replies.map((r, index) => ({
      index,
      message: { role: 'assistant', content: r.content, refusal: null },
      logprobs: ctx.logprobs ? { content: r.tokens, refusal: null } : null,
      finish_reason: r.finishReason,
    })),
    usage,
  };
}

/** The stream's chunks in order (each becomes one `data:` event; `[DONE]` follows). */
export function completionChunks(ctx: CompletionContext, replies: readonly ChoiceReply[], usage: Usage, includeUsage: boolean): Record<string, unknown>[] {
  const head = { id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model, system_fingerprint: ctx.fingerprint };
  const withUsage = includeUsage ? { usage: null } : {};
  const chunks: Record<string, unknown>[] = [];
  replies.forEach((r, index) => {
    chunks.push({ ...head, choices: [{ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...withUsage });
    for (const t of r.tokens) {
      chunks.push({ ...head, choices: [{ index, delta: { content: t.token }, logprobs: ctx.logprobs ? { content: [t], refusal: null } : null, finish_reason: null }], ...withUsage });
    }
    chunks.push({ ...head, choices: [{ index, delta: {}, logprobs: null, finish_reason: r.finishReason }], ...withUsage });
  });
  if (includeUsage) chunks.push({ ...head, choices: [], usage });
  return chunks;
}
