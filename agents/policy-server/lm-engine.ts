/**
 * A language model behind the chat API, with real generation.
 *
 * - The prompt: a chat in the ludus prompt format (what the LLM agent sends, agents/llm/prompt.ts)
 *   is read back (goal, observation, history, admissible actions) and written as the model's own
 *   transcript (agents/lm/transcript.ts), the one it was trained on, so `ludus eval --agent llm`
 *   plays the served model as it plays in process; any other chat goes through the chat template
 *   as it is. A prompt longer than the context (less `max_tokens`) is cut from the front, with a
 *   warning on the server's log.
 * - Sampling: `temperature` (0: greedy), `top_p`, `max_tokens` (default: what the model was
 *   trained to write), `stop` strings, `n` choices, `seed` (the same seed, the same replies),
 *   `logprobs` / `top_logprobs` per token.
 * - Batching: the choices of every request that arrives while the model is busy, or within
 *   `batchWindowMs` of the first, are decoded together, one forward pass per token for all
 *   (agents/lm/generate.ts); the event loop runs between passes, so streamed tokens go out as
 *   they are written (with `stop` strings, a stream is sent once the reply is complete, so that no
 *   part of a stop string is sent).
 * - Token ids: the prompt's and each choice's ids (`return_token_ids`, docs/llm.md).
 * - Token texts are decoded incrementally: a token that ends inside a UTF-8 character has the text
 *   '' (its `bytes` are still there) and the token that completes it carries the character, so the
 *   tokens of a reply always spell its content.
 * @module
 */
import { Rng } from '../../envs/core/rng.js';
import { END_OF_TURN } from '../lm/chat-template.js';
import { BatchDecoder, type Generation, type GenerationRequest } from '../lm/generate.js';
import { DEFAULT_PROMPT_SETTINGS, fitPrompt, stopIds, type LanguageModel } from '../lm/language-model.js';
import type { TokenChoice } from '../lm/sampling.js';
import { transcriptOf } from '../lm/transcript.js';
import { PromptFormatError, readPrompt } from '../llm/prompt.js';
import type { PromptMessage } from '../turn-tokens.js';
import type { ChatRequest } from './chat-request.js';
import type { ChoiceReply, ReplyToken } from './completion.js';
import type { CompletionEngine, EngineReply, TokenSink } from './completion-engine.js';
import { OpenAiHttpError } from './openai-errors.js';
import { weightsFingerprint } from './scorer-engine.js';

interface Job {
  requests: GenerationRequest[];
  onToken: (choice: number, token: TokenChoice) => void;
  resolve: (generations: Generation[]) => void;
  reject: (err: unknown) => void;
}

/** Decodes the queued jobs' choices together, one batch at a time. */
class GenerationBatcher {
  private queue: Job[] = [];
  private running = false;
  private scheduled = false;
  passes = 0;
  rows = 0;

  constructor(
    private readonly lm: LanguageModel,
    private readonly maxBatch: number,
    private readonly windowMs: number,
  ) {}

  get pending(): number {
    return this.queue.reduce((n, j) => n + j.requests.length, 0);
  }

