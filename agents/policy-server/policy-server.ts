/**
 * PolicyServer: a trained policy behind the OpenAI chat-completions API, so any agent framework
 * (and ludus's own LLM agent) can call it. Two engines: the scorer (scorer-engine.ts: messages in
 * the ludus prompt format → "Action: <one of the admissible actions>") and a language model
 * (lm-engine.ts: real generation from any chat, with temperature, top_p, stop, n, max_tokens).
 *
 * ```
 * GET  /v1/models                 the one model served
 * GET  /v1/models/{id}
 * POST /v1/chat/completions       stream: true gives server-sent events; logprobs/top_logprobs give
 *                                 per-token log π and alternatives; return_token_ids the token ids
 * GET  /healthz                   200 {status: "ok"} while serving, 503 while draining
 * ```
 *
 * Errors have the OpenAI shape (`{"error": {message, type, param, code}}`) and status; a field the
 * API does not have is a 400. Requests that arrive together share forward passes (the scorer's
 * micro-batches, the LM's batched decoding). `close()` drains: new requests get 503, the ones in
 * flight finish, then the socket closes.
 *
 * @example
 * const server = await new PolicyServer(scorer, { model: 'household-policy' }).listen();
 * const client = new OpenAI({ baseURL: server.url, apiKey: 'none' });
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Rng } from '../../envs/core/rng.js';
import type { LanguageModel } from '../lm/language-model.js';
import { ActionScorer } from '../policy/model.js';
import { readChatRequest } from './chat-request.js';
import { ChunkWriter, completionBody, completionChunks, usageOf, type CompletionContext } from './completion.js';
import type { CompletionEngine } from './completion-engine.js';
import { LmEngine } from './lm-engine.js';
import { badRequest, OpenAiHttpError } from './openai-errors.js';
import { resolvePolicyServerOptions, type PolicyServerOptions } from './options.js';
import { RateLimiter } from './rate-limiter.js';
import { ScorerEngine } from './scorer-engine.js';

type Status = 'new' | 'running' | 'draining' | 'closed';

/** How long `close()` lets requests in flight finish before cutting their sockets. */
const DRAIN_GRACE_MS = 10_000;

export class PolicyServer {
  readonly options: Readonly<PolicyServerOptions>;
  private readonly http: Server;
  private readonly engine: CompletionEngine;
  private readonly rng: Rng;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly limiter: RateLimiter | null;
  private status: Status = 'new';
  private inFlight = 0;
  private idle: (() => void) | null = null;
  private closing?: Promise<void>;
  /** Requests answered, by outcome (for /healthz and tests). */
  readonly counts = { completions: 0, errors: 0, rateLimited: 0 };

  /**
   * @param policy the scorer (its featurizer's history length decides how much history it reads),
   *   a language model, or any completion engine
   * @param [options.host='127.0.0.1'] non-loopback needs `apiKey`
   * @param [options.port=0]
   * @param [options.model='ludus-policy'] the model id clients name
   * @param [options.apiKey] Bearer key clients must send
   * @param [options.maxBodyBytes=4194304] largest request body
   * @param [options.maxBatch=256] most decisions per forward pass
   * @param [options.batchWindowMs=2] how long a decision waits for others to share its pass
   * @param [options.maxQueue=4096] queued decisions before new requests get 503
   * @param [options.seed=0] seeds sampling for requests without a seed
   * @param [options.rateLimit=0] chat requests per second before 429s (0: no limit)
   * @param [options.rateBurst] requests accepted at once (default max(1, rateLimit))
   */
  constructor(
    policy: ActionScorer | LanguageModel | CompletionEngine,
    options: Partial<PolicyServerOptions> = {},
    log?: (line: string) => void,
  ) {
    this.options = Object.freeze(resolvePolicyServerOptions(options));
    const limits = { maxBatch: this.options.maxBatch, batchWindowMs: this.options.batchWindowMs, maxQueue: this.options.maxQueue };
    this.engine = policy instanceof ActionScorer ? new ScorerEngine(policy, limits) : 'tokenizer' in policy ? new LmEngine(policy, limits, log) : policy;
    this.rng = new Rng(`serve-policy:${this.options.seed}`);
    const { rateLimit, rateBurst } = this.options;
    this.limiter = rateLimit > 0 ? new RateLimiter(rateLimit, rateBurst ?? Math.max(1, rateLimit)) : null;
    this.http = createServer((req, res) => void this.handle(req, res));
    this.http.on('clientError', (_err, socket) => socket.destroy());
  }

