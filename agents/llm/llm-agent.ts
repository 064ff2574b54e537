/**
 * The LLM agent: plays any text env (an episode, or a seat of a game) through an OpenAI-compatible
 * chat-completions endpoint (vLLM, llama.cpp, Ollama, OpenAI, `ludus serve-policy`), with the
 * official `openai` package pointed at a base URL.
 *
 * One request per decision, at most `concurrency` in flight for the whole agent. The prompt
 * (prompt.ts) gives the goal, a window of the history and the candidates; the reply's action
 * (reply.ts) is mapped to the nearest candidate (action-match.ts). Each decision's `meta` keeps
 * the raw reply (cut to `maxReplyChars`), how it was read and mapped, token usage, latency and
 * the attempts; `logp` (and `probs`) come from the token log-probs when the server returns them.
 * Timeouts, connection errors, 429 and 5xx are retried by the openai client with exponential
 * backoff (it honours Retry-After).
 *
 * @example
 * const agent = new LlmAgent({ baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen2.5-7b-instruct' });
 * const episode = await runEpisode(make('household-v1'), agent);
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type OpenAI from 'openai';
import type { Agent, AgentInput, Decision } from '../agent.js';
import type { JsonObject } from '../../envs/core/types.js';
import { matchAction } from './action-match.js';
import { LlmError } from './errors.js';
import { Limiter } from './limiter.js';
import { completionTokens } from './completion-tokens.js';
import { actionLogprobs, type TokenLogprob } from './logprobs.js';
import { resolveLlmAgentOptions, type LlmAgentOptions, type LlmAgentOptionsInput } from './options.js';
import { renderPrompt, type ChatMessage, type PromptInput } from './prompt.js';
import { parseReply } from './reply.js';

/** What one request came back with, streamed or not. */
interface Completion {
  content: string;
  /** Characters the server sent (before the cut). */
  contentChars: number;
  truncated: boolean;
  finishReason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  logprobs: TokenLogprob[] | null;
  model: string | null;
  /** The whole generated text (`content` is cut to maxReplyChars). */
  full: string;
  /** `choices[0].token_ids` (vLLM's `return_token_ids`), when sent. */
  tokenIds: unknown[] | null;
  /** `prompt_token_ids`, when sent. */
  promptIds: unknown[] | null;
}

/** Attempts of one request, counted by the fetch the openai client calls. */
interface AttemptLog {
  attempts: number;
  /** Why each failed attempt failed: an HTTP status, 'timeout' or 'connection'. */
  failures: string[];
}

const PLACEHOLDER = /<[^<>\s]+>/;

type OpenAiModule = typeof import('openai');
let openAiModule: Promise<OpenAiModule> | undefined;

/** The openai package, loaded on first use (it costs ~0.1 s to import; most commands never need it). */
function loadOpenAi(): Promise<OpenAiModule> {
  openAiModule ??= import('openai');
  return openAiModule;
}

/** The prompt input of one agent input, with the history cut to the window. */
export function promptInputOf(input: AgentInput, historyWindow: number): PromptInput {
  const templates = input.observation.actions.filter((a) => PLACEHOLDER.test(a));
  return {
    envId: input.envId,
    ...(input.seat === undefined ? {} : { seat: input.seat }),
    ...(input.observation.goal === undefined ? {} : { goal: input.observation.goal }),
    text: input.observation.text,
    history: historyWindow === 0 ? [] : input.history.slice(-historyWindow),
    candidates: input.candidates,
    ...(templates.length > 0 ? { templates } : {}),
  };
}

export class LlmAgent implements Agent {
  readonly name: string;
  readonly options: Readonly<LlmAgentOptions>;
  private client?: OpenAI;
  private sdk?: OpenAiModule;
  private readonly limiter: Limiter;
  private readonly attemptLog = new AsyncLocalStorage<AttemptLog>();
  /** Cleared when the server refuses `logprobs` (some do): later requests go without. */
  private askLogprobs: boolean;

