/**
 * PolicyServer: a trained tfjs policy behind the OpenAI chat-completions API, so any agent
 * framework (and ludus's own LLM agent) can call it.
 *
 * ```
 * GET  /v1/models                 the one model served
 * GET  /v1/models/{id}
 * POST /v1/chat/completions       messages in the ludus prompt format (docs/llm.md) → "Action: <action>"
 *                                 stream: true gives server-sent events; logprobs/top_logprobs give
 *                                 log π of the action and of the other candidates
 * GET  /healthz                   200 {status: "ok"} while serving, 503 while draining
 * ```
 *
 * Errors have the OpenAI shape (`{"error": {message, type, param, code}}`) and status. Requests
 * that arrive together are scored in one forward pass (policy-batcher.ts). `close()` drains:
 * new requests get 503, the ones in flight finish, then the socket closes.
 *
 * @example
 * const server = await new PolicyServer(scorer, { model: 'household-policy' }).listen();
 * const client = new OpenAI({ baseURL: server.url, apiKey: 'none' });
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Rng } from '../../envs/core/rng.js';
import { tokenize, type PolicyInput } from '../policy/featurizer.js';
import type { ActionScorer } from '../policy/model.js';
import { PromptFormatError, readPrompt } from '../llm/prompt.js';
import { readChatRequest, type ChatRequest } from './chat-request.js';
import { choiceReply, completionBody, completionChunks, usageOf, type CompletionContext } from './completion.js';
import { badRequest, OpenAiHttpError } from './openai-errors.js';
import { resolvePolicyServerOptions, type PolicyServerOptions } from './options.js';
import { PolicyBatcher } from './policy-batcher.js';

type Status = 'new' | 'running' | 'draining' | 'closed';

/** How long `close()` lets requests in flight finish before cutting their sockets. */
const DRAIN_GRACE_MS = 10_000;

export class PolicyServer {
  readonly options: Readonly<PolicyServerOptions>;
  private readonly http: Server;
  private readonly batcher: PolicyBatcher;
  private readonly rng: Rng;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly fingerprint: string;
  private status: Status = 'new';
  private inFlight = 0;
  private idle: (() => void) | null = null;
  private closing?: Promise<void>;
  /** Requests answered, by outcome (for /healthz and tests). */
  readonly counts = { completions: 0, errors: 0 };

  /**
   * @param scorer the policy (its featurizer's history length decides how much history it reads)
   * @param [options.host='127.0.0.1'] non-loopback needs `apiKey`
   * @param [options.port=0]
   * @param [options.model='ludus-policy'] the model id clients name
   * @param [options.apiKey] Bearer key clients must send
   * @param [options.maxBodyBytes=4194304] largest request body
   * @param [options.maxBatch=256] most decisions per forward pass
   * @param [options.batchWindowMs=2] how long a decision waits for others to share its pass
   * @param [options.maxQueue=4096] queued decisions before new requests get 503
   * @param [options.seed=0] seeds sampling for requests without a seed
   */
  constructor(
    private readonly scorer: ActionScorer,
    options: Partial<PolicyServerOptions> = {},
  ) {
    this.options = Object.freeze(resolvePolicyServerOptions(options));
    this.batcher = new PolicyBatcher(scorer, this.options.maxBatch, this.options.batchWindowMs);
    this.rng = new Rng(`serve-policy:${this.options.seed}`);
    this.fingerprint = weightsFingerprint(scorer);
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

  /** Chat requests being answered now. */
  get pendingDecisions(): number {
    return this.batcher.pending;
  }

  /** Forward passes and rows scored so far. */
  get batches(): { passes: number; rows: number } {
    return { passes: this.batcher.passes, rows: this.batcher.rows };
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
        sendJson(res, error.status, error.body(), error.status === 503 ? { 'Retry-After': '1' } : {});
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
    const request = readChatRequest(await readJsonBody(req, this.options.maxBodyBytes));
    if (request.model !== this.options.model) throw this.unknownModel(request.model);
    const input = policyInputOf(request);
    if (this.batcher.pending + request.n > this.options.maxQueue) {
      throw new OpenAiHttpError(503, `The server is overloaded (${this.batcher.pending} decisions queued): retry shortly.`, 'service_unavailable', 'overloaded');
    }
    const rng = request.seed === null ? this.rng : new Rng(`serve-policy:${request.seed}`);
    const choices = await Promise.all(Array.from({ length: request.n }, () => this.batcher.choose({ input, temperature: request.temperature, rng })));
    const replies = choices.map((c) => choiceReply(c, input.candidates, request.logprobs ? request.topLogprobs : 0, request.maxTokens));
    const promptTokens = request.messages.reduce((n, m) => n + tokenize(m.content).length, 0);
    const usage = usageOf(promptTokens, replies);
    const ctx: CompletionContext = {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      created: Math.floor(Date.now() / 1000),
      model: this.options.model,
      fingerprint: this.fingerprint,
      logprobs: request.logprobs,
    };
    this.counts.completions += 1;
    if (!request.stream) {
      sendJson(res, 200, completionBody(ctx, replies, usage));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    for (const chunk of completionChunks(ctx, replies, usage, request.includeUsage)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.end('data: [DONE]\n\n');
  }
}

/** The policy's input from a request in the ludus prompt format, or a 400 saying what is wrong. */
function policyInputOf(request: ChatRequest): PolicyInput {
  let prompt;
  try {
    prompt = readPrompt(request.messages);
  } catch (err) {
    if (err instanceof PromptFormatError) throw badRequest(`messages: ${err.message}`, 'messages', 'prompt_format');
    throw err;
  }
  if (prompt.candidates.length === 0) {
    throw badRequest('messages: the <admissible_actions> block is empty: the policy chooses among admissible actions (see docs/llm.md)', 'messages', 'prompt_format');
  }
  return { ...(prompt.goal === undefined ? {} : { goal: prompt.goal }), text: prompt.text, history: prompt.history, candidates: prompt.candidates };
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

/** A short hash of the weights: `system_fingerprint` changes when the checkpoint does. */
function weightsFingerprint(scorer: ActionScorer): string {
  const hash = createHash('sha256');
  const weights = scorer.getWeights();
  try {
    for (const w of weights) {
      hash.update(w.name);
      const data = w.tensor.dataSync();
      hash.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    }
  } finally {
    for (const w of weights) w.tensor.dispose();
  }
  return `fp_${hash.digest('hex').slice(0, 12)}`;
}