  listen(): Promise<this> {
    if (this.status !== 'new') return Promise.reject(new Error('PolicyServer.listen() may be called only once.'));
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', reject);
        this.status = 'running';
        resolve(this);
      });
    });
  }

  /** The API root clients use as their base URL: `http://HOST:PORT/v1`. */
  get url(): string {
    const addr = this.http.address();
    if (addr === null || typeof addr === 'string') throw new Error('PolicyServer is not listening: await listen() first.');
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${addr.port}/v1`;
  }

  /** Decisions (or LM choices) waiting for a forward pass. */
  get pendingDecisions(): number {
    return this.engine.pending;
  }

  /** Forward passes and rows computed so far. */
  get batches(): { passes: number; rows: number } {
    return this.engine.batches;
  }

  /** Drains: refuses new requests (503), lets the ones in flight finish, closes. Resolves once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const wasRunning = this.status === 'running';
    this.status = 'draining';
    if (!wasRunning) {
      this.status = 'closed';
      return;
    }
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const cut = setTimeout(resolve, DRAIN_GRACE_MS);
        this.idle = () => {
          clearTimeout(cut);
          resolve();
        };
      });
    }
    this.http.closeAllConnections();
    await closed;
    this.status = 'closed';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    try {
      await this.route(req, res);
    } catch (err) {
      this.counts.errors += 1;
      const error = err instanceof OpenAiHttpError ? err : new OpenAiHttpError(500, `The server had an error while processing your request: ${err instanceof Error ? err.message : String(err)}`, 'server_error');
      if (!res.headersSent) {
        const retry: Record<string, string> = err instanceof RateLimited ? { 'Retry-After': String(Math.ceil(err.retryAfterMs / 1000)), 'retry-after-ms': String(err.retryAfterMs) } : error.status === 503 ? { 'Retry-After': '1' } : {};
        sendJson(res, error.status, error.body(), retry);
      } else if (!res.writableEnded) {
        res.write(`data: ${JSON.stringify(error.body())}\n\n`);
        res.end();
      }
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0 && this.idle) this.idle();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/').replace(/\/{2,}/g, '/');
    if (path === '/healthz') {
      const ok = this.status === 'running';
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'draining', model: this.options.model, inFlight: this.inFlight - 1, ...this.counts, ...this.batches });
      return;
    }
    this.authorize(req);
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      allow(method, 'GET', path);
      if (path === '/v1/models') {
        sendJson(res, 200, { object: 'list', data: [this.modelCard()] });
        return;
      }
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      if (id !== this.options.model) throw this.unknownModel(id);
      sendJson(res, 200, this.modelCard());
      return;
    }
    if (path === '/v1/chat/completions') {
      allow(method, 'POST', path);
      await this.chat(req, res);
      return;
    }
    throw new OpenAiHttpError(404, `Invalid URL (${method} ${path}): this server has GET /v1/models and POST /v1/chat/completions.`, 'invalid_request_error', 'unknown_url');
  }

  private authorize(req: IncomingMessage): void {
    const key = this.options.apiKey;
    if (key === undefined) return;
    const auth = req.headers.authorization;
    const presented = typeof auth === 'string' && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
    const digest = (s: string) => createHash('sha256').update(s).digest();
    if (presented === undefined || !timingSafeEqual(digest(presented), digest(key))) {
      throw new OpenAiHttpError(401, 'Incorrect API key provided: send "Authorization: Bearer <key>" with the key the server was started with (--api-key).', 'invalid_request_error', 'invalid_api_key');
    }
  }

  private modelCard(): Record<string, unknown> {
    return { id: this.options.model, object: 'model', created: this.created, owned_by: 'ludus' };
  }

  private unknownModel(id: string): OpenAiHttpError {
    return new OpenAiHttpError(404, `The model '${id}' does not exist: this server serves '${this.options.model}' (GET /v1/models).`, 'invalid_request_error', 'model_not_found', 'model');
  }

  private async chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.status !== 'running') throw new OpenAiHttpError(503, 'The server is draining (shutting down): send the request to another replica.', 'service_unavailable', 'draining');
    const wait = this.limiter?.take() ?? 0;
    if (wait > 0) {
      this.counts.rateLimited += 1;
      req.resume();
      throw new RateLimited(this.options.rateLimit, wait);
    }
    const request = readChatRequest(await readJsonBody(req, this.options.maxBodyBytes));
    if (request.model !== this.options.model) throw this.unknownModel(request.model);
    const rng = request.seed === null ? this.rng : new Rng(`serve-policy:${request.seed}`);
    const ctx: CompletionContext = {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      created: Math.floor(Date.now() / 1000),
      model: this.options.model,
      fingerprint: this.engine.fingerprint,
      logprobs: request.logprobs,
      returnTokenIds: request.returnTokenIds,
    };
    const send = (chunk: Record<string, unknown>) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    if (request.stream && this.engine.streams) {
      // Tokens go out as they are written: the head and each choice's role first.
      const writer = new ChunkWriter(ctx, request.includeUsage);
      const reply = await this.engine.complete(request, rng, {
        start: (promptIds) => {
          ctx.promptIds = promptIds;
          res.writeHead(200, STREAM_HEADERS);
          for (let i = 0; i < request.n; i++) send(writer.role(i));
        },
        token: (choice, token, id) => send(writer.token(choice, token, id === null ? undefined : [id])),
      });
      this.counts.completions += 1;
      reply.replies.forEach((r, i) => send(writer.finish(i, r.finishReason, r.tokenIds?.slice(r.tokens.length))));
      const usage = writer.usage(usageOf(reply.promptTokens, reply.replies));
      if (usage !== null) send(usage);
      res.end('data: [DONE]\n\n');
      return;
    }
    const reply = await this.engine.complete(request, rng);
    ctx.promptIds = reply.promptIds;
    const usage = usageOf(reply.promptTokens, reply.replies);
    this.counts.completions += 1;
    if (!request.stream) {
      sendJson(res, 200, completionBody(ctx, reply.replies, usage));
      return;
    }
    res.writeHead(200, STREAM_HEADERS);
    for (const chunk of completionChunks(ctx, reply.replies, usage, request.includeUsage)) send(chunk);
    res.end('data: [DONE]\n\n');
  }
}

const STREAM_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' };

/** 429: over `rateLimit` requests per second; `Retry-After` says when to come back. */
class RateLimited extends OpenAiHttpError {
  constructor(
    rate: number,
    readonly retryAfterMs: number,
  ) {
    super(429, `Rate limit reached: this server accepts ${rate} requests per second (--rate-limit); retry after ${retryAfterMs} ms.`, 'requests', 'rate_limit_exceeded');
  }
}

function allow(method: string, expected: string, path: string): void {
  if (method !== expected) throw new OpenAiHttpError(405, `${method} is not allowed on ${path}: use ${expected}.`, 'invalid_request_error', 'method_not_allowed');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads and parses a JSON body of at most `limit` bytes (413 beyond, 400 when it does not parse). */
function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new OpenAiHttpError(413, `The request body is ${declared} bytes; this server accepts up to ${limit} (--max-body-bytes).`, 'invalid_request_error', 'request_too_large'));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new OpenAiHttpError(413, `The request body is over ${limit} bytes, the most this server accepts (--max-body-bytes).`, 'invalid_request_error', 'request_too_large'));
        return;
      }
      parts.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > limit) return;
      const text = Buffer.concat(parts).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(badRequest('We could not parse the JSON body of your request: send a JSON object with model and messages.', null, 'invalid_json'));
      }
    });
  });
}
