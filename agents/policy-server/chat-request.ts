/**
 * The chat-completions request the policy server accepts: the OpenAI fields it honours, validated
 * once with zod, with the OpenAI defaults (temperature 1, top_p 1, n 1). OpenAI fields it has no
 * use for (tools, user, presence_penalty, ...) are accepted and ignored, as OpenAI-compatible
 * servers do; a field the OpenAI API does not have is refused with a 400 naming it (as OpenAI
 * does), except the ludus extension `return_token_ids` (docs/llm.md, "Token ids").
 * @module
 */
import { z } from 'zod';
import type { ChatMessage } from '../llm/prompt.js';
import { badRequest } from './openai-errors.js';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with the usage. */
  includeUsage: boolean;
  /** 0 is greedy (the policy's evaluation mode); above 0 samples at that temperature. */
  temperature: number;
  /** `max_completion_tokens` or `max_tokens`; null for no cap. */
  maxTokens: number | null;
  logprobs: boolean;
  topLogprobs: number;
  n: number;
  /** Seeds the sampling of this request (same seed, same prompt: same reply). */
  seed: number | null;
  /** Nucleus sampling mass (1: none). */
  topP: number;
  /** Up to 4 strings that end the reply (not included in it). */
  stop: string[];
  /** ludus extension: return the prompt's and each choice's token ids (and the choices' per-token log-probs). */
  returnTokenIds: boolean;
}

/** The request fields of OpenAI's chat-completions API (accepted; the ones not read are ignored). */
const OPENAI_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'temperature', 'top_p', 'n', 'stop', 'max_tokens', 'max_completion_tokens',
  'logprobs', 'top_logprobs', 'seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'user', 'tools', 'tool_choice',
  'parallel_tool_calls', 'response_format', 'functions', 'function_call', 'store', 'metadata', 'service_tier', 'modalities',
  'audio', 'prediction', 'reasoning_effort', 'web_search_options', 'verbosity', 'safety_identifier', 'prompt_cache_key',
]);
/** ludus's own request fields. */
const EXTENSION_FIELDS = new Set(['return_token_ids']);

/** The most choices one request may ask for. */
export const MAX_N = 16;

const text = z.string();
const part = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([text, z.array(part), z.null()]).optional(),
  })
  .passthrough();

const schema = z
  .object({
    model: z.string().min(1, 'is required'),
    messages: z.array(message).min(1, 'must hold at least one message'),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
    n: z.number().int().min(1).max(MAX_N).nullish(),
    seed: z.number().int().nullish(),
    top_p: z.number().gt(0).max(1).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4, 'holds at most 4 sequences')]).nullish(),
    return_token_ids: z.boolean().nullish(),
  })
  .passthrough();

function contentText(content: unknown, index: number): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  const parts = content as { type: string; text?: string }[];
  const other = parts.find((p) => p.type !== 'text');
  if (other !== undefined) throw badRequest(`messages[${index}].content: only text parts are supported, got a '${other.type}' part`, `messages[${index}].content`);
  return parts.map((p) => p.text ?? '').join('');
}

/** Validates a parsed JSON body; throws a 400 OpenAiHttpError naming the bad field. */
export function readChatRequest(body: unknown): ChatRequest {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const unknown = Object.keys(body).find((k) => !OPENAI_FIELDS.has(k) && !EXTENSION_FIELDS.has(k));
    if (unknown !== undefined) throw badRequest(`Unrecognized request argument supplied: ${unknown}`, unknown, 'unknown_parameter');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const param = issue.path.join('.') || null;
    throw badRequest(`${param ?? 'body'}: ${issue.message}`, param);
  }
  const r = parsed.data;
  if (r.top_logprobs != null && r.top_logprobs > 0 && r.logprobs !== true) throw badRequest('top_logprobs needs logprobs: true', 'top_logprobs');
  const messages: ChatMessage[] = [];
  r.messages.forEach((m, i) => {
    if (m.role === 'tool' || m.role === 'function') return;
    messages.push({ role: m.role === 'developer' ? 'system' : m.role, content: contentText(m.content, i) });
  });
  return {
    model: r.model,
    messages,
    stream: r.stream === true,
    includeUsage: r.stream_options?.include_usage === true,
    temperature: r.temperature ?? 1,
    maxTokens: r.max_completion_tokens ?? r.max_tokens ?? null,
    logprobs: r.logprobs === true,
    topLogprobs: r.top_logprobs ?? 0,
    n: r.n ?? 1,
    seed: r.seed ?? null,
    topP: r.top_p ?? 1,
    stop: r.stop == null ? [] : typeof r.stop === 'string' ? [r.stop] : r.stop.filter((x) => x !== ''),
    returnTokenIds: r.return_token_ids === true,
  };
}
