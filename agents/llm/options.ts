/**
 * LLM agent options: documented defaults, spread once and validated once.
 * @module
 */
import { z } from 'zod';
import { OptionsError } from '../../envs/core/errors.js';
import { formatIssues } from '../../envs/core/registry.js';
import { DEFAULT_SYSTEM_PROMPT } from './prompt.js';

export interface LlmAgentOptions {
  /** The OpenAI-compatible API root, e.g. `http://127.0.0.1:8000/v1` (vLLM, llama.cpp, Ollama, ludus serve-policy). */
  baseURL: string;
  /** The model name the endpoint serves. */
  model: string;
  /** Bearer key. Default: `$LUDUS_LLM_API_KEY`, then `$OPENAI_API_KEY`, then `none` (local servers ignore it). */
  apiKey?: string;
  /** Shown in records and the viewer. Default `llm:<model>`. */
  name?: string;
  /** Replaces the instructions of the system message (the prompt format stays). */
  systemPrompt: string;
  /** Past steps put in the prompt (the most recent ones). Default 4. */
  historyWindow: number;
  /** Sampling temperature sent with each request. Default 0 (greedy on servers that honour it). */
  temperature: number;
  /** `max_tokens` sent with each request. Default 256. */
  maxTokens: number;
  /** A reply is cut to this many characters before it is parsed and recorded. Default 8000. */
  maxReplyChars: number;
  /** Requests in flight at once, across every `act` call of this agent. Default 8. */
  concurrency: number;
  /** Per-attempt timeout in ms. Default 60 000. */
  timeoutMs: number;
  /** Retries after a timeout, a connection error, 408/409/429 or 5xx (exponential backoff, honouring Retry-After). Default 3. */
  maxRetries: number;
  /** Ask for token log-probs and use them when the server returns them. Default true. */
  logprobs: boolean;
  /** Alternatives per token to ask for (0..20). Default 0. */
  topLogprobs: number;
  /** Read the reply as a server-sent event stream (and stop reading at `maxReplyChars`). Default false. */
  stream: boolean;
  /** Fuzzy matches scoring below this (0..100) are not mapped to an admissible action. Default 80. */
  minMatchScore: number;
  /**
   * A request that still fails after the retries: `throw` (default) fails the `act` call with an
   * LlmError; `invalid` sends an empty action (the env's invalid-action policy applies) and records the error.
   */
  onError: 'throw' | 'invalid';
  /** Sent as `seed` (servers that support it sample reproducibly). */
  seed?: number;
  /** Extra fields merged into every request body (e.g. vLLM's `top_k`). */
  extraBody?: Record<string, unknown>;
}

export const DEFAULT_LLM_AGENT_OPTIONS = {
  systemPrompt: DEFAULT_SYSTEM_PROMPT,
  historyWindow: 4,
  temperature: 0,
  maxTokens: 256,
  maxReplyChars: 8000,
  concurrency: 8,
  timeoutMs: 60_000,
  maxRetries: 3,
  logprobs: true,
  topLogprobs: 0,
  stream: false,
  minMatchScore: 80,
  onError: 'throw',
} satisfies Omit<LlmAgentOptions, 'baseURL' | 'model'>;

const schema = z
  .object({
    baseURL: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s):// URL, e.g. http://127.0.0.1:8000/v1'),
    model: z.string().min(1, 'must name the model the endpoint serves'),
    apiKey: z.string().optional(),
    name: z.string().min(1).optional(),
    systemPrompt: z.string(),
    historyWindow: z.number().int().min(0),
    temperature: z.number().min(0).max(2),
    maxTokens: z.number().int().min(1),
    maxReplyChars: z.number().int().min(16),
    concurrency: z.number().int().min(1).max(1024),
    timeoutMs: z.number().int().min(1),
    maxRetries: z.number().int().min(0).max(10),
    logprobs: z.boolean(),
    topLogprobs: z.number().int().min(0).max(20),
    stream: z.boolean(),
    minMatchScore: z.number().min(0).max(100),
    onError: z.enum(['throw', 'invalid']),
    seed: z.number().int().optional(),
    extraBody: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type LlmAgentOptionsInput = Pick<LlmAgentOptions, 'baseURL' | 'model'> & Partial<Omit<LlmAgentOptions, 'baseURL' | 'model'>>;

/** Spreads the defaults and validates; throws OptionsError naming the bad option. */
export function resolveLlmAgentOptions(options: LlmAgentOptionsInput): LlmAgentOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse({ ...DEFAULT_LLM_AGENT_OPTIONS, ...defined });
  if (!parsed.success) throw new OptionsError('the LLM agent', formatIssues(parsed.error));
  return { ...parsed.data, baseURL: parsed.data.baseURL.replace(/\/+$/, '') } as LlmAgentOptions;
}
