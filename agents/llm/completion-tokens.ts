/**
 * A chat completion's turn record (agents/turn-tokens.ts) from what an OpenAI-compatible server
 * returned. Pure.
 *
 * - Token strings and per-token log-probs come from `choices[0].logprobs.content` (`token`,
 *   `logprob`, `top_logprobs`), as OpenAI, vLLM, SGLang, llama.cpp and `ludus serve-policy` send them.
 * - Token ids are read from, in this order: `choices[0].token_ids` (vLLM's `return_token_ids: true`,
 *   which also gives the prompt's ids as `prompt_token_ids`); a numeric `token_id` (or `id`) field on
 *   every `logprobs.content` entry; token strings that all read `token_id:<n>` (vLLM's
 *   `return_tokens_as_token_ids: true`; the token texts are then unknown and stay null).
 * - A server that returns no log-probs gives `tokens`, `logprobs` null; ids may still be known.
 * - Anything that contradicts itself (ids and log-probs of different lengths, log-probs above 0
 *   or not finite) is dropped field by field rather than kept wrong; `problem` says what was dropped.
 * @module
 */
import { turnTokensProblem, type PromptMessage, type TopLogprob, type TurnTokens } from '../turn-tokens.js';

/** One `logprobs.content` entry as servers send it (extra fields allowed). */
export interface ContentLogprob {
  token: string;
  logprob: number;
  top_logprobs?: readonly { token: string; logprob: number }[] | null;
  token_id?: unknown;
  id?: unknown;
}

/** What the agent knows about one completion, from the response. */
export interface CompletionTokenInput {
  prompt: readonly PromptMessage[];
  /** The whole generated text. */
  content: string;
  /** The reply was cut before its end (a runaway stream): its tokens are incomplete. */
  truncated: boolean;
  logprobs: readonly ContentLogprob[] | null;
  /** `choices[0].token_ids`. */
  tokenIds: readonly unknown[] | null;
  /** `prompt_token_ids`. */
  promptIds: readonly unknown[] | null;
  model: string;
  finishReason: string | null;
  /** Keep the alternatives at each position (only when they were asked for). */
  keepTop: boolean;
  sampling: { temperature: number; maxTokens: number };
}

export interface CompletionTokens {
  tokens: TurnTokens;
  /** Where the ids came from (`token_ids`, `token_id field`, `token_id: strings`), or null when unknown. */
  idSource: 'token_ids' | 'token_id field' | 'token_id: strings' | null;
  /** What was dropped and why, or null. */
  problem: string | null;
}

const TOKEN_ID_STRING = /^token_id:(\d+)$/;

function asIds(values: readonly unknown[] | null): number[] | null {
  if (values === null || values.length === 0) return null;
  return values.every((v) => Number.isInteger(v) && (v as number) >= 0) ? (values as number[]).slice() : null;
}

export function completionTokens(input: CompletionTokenInput): CompletionTokens {
  const problems: string[] = [];
  const entries = input.truncated ? null : input.logprobs;
  let tokens: string[] | null = entries === null ? null : entries.map((e) => e.token);
  let logprobs: number[] | null = entries === null ? null : entries.map((e) => e.logprob);
  let top: TopLogprob[][] | null =
    entries !== null && input.keepTop && entries.every((e) => Array.isArray(e.top_logprobs))
      ? entries.map((e) => (e.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })))
      : null;
  if (logprobs !== null && !logprobs.every((x) => typeof x === 'number' && Number.isFinite(x) && x <= 1e-6)) {
    problems.push('the server sent log-probs that are not finite numbers ≤ 0: log-probs dropped');
    logprobs = null;
    top = null;
  }

  let ids: number[] | null = null;
  let idSource: CompletionTokens['idSource'] = null;
  const fromField = asIds(input.truncated ? null : input.tokenIds);
  const perEntry = entries === null || entries.length === 0 ? null : asIds(entries.map((e) => (e.token_id !== undefined ? e.token_id : e.id)));
  const fromStrings = tokens !== null && tokens.length > 0 && tokens.every((t) => TOKEN_ID_STRING.test(t)) ? tokens.map((t) => Number(TOKEN_ID_STRING.exec(t)![1])) : null;
  if (fromField !== null) {
    ids = fromField;
    idSource = 'token_ids';
  } else if (perEntry !== null) {
    ids = perEntry;
    idSource = 'token_id field';
  } else if (fromStrings !== null) {
    ids = fromStrings;
    idSource = 'token_id: strings';
  }
  if (fromStrings !== null) tokens = null; // `token_id:N` is not the token's text
  const length = tokens?.length ?? logprobs?.length ?? null;
  if (ids !== null && length !== null && ids.length !== length) {
    problems.push(`the server sent ${ids.length} token ids for ${length} log-prob entries: ids dropped`);
    ids = null;
    idSource = null;
  }
  const promptIds = asIds(input.promptIds);

  const record: TurnTokens = {
    prompt: input.prompt.map((m) => ({ role: m.role, content: m.content })),
    promptIds,
    completion: input.content,
    tokens,
    ids,
    logprobs,
    ...(top === null ? {} : { top }),
    model: input.model,
    finishReason: input.finishReason,
    sampling: { temperature: input.sampling.temperature, maxTokens: input.sampling.maxTokens },
  };
  if (input.truncated) problems.push('the reply was cut at maxReplyChars: its tokens are incomplete and were not kept');
  const left = turnTokensProblem(record);
  if (left !== null) {
    // Should not happen after the checks above; keep the text, drop the token-level fields.
    problems.push(`${left}: token-level fields dropped`);
    return { tokens: { ...record, tokens: null, ids: null, logprobs: null, top: null }, idSource: null, problem: problems.join('; ') };
  }
  return { tokens: record, idSource, problem: problems.length === 0 ? null : problems.join('; ') };
}