  constructor(options: LlmAgentOptionsInput) {
    this.options = Object.freeze(resolveLlmAgentOptions(options));
    this.name = this.options.name ?? `llm:${this.options.model}`;
    this.limiter = new Limiter(this.options.concurrency);
    this.askLogprobs = this.options.logprobs;
  }

  /** The openai client (made on first use). */
  private async openai(): Promise<OpenAI> {
    if (this.client) return this.client;
    this.sdk = await loadOpenAi();
    this.client ??= new this.sdk.OpenAI({
      baseURL: this.options.baseURL,
      apiKey: this.options.apiKey ?? process.env.LUDUS_LLM_API_KEY ?? process.env.OPENAI_API_KEY ?? 'none',
      timeout: this.options.timeoutMs,
      maxRetries: this.options.maxRetries,
      fetch: (url, init) => this.countedFetch(url, init),
    });
    return this.client;
  }

  /** Requests in flight and waiting (for tests and progress displays). */
  get load(): { active: number; queued: number } {
    return { active: this.limiter.active, queued: this.limiter.queued };
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    await this.openai();
    const settled = await Promise.allSettled(inputs.map((input) => this.limiter.run(() => this.decide(input))));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<Decision>).value);
  }

  private async decide(input: AgentInput): Promise<Decision> {
    const prompt = promptInputOf(input, this.options.historyWindow);
    const messages = renderPrompt(prompt, this.options.systemPrompt);
    const log: AttemptLog = { attempts: 0, failures: [] };
    const started = performance.now();
    let completion: Completion;
    try {
      completion = await this.attemptLog.run(log, () => this.complete(messages));
    } catch (err) {
      const error = this.explain(err, log);
      if (this.options.onError === 'throw') throw error;
      return {
        action: '',
        logp: null,
        probs: null,
        meta: { model: this.options.model, error: { code: error.code, message: error.message }, latencyMs: round(performance.now() - started), attempts: log.attempts, retried: log.failures },
      };
    }
    const latencyMs = round(performance.now() - started);
    const parsed = parseReply(completion.content);
    const match = matchAction(parsed.text, input.candidates, prompt.templates ?? [], this.options.minMatchScore);
    const lp = match.how === 'exact' && parsed.span !== null && completion.logprobs !== null ? actionLogprobs(completion.content, completion.logprobs, parsed.span, input.candidates) : null;
    const meta: JsonObject = {
      model: completion.model ?? this.options.model,
      reply: completion.content,
      ...(completion.truncated ? { replyTruncated: true, replyChars: completion.contentChars } : {}),
      parse: parsed.how,
      ...(match.how === 'exact' ? {} : { parsed: parsed.text.slice(0, 200) }),
      match: match.how,
      ...(match.how === 'fuzzy' || match.how === 'unmatched' ? { matchScore: match.score } : {}),
      finishReason: completion.finishReason,
      usage: completion.usage === null ? null : { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens, totalTokens: completion.usage.total_tokens },
      latencyMs,
      attempts: log.attempts,
      ...(log.failures.length > 0 ? { retried: log.failures } : {}),
      ...(lp === null ? {} : { logprobTokens: lp.tokens }),
    };
    const turn = completionTokens({
      prompt: messages,
      content: completion.truncated ? completion.content : completion.full,
      truncated: completion.truncated,
      logprobs: completion.logprobs,
      tokenIds: completion.tokenIds,
      promptIds: completion.promptIds,
      model: completion.model ?? this.options.model,
      finishReason: completion.finishReason,
      keepTop: this.options.topLogprobs > 0,
      sampling: { temperature: this.options.temperature, maxTokens: this.options.maxTokens },
    });
    if (turn.problem !== null) meta.tokensProblem = turn.problem;
    if (turn.idSource !== null) meta.tokenIds = turn.idSource;
    return { action: match.action, logp: lp?.logp ?? null, probs: lp?.probs ?? null, meta, tokens: turn.tokens };
  }

  private body(messages: ChatMessage[]): Record<string, unknown> {
    const o = this.options;
    return {
      ...o.extraBody,
      model: o.model,
      messages,
      temperature: o.temperature,
      max_tokens: o.maxTokens,
      ...(this.askLogprobs ? { logprobs: true, ...(o.topLogprobs > 0 ? { top_logprobs: o.topLogprobs } : {}) } : {}),
      ...(o.seed === undefined ? {} : { seed: o.seed }),
    };
  }

  /** One completion; a server that refuses `logprobs` is asked again without (and never again with). */
  private async complete(messages: ChatMessage[]): Promise<Completion> {
    const asked = this.askLogprobs;
    try {
      return this.options.stream ? await this.streamed(messages) : await this.plain(messages);
    } catch (err) {
      if (asked && err instanceof this.sdk!.APIError && (err.status === 400 || err.status === 422) && /logprob/i.test(err.message)) {
        this.askLogprobs = false;
        return this.options.stream ? await this.streamed(messages) : await this.plain(messages);
      }
      throw err;
    }
  }

  /** A deadline over all attempts, for a server that sends headers and then stalls the body. */
  private deadline(): AbortSignal {
    const o = this.options;
    return AbortSignal.timeout((o.maxRetries + 1) * (o.timeoutMs + 8000));
  }

  private async plain(messages: ChatMessage[]): Promise<Completion> {
    const body = this.body(messages) as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    const response = await this.client!.chat.completions.create(body, { signal: this.deadline() });
    const choice = response.choices?.[0];
    if (choice?.message === undefined) {
      throw new LlmError('LLM_BAD_RESPONSE', `${this.options.baseURL} answered without a choice: is it an OpenAI-compatible /chat/completions endpoint?`);
    }
    const full = typeof choice.message.content === 'string' ? choice.message.content : '';
    const cap = this.options.maxReplyChars;
    const u = response.usage;
    const extra = response as unknown as { prompt_token_ids?: unknown };
    const choiceExtra = choice as unknown as { token_ids?: unknown; prompt_token_ids?: unknown };
    return {
      full,
      tokenIds: Array.isArray(choiceExtra.token_ids) ? choiceExtra.token_ids : null,
      promptIds: Array.isArray(extra.prompt_token_ids) ? extra.prompt_token_ids : Array.isArray(choiceExtra.prompt_token_ids) ? choiceExtra.prompt_token_ids : null,
      content: full.slice(0, cap),
      contentChars: full.length,
      truncated: full.length > cap,
      finishReason: choice.finish_reason ?? null,
      usage: u ? { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.total_tokens } : null,
      logprobs: (choice.logprobs?.content as TokenLogprob[] | null | undefined) ?? null,
      model: typeof response.model === 'string' ? response.model : null,
    };
  }

  private async streamed(messages: ChatMessage[]): Promise<Completion> {
    const body = { ...this.body(messages), stream: true, stream_options: { include_usage: true } } as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
    const idle = new AbortController();
    const stall = () => idle.abort(new this.sdk!.APIConnectionTimeoutError({ message: `no stream data for ${this.options.timeoutMs} ms` }));
    const stream = await this.client!.chat.completions.create(body, { signal: AbortSignal.any([this.deadline(), idle.signal]) });
    const cap = this.options.maxReplyChars;
    let content = '';
    let chars = 0;
    let truncated = false;
    let finishReason: string | null = null;
    let usage: Completion['usage'] = null;
    let model: string | null = null;
    const tokens: TokenLogprob[] = [];
    let sawLogprobs = false;
    const tokenIds: unknown[] = [];
    let sawTokenIds = false;
    let promptIds: unknown[] | null = null;
    let timer = setTimeout(stall, this.options.timeoutMs);
    try {
      for await (const chunk of stream) {
        clearTimeout(timer);
        timer = setTimeout(stall, this.options.timeoutMs);
        model ??= typeof chunk.model === 'string' ? chunk.model : null;
        const chunkIds = (chunk as unknown as { prompt_token_ids?: unknown }).prompt_token_ids;
        if (promptIds === null && Array.isArray(chunkIds)) promptIds = chunkIds;
        if (chunk.usage) usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens };
        const choice = chunk.choices?.[0];
        if (choice === undefined) continue;
        const choiceExtra = choice as unknown as { token_ids?: unknown; prompt_token_ids?: unknown };
        if (Array.isArray(choiceExtra.token_ids)) {
          sawTokenIds = true;
          tokenIds.push(...choiceExtra.token_ids);
        }
        if (promptIds === null && Array.isArray(choiceExtra.prompt_token_ids)) promptIds = choiceExtra.prompt_token_ids;
        const piece = choice.delta?.content ?? '';
        chars += piece.length;
        if (!truncated) content += piece;
        if (choice.logprobs?.content) {
          sawLogprobs = true;
          tokens.push(...(choice.logprobs.content as TokenLogprob[]));
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
        if (content.length > cap) {
          truncated = true;
          content = content.slice(0, cap);
          stream.controller.abort(); // stop reading a runaway reply
          break;
        }
      }
    } finally {
      clearTimeout(timer);
    }
    return {
      content,
      full: content,
      contentChars: chars,
      truncated,
      finishReason: truncated ? 'length' : finishReason,
      usage,
      logprobs: sawLogprobs && !truncated ? tokens : null,
      model,
      tokenIds: sawTokenIds && !truncated ? tokenIds : null,
      promptIds,
    };
  }

  /** Counts the attempts of the request running in this async context (the openai client retries inside). */
  private async countedFetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
    const log = this.attemptLog.getStore();
    if (log) log.attempts += 1;
    try {
      const response = await fetch(url, init);
      if (log && !response.ok) log.failures.push(String(response.status));
      return response.status === 429 || response.status >= 500 ? withBackoffFloor(response, log?.attempts ?? 1) : response;
    } catch (err) {
      if (log) log.failures.push(init?.signal?.aborted ? 'timeout' : 'connection');
      throw err;
    }
  }

  private explain(err: unknown, log: AttemptLog): LlmError {
    const where = this.options.baseURL;
    const tries = `${log.attempts} attempt${log.attempts === 1 ? '' : 's'}`;
    if (err instanceof LlmError) return err;
    const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = this.sdk!;
    if (err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) {
      return new LlmError('LLM_TIMEOUT', `No reply from ${where} within ${this.options.timeoutMs} ms (${tries}). Raise the timeout, lower the concurrency, or check the server.`, { attempts: log.attempts });
    }
    if (err instanceof APIConnectionError) {
      const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return new LlmError('LLM_UNREACHABLE', `Cannot reach ${where} (${tries})${cause}. Is the server running, and is the base URL right (it usually ends in /v1)?`, { attempts: log.attempts });
    }
    if (err instanceof APIError) {
      return new LlmError('LLM_REQUEST_FAILED', `${where} answered ${err.status ?? 'an error'} (${tries}): ${err.message}`, { status: err.status ?? null, attempts: log.attempts });
    }
    if (err instanceof Error && err.name === 'TimeoutError') {
      return new LlmError('LLM_TIMEOUT', `No complete reply from ${where} before the deadline (${tries}).`, { attempts: log.attempts });
    }
    return new LlmError('LLM_BAD_RESPONSE', `Could not read the reply of ${where}: ${err instanceof Error ? err.message : String(err)}`, { attempts: log.attempts });
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * A server's `retry-after-ms` hint is the time until *a* slot frees, and every client refused in the
 * same instant gets the same hint: retrying exactly then is a thundering herd that exhausts the
 * retries under a 429 storm. The hint becomes a floor under exponential backoff with jitter
 * (250 ms · 2^(attempt−1), capped at 8 s, scaled by a random 0.5–1), which the openai client then
 * waits.
 */
export function backoffDelayMs(hintMs: number, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(8000, 250 * 2 ** Math.max(0, attempt - 1)) * (0.5 + random() / 2);
  return Math.round(Math.max(Number.isFinite(hintMs) ? hintMs : 0, exponential));
}

function withBackoffFloor(response: Response, attempt: number): Response {
  const hint = Number(response.headers.get('retry-after-ms') ?? Number(response.headers.get('retry-after') ?? 0) * 1000);
  const headers = new Headers(response.headers);
  headers.set('retry-after-ms', String(backoffDelayMs(hint, attempt)));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