  submit(requests: GenerationRequest[], onToken: Job['onToken']): Promise<Generation[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ requests, onToken, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (this.windowMs > 0) setTimeout(go, this.windowMs);
    else setImmediate(go);
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const jobs: Job[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (jobs.length === 0 || rows + (this.queue[0] as Job).requests.length <= this.maxBatch)) {
      const job = this.queue.shift() as Job;
      jobs.push(job);
      rows += job.requests.length;
    }
    const owner: { job: Job; choice: number }[] = jobs.flatMap((job) => job.requests.map((_, choice) => ({ job, choice })));
    const decoder = new BatchDecoder(this.lm.model, jobs.flatMap((j) => j.requests), {
      stop: stopIds(this.lm.tokenizer),
      keepCaches: false,
      onToken: (row, token) => {
        const o = owner[row] as { job: Job; choice: number };
        o.job.onToken(o.choice, token);
      },
    });
    try {
      decoder.prefill();
      while (!decoder.done) {
        await new Promise<void>((resolve) => setImmediate(resolve)); // let streams flush and requests queue
        decoder.step();
      }
      const generations = decoder.finish();
      this.passes += decoder.passes;
      this.rows += generations.length;
      let at = 0;
      for (const job of jobs) {
        job.resolve(generations.slice(at, at + job.requests.length));
        at += job.requests.length;
      }
    } catch (err) {
      decoder.dispose();
      for (const job of jobs) job.reject(err);
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}

/** The env id and seat the LLM agent's system message names (`... Environment: household-v1, holding seat 3.`). */
function agentSystemEnv(content: string): { envId: string; seat?: number } | null {
  const m = /Environment: ([^\s,]+?)(?:, holding seat (\d+))?\.\s*$/.exec(content);
  return m === null ? null : { envId: m[1] as string, ...(m[2] === undefined ? {} : { seat: Number(m[2]) }) };
}

export class LmEngine implements CompletionEngine {
  readonly fingerprint: string;
  readonly streams = true;
  private readonly batcher: GenerationBatcher;
  private readonly end: number;

  constructor(
    private readonly lm: LanguageModel,
    private readonly limits: { maxBatch: number; batchWindowMs: number; maxQueue: number },
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {
    this.batcher = new GenerationBatcher(lm, limits.maxBatch, limits.batchWindowMs);
    this.fingerprint = weightsFingerprint(lm.model);
    this.end = lm.tokenizer.special(END_OF_TURN);
  }

  get pending(): number {
    return this.batcher.pending;
  }

  get batches(): { passes: number; rows: number } {
    return { passes: this.batcher.passes, rows: this.batcher.rows };
  }

  /** The messages the model reads for a request (see the module doc). */
  messagesOf(request: ChatRequest): PromptMessage[] {
    const settings = { ...DEFAULT_PROMPT_SETTINGS, ...(this.lm.prompt ?? {}) };
    const system = request.messages.find((m) => m.role === 'system');
    const env = system === undefined ? null : agentSystemEnv(system.content);
    if (env !== null) {
      try {
        const p = readPrompt(request.messages);
        return transcriptOf({
          envId: env.envId,
          ...(env.seat === undefined ? {} : { seat: env.seat }),
          ...(p.goal === undefined ? {} : { goal: p.goal }),
          text: p.text,
          history: settings.historyWindow > 0 ? p.history.slice(-settings.historyWindow) : p.history,
          ...(settings.listActions ? { actions: p.candidates } : {}),
        });
      } catch (err) {
        if (!(err instanceof PromptFormatError)) throw err;
      }
    }
    return request.messages.map((m) => ({ role: m.role, content: m.content }));
  }

  /** A decoder of one choice's tokens, token by token (see the module doc). */
  private textDecoder(): (id: number) => string {
    const decoder = new TextDecoder('utf-8', { fatal: false });
    return (id) => decoder.decode(this.lm.tokenizer.tokenBytes(id), { stream: true });
  }

  async complete(request: ChatRequest, rng: Rng, sink?: TokenSink): Promise<EngineReply> {
    const { model, tokenizer } = this.lm;
    const context = model.config.context;
    const settings = { ...DEFAULT_PROMPT_SETTINGS, ...(this.lm.prompt ?? {}) };
    const maxTokens = Math.min(request.maxTokens ?? settings.maxTokens, context - 1);
    const fitted = fitPrompt(tokenizer, this.messagesOf(request), context - maxTokens);
    if (fitted.droppedMessages > 0 || fitted.cutTokens > 0) {
      this.log(`[ludus] serve-policy: a prompt of ${fitted.fullTokens} tokens is over the context of ${context} less max_tokens ${maxTokens}: dropped ${fitted.droppedMessages} messages${fitted.cutTokens > 0 ? ` and ${fitted.cutTokens} tokens` : ''} from the front.`);
    }
    if (this.batcher.pending + request.n > this.limits.maxQueue) {
      throw new OpenAiHttpError(503, `The server is overloaded (${this.batcher.pending} choices queued): retry shortly.`, 'service_unavailable', 'overloaded');
    }
    const stops = request.stop;
    const stopWhen = stops.length === 0 ? undefined : (ids: readonly number[]) => stops.some((s) => tokenizer.decode(ids).includes(s));
    const sampling = { temperature: request.temperature, topP: request.topP, topLogprobs: request.logprobs ? request.topLogprobs : 0 };
    const requests: GenerationRequest[] = Array.from({ length: request.n }, (_, i) => ({
      prompt: fitted.ids,
      maxTokens,
      sampling,
      rng: request.seed === null ? rng : new Rng(`serve-lm:${request.seed}:${i}`),
      ...(stopWhen === undefined ? {} : { stopWhen }),
    }));
    sink?.start?.(fitted.ids);
    const live = stops.length === 0 && sink !== undefined;
    const texts = requests.map(() => this.textDecoder());
    const generations = await this.batcher.submit(requests, (choice, token) => {
      if (live && token.id !== this.end) sink.token(choice, this.replyToken(token, (texts[choice] as (id: number) => string)(token.id)), token.id);
    });
    return { replies: generations.map((g) => this.reply(g, stops)), promptTokens: fitted.ids.length, promptIds: fitted.ids };
  }

  private replyToken(t: TokenChoice, text: string): ReplyToken {
    return {
      token: text,
      logprob: t.logprob,
      bytes: Array.from(this.lm.tokenizer.tokenBytes(t.id)),
      top_logprobs: t.top.map((a) => ({ token: this.lm.tokenizer.tokenText(a.id), logprob: a.logprob, bytes: Array.from(this.lm.tokenizer.tokenBytes(a.id)) })),
    };
  }

  /** One choice's reply: its content (before any stop string), the content's tokens, and every id written. */
  private reply(g: Generation, stops: readonly string[]): ChoiceReply {
    const contentIds = g.ids[g.ids.length - 1] === this.end ? g.ids.slice(0, -1) : g.ids;
    const next = this.textDecoder();
    const texts = contentIds.map((id) => next(id));
    let content = texts.join('');
    let kept = contentIds.length;
    let stopped = g.finishReason === 'stop';
    const at = Math.min(...stops.map((s) => content.indexOf(s)).filter((i) => i >= 0));
    if (Number.isFinite(at)) {
      content = content.slice(0, at);
      stopped = true;
      // the tokens that lie wholly before the stop string
      let chars = 0;
      kept = 0;
      for (const text of texts) {
        if (chars + text.length > at) break;
        chars += text.length;
        kept += 1;
      }
    }
    const tokens = contentIds.slice(0, kept).map((id, k) => this.replyToken({ id, logprob: g.logprobs[k] as number, top: g.top[k] ?? [] }, texts[k] as string));
    return { content, tokens, finishReason: stopped ? 'stop' : 'length', tokenIds: g.ids, tokenLogprobs: g.logprobs };
  }
}
