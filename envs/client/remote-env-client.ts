/**
 * RemoteEnvClient: one WebSocket connection to an EnvServer, carrying many sessions.
 *
 * `open(envId, options, copies)` returns RemoteEnvs (the Env interface over this connection);
 * `stepMany` / `resetMany` / `batch` send many requests in one JSON-RPC batch frame. Errors come
 * back as the LudusError a local env would have thrown (same class and `code`).
 *
 * @example
 * const client = await RemoteEnvClient.connect('ws://127.0.0.1:8765');
 * const group = await client.open('household-v1', {}, 4);       // 4 identical copies
 * await client.resetMany(group, { task: { split: 'train', index: 0 }, seed: 1 });
 * const steps = await client.stepMany(group, ['look', 'look', 'inventory', 'look']);
 * await client.close();
 * @module
 */
import WebSocket, { type RawData } from 'ws';
import { EnvKindError, LudusError, OptionsError } from '../core/errors.js';
import type { EnvSummary } from '../core/spec.js';
import type { ResetOptions, ResetResult, StepResult } from '../core/types.js';
import type { Method, Results, StepOutcome } from '../protocol/messages.js';
import { fromRpcError, ProtocolError } from '../protocol/rpc-errors.js';
import { RemoteEnv } from './remote-env.js';
import { RemoteGame, RemoteSeat } from './remote-game.js';
import { RemoteMultiAgentEnv } from './remote-multi-agent-env.js';

/** Seat play settings of `openGame` (see docs/protocol.md). */
export interface OpenGameOptions {
  /** The env's own options. */
  options?: Record<string, unknown>;
  /** Seats held by built-in agents: `{ 1: 'bot:nash' }`. The others wait for claims. */
  seats?: Record<number, string>;
  turnTimeoutMs?: number;
  claimTimeoutMs?: number;
  /** Who takes over a vanished holder's seat: a built-in agent name or 'abort'. Default 'random'. */
  fallback?: string;
}
import { connectTimedOut, requestTimedOut, resolveClientTimings, startHeartbeat, type ClientTimings } from './liveness.js';

export interface RemoteEnvClientOptions {
  /** The server's token; sent as `Authorization: Bearer <token>` on the upgrade. */
  token?: string;
  /** Largest inbound frame in bytes (screenshots can be big). Default 64 MiB. */
  maxPayload?: number;
  /** Give up connecting (the WebSocket handshake) after this long: a TIMEOUT error. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * A request (or a whole batch) not answered within this long rejects with a TIMEOUT error; the
   * connection stays open. Per call: `call(m, p, { timeoutMs })`. 0 disables. Default 60 000 ms.
   */
  requestTimeoutMs?: number;
  /**
   * Ping interval. When 3 intervals in a row pass without a pong (or any frame) from the server,
   * the peer is taken for dead: the connection is cut and requests in flight reject with
   * CONNECTION_CLOSED. 0 disables. Default 10 000 ms (a dead server is noticed within 40 s).
   */
  heartbeatMs?: number;
  /** How long `close()` (and RemoteEnv's `session.close`) waits for the server before cutting. Default 1 000 ms. */
  closeTimeoutMs?: number;
  /**
   * Steps of RemoteEnvs on this connection issued in the same tick (a collector stepping every
   * live session) go out as one `session.stepMany` frame instead of one frame each. Default true;
   * false sends one `session.step` per step (for servers older than `session.stepMany`).
   */
  coalesceSteps?: boolean;
}

/** Per-call options. */
export interface CallOptions {
  /** This call's deadline, overriding the client's requestTimeoutMs. 0 disables. */
  timeoutMs?: number;
}

/** One call of a batch. */
export interface BatchCall {
  method: Method;
  params?: Record<string, unknown>;
}

/** The outcome of one call of a batch, in the order of the calls. */
export type BatchOutcome = { ok: true; result: unknown } | { ok: false; error: LudusError };

export type NotificationHandler = (method: string, params: unknown) => void;

/** A request awaiting its response: a single call, or one slot of a batch. */
type Pending =
  | { resolve: (result: unknown) => void; reject: (error: LudusError) => void; timer?: NodeJS.Timeout }
  | { batch: BatchCollector; index: number };

/** Gathers the outcomes of one batch; resolves when the last arrives (one promise per batch, not per call). */
class BatchCollector {
  readonly outcomes: BatchOutcome[];
  private left: number;
  /** The batch's deadline, cleared when the last outcome arrives. */
  timer?: NodeJS.Timeout;

  constructor(
    size: number,
    private readonly done: (outcomes: BatchOutcome[]) => void,
  ) {
    this.outcomes = new Array<BatchOutcome>(size);
    this.left = size;
  }

  settle(index: number, outcome: BatchOutcome): void {
    this.outcomes[index] = outcome;
    this.left -= 1;
    if (this.left === 0) {
      clearTimeout(this.timer);
      this.done(this.outcomes);
    }
  }
}

const DEFAULT_CLIENT_MAX_PAYLOAD = 64 * 1024 * 1024;

/** A step waiting for this tick's `session.stepMany` frame: `{ session, action }` or `{ session, actions }`. */
interface QueuedStep {
  params: { session: string; action: string } | { session: string; actions: Record<string, string | null> };
  resolve: (result: unknown) => void;
  reject: (error: LudusError) => void;
}

/** A call waiting for this tick's batch frame (`callSoon`). */
interface QueuedCall {
  call: BatchCall;
  resolve: (result: unknown) => void;
  reject: (error: LudusError) => void;
}

export class RemoteEnvClient {
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Set<NotificationHandler>();
  private readonly closeHandlers = new Set<(error: LudusError) => void>();
  private nextId = 1;
  private closeError?: LudusError;
  private closing?: Promise<void>;
  private readonly socketClosed: Promise<void>;
  private readonly stopHeartbeat: () => void;
  /** Set when the heartbeat cut the connection: how long the server was silent. */
  private deadPeer?: number;
  /** Steps issued this tick, sent together by `flushSteps`. */
  private queuedSteps: QueuedStep[] = [];
  /** Calls issued with `callSoon` since the last flush. */
  private queuedCalls: QueuedCall[] = [];
  private readonly coalesceSteps: boolean;

  private constructor(
    private readonly ws: WebSocket,
    /** The URL this client is connected to. */
    readonly url: string,
    /** The server's frame cap (from the `X-Ludus-Max-Payload` upgrade header), if it sent one. */
    readonly serverMaxPayload: number | undefined,
    /** The server's batch cap (from `X-Ludus-Max-Batch`), if it sent one. */
    readonly serverMaxBatch: number | undefined,
    /** The resolved timeouts (defaults applied). */
    readonly timings: Readonly<ClientTimings>,
    coalesceSteps: boolean,
  ) {
    this.coalesceSteps = coalesceSteps;
    this.stopHeartbeat = startHeartbeat(ws, timings.heartbeatMs, (silentMs) => this.onDeadPeer(silentMs));
    ws.on('message', (data: RawData) => this.onMessage(data));
    ws.on('error', () => undefined);
    this.socketClosed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.handleClose(code, reason.toString('utf8'));
        resolve();
      });
    });
  }

  /**
   * Connects to `url` (ws://HOST:PORT). Rejects with UNAUTHORIZED on a refused token and with
   * CONNECTION_CLOSED when the server cannot be reached.
   */
  static connect(url: string, options: RemoteEnvClientOptions = {}): Promise<RemoteEnvClient> {
    let timings: ClientTimings;
    try {
      timings = resolveClientTimings(options);
    } catch (err) {
      return Promise.reject(err);
    }
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        headers,
        perMessageDeflate: false,
        maxPayload: options.maxPayload ?? DEFAULT_CLIENT_MAX_PAYLOAD,
        handshakeTimeout: timings.connectTimeoutMs,
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return Promise.reject(new OptionsError('RemoteEnvClient', [`url '${url}' is not a ws:// or wss:// URL (${why})`]));
    }
    return new Promise((resolve, reject) => {
      let limits: { payload?: number; batch?: number } = {};
      ws.once('upgrade', (res) => {
        limits = { payload: headerInt(res.headers['x-ludus-max-payload']), batch: headerInt(res.headers['x-ludus-max-batch']) };
      });
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        if (res.statusCode === 401) {
          reject(new ProtocolError('UNAUTHORIZED', `The server at ${url} refused the connection (HTTP 401): pass the server's token ({ token }).`));
        } else {
          reject(new LudusError('CONNECTION_CLOSED', `The server at ${url} refused the WebSocket upgrade (HTTP ${res.statusCode}).`, { status: res.statusCode }));
        }
      });
      // `on`, not `once`: an aborted handshake may report more than one error.
      const onError = (err: Error) =>
        reject(
          /handshake has timed out/i.test(err.message)
            ? connectTimedOut(url, timings.connectTimeoutMs)
            : new LudusError('CONNECTION_CLOSED', `Could not connect to ${url}: ${err.message}`),
        );
      ws.on('error', onError);
      ws.once('open', () => {
        ws.off('error', onError);
        resolve(new RemoteEnvClient(ws, url, limits.payload, limits.batch, timings, options.coalesceSteps ?? true));
      });
    });
  }

  /** True once the connection is closed (by either side). */
  get closed(): boolean {
    return this.closeError !== undefined;
  }

  /** Resolves once the connection is closed (by either side, or cut by the heartbeat). */
  get whenClosed(): Promise<void> {
    return this.socketClosed;
  }

  /**
   * Calls one method and resolves with its result, or rejects with the remote LudusError (or a
   * TIMEOUT error after `requestTimeoutMs`, or CONNECTION_CLOSED).
   */
  call<M extends Method>(method: M, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<Results[M]> {
    const id = this.nextId++;
    const frame = `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
    const timeoutMs = options.timeoutMs ?? this.timings.requestTimeoutMs;
    return new Promise<unknown>((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      if (timeoutMs > 0) pending.timer = setTimeout(() => this.settle(id, undefined, requestTimedOut(this.url, method, timeoutMs)), timeoutMs);
      this.pending.set(id, pending);
      this.send(frame, [id]);
    }) as Promise<Results[M]>;
  }

  /** Sends a JSON-RPC notification (no id, so the server sends nothing back, not even errors). */
  notify(method: Method, params: Record<string, unknown> = {}): void {
    this.send(JSON.stringify({ jsonrpc: '2.0', method, params }), []);
  }

  /**
   * Sends all calls in one batch frame. The server runs calls on different sessions concurrently
   * and calls on one session in order. Never rejects for a failed call: each outcome says (calls
   * still unanswered at the batch's deadline get a TIMEOUT outcome).
   */
  batch(calls: readonly BatchCall[], options: CallOptions = {}): Promise<BatchOutcome[]> {
    if (calls.length === 0) return Promise.resolve([]);
    if (this.serverMaxBatch !== undefined && calls.length > this.serverMaxBatch) {
      return Promise.reject(
        new ProtocolError('FRAME_TOO_LARGE', `A batch of ${calls.length} calls exceeds the server's maxBatch of ${this.serverMaxBatch}: split it.`),
      );
    }
    return new Promise<BatchOutcome[]>((resolve) => {
      const collector = new BatchCollector(calls.length, resolve);
      const ids: number[] = [];
      let frame = '[';
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i]!;
        const id = this.nextId++;
        ids.push(id);
        this.pending.set(id, { batch: collector, index: i });
        if (i > 0) frame += ',';
        frame += `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(call.method)},"params":${JSON.stringify(call.params ?? {})}}`;
      }
      const timeoutMs = options.timeoutMs ?? this.timings.requestTimeoutMs;
      if (timeoutMs > 0) {
        collector.timer = setTimeout(() => {
          const error = requestTimedOut(this.url, `A batch of ${calls.length} calls`, timeoutMs);
          for (const id of ids) this.settle(id, undefined, error);
        }, timeoutMs);
      }
      this.send(`${frame}]`, ids);
    });
  }

  /** The envs the server offers. */
  async listEnvs(): Promise<EnvSummary[]> {
    return (await this.call('envs.list')).envs;
  }

  /**
   * Opens `copies` sessions of `envId` (options validated by the server's `make`). Copies reset
   * with the same task and seed play identically: a GRPO/GiGPO group.
   */
  async open(envId: string, options: Record<string, unknown> = {}, copies = 1): Promise<RemoteEnv[]> {
    const { sessions, kind } = await this.call('session.open', { env: envId, options, copies });
    if (kind === 'multi') {
      await Promise.all(sessions.map((session) => this.call('session.close', { session }).catch(() => undefined)));
      throw new EnvKindError(envId, 'multi');
    }
    return sessions.map((session) => new RemoteEnv(this, session, envId));
  }

  /** Opens `copies` multi-agent sessions that this connection steps for every seat (the MultiAgentEnv interface). */
  async openMulti(envId: string, options: Record<string, unknown> = {}, copies = 1): Promise<RemoteMultiAgentEnv[]> {
    const { sessions, kind, seats } = await this.call('session.open', { env: envId, options, copies });
    if (kind !== 'multi' || seats === null) {
      await Promise.all(sessions.map((session) => this.call('session.close', { session }).catch(() => undefined)));
      throw new EnvKindError(envId, 'single');
    }
    return sessions.map((session) => new RemoteMultiAgentEnv(this, session, envId, seats));
  }

  /** Opens a multi-agent game played by seats; this connection is its opener (it resets it and gets game.over). */
  async openGame(envId: string, game: OpenGameOptions = {}): Promise<RemoteGame> {
    const params: Record<string, unknown> = { env: envId, options: game.options ?? {}, seats: game.seats ?? {} };
    if (game.turnTimeoutMs !== undefined) params.turnTimeoutMs = game.turnTimeoutMs;
    if (game.claimTimeoutMs !== undefined) params.claimTimeoutMs = game.claimTimeoutMs;
    if (game.fallback !== undefined) params.fallback = game.fallback;
    const { sessions, seats } = await this.call('session.open', params);
    return new RemoteGame(this, sessions[0] as string, envId, seats ?? 0);
  }

  /** Claims a seat of a game (opened by any connection) by its session id. */
  async claimSeat(session: string, seat: number): Promise<RemoteSeat> {
    // Subscribe before the claim so a turn pushed right after it is not missed.
    const holder = new RemoteSeat(this, session, seat, '', 0);
    try {
      const claimed = await this.call('seat.claim', { session, seat });
      holder.env = claimed.env;
      holder.seats = claimed.seats;
      return holder;
    } catch (err) {
      holder.detach();
      throw err;
    }
  }

  /**
   * Closes a server session, waiting at most `closeTimeoutMs`. A connection that is already gone, a
   * session the server no longer knows, or a server that does not answer counts as closed.
   */
  async closeSession(session: string): Promise<void> {
    try {
      if (!this.closed) await this.call('session.close', { session }, { timeoutMs: this.timings.closeTimeoutMs });
    } catch (err) {
      // A server that is gone, or does not answer within closeTimeoutMs, closes the session itself
      // when the connection ends (or reaps it when idle): nothing is left to wait for.
      const code: string | undefined = err instanceof LudusError ? err.code : undefined;
      if (code !== 'CONNECTION_CLOSED' && code !== 'SESSION_UNKNOWN' && code !== 'TIMEOUT') throw err;
    }
  }

  /** Subscribes to the connection closing (with the error pending calls got). Returns an unsubscribe. */
  onClose(handler: (error: LudusError) => void): () => void {
    if (this.closeError) {
      handler(this.closeError);
      return () => undefined;
    }
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  /**
   * Steps every env with its action in one `session.stepMany` request (one frame each way; split
   * at the server's batch cap). Rejects with the first failure, in env order.
   */
  async stepMany(envs: readonly RemoteEnv[], actions: readonly string[]): Promise<StepResult[]> {
    if (envs.length !== actions.length) throw new RangeError(`stepMany needs one action per env: got ${envs.length} envs and ${actions.length} actions`);
    const steps = envs.map((env, i) => env.stepCall(actions[i] as string, this).params as { session: string; action: string });
    const max = this.serverMaxBatch ?? steps.length;
    const chunks: Promise<Results['session.stepMany']>[] = [];
    for (let i = 0; i < steps.length; i += max) chunks.push(this.call('session.stepMany', { steps: steps.slice(i, i + max) }));
    const outcomes = (await Promise.all(chunks)).flatMap((r) => r.results);
    return outcomes.map((o) => {
      if ('error' in o) throw fromRpcError(o.error);
      return o.result as StepResult;
    });
  }

  /**
   * One single-agent step of `session` (what RemoteEnv.step calls). Steps issued in the same tick
   * go out together in one `session.stepMany` frame (per-session order is kept: entries on one
   * session run in the order issued), each settling with its own result or error.
   */
  step(session: string, action: string): Promise<StepResult> {
    return this.stepSoon({ session, action }) as Promise<StepResult>;
  }

  /** A multi-agent step by its opener (`{ session, actions }`), coalesced like `step`. */
  stepSeats(session: string, actions: Record<string, string | null>): Promise<unknown> {
    return this.stepSoon({ session, actions });
  }

  private stepSoon(params: QueuedStep['params']): Promise<unknown> {
    if (!this.coalesceSteps) return this.call('session.step', params);
    return new Promise<unknown>((resolve, reject) => {
      if (this.queuedSteps.push({ params, resolve, reject }) === 1) queueMicrotask(() => this.flushSteps());
    });
  }

  /**
   * Calls `method` in the next batch frame: every `callSoon` made before the event loop's next
   * turn (e.g. the `seat.act` of each seat this connection holds, answering the turns one frame
   * pushed) goes out in one frame, each settling with its own outcome.
   */
  callSoon<M extends Method>(method: M, params: Record<string, unknown> = {}): Promise<Results[M]> {
    if (!this.coalesceSteps) return this.call(method, params);
    return new Promise<unknown>((resolve, reject) => {
      if (this.queuedCalls.push({ call: { method, params }, resolve, reject }) === 1) setImmediate(() => this.flushCalls());
    }) as Promise<Results[M]>;
  }

  private flushCalls(): void {
    const queued = this.queuedCalls;
    this.queuedCalls = [];
    const max = this.serverMaxBatch ?? queued.length;
    for (let i = 0; i < queued.length; i += max) {
      const chunk = queued.slice(i, i + max);
      if (chunk.length === 1) {
        const only = chunk[0] as QueuedCall;
        this.call(only.call.method, only.call.params).then(only.resolve, only.reject);
        continue;
      }
      this.batch(chunk.map((q) => q.call)).then(
        (outcomes) => outcomes.forEach((o, k) => (o.ok ? chunk[k]!.resolve(o.result) : chunk[k]!.reject(o.error))),
        (err: LudusError) => chunk.forEach((q) => q.reject(err)),
      );
    }
  }

  private flushSteps(): void {
    const queued = this.queuedSteps;
    this.queuedSteps = [];
    const max = this.serverMaxBatch ?? queued.length;
    for (let i = 0; i < queued.length; i += max) {
      const chunk = queued.slice(i, i + max);
      if (chunk.length === 1) {
        const only = chunk[0] as QueuedStep;
        this.call('session.step', only.params).then(only.resolve, only.reject);
        continue;
      }
      this.call('session.stepMany', { steps: chunk.map((q) => q.params) }).then(
        ({ results }) => settleSteps(chunk, results),
        (err: LudusError) => {
          for (const q of chunk) q.reject(err);
        },
      );
    }
  }

  /** Resets every env in one batch frame, with the same options or one per env. */
  async resetMany(envs: readonly RemoteEnv[], options: ResetOptions | readonly ResetOptions[] = {}): Promise<ResetResult[]> {
    if (Array.isArray(options) && options.length !== envs.length) {
      throw new RangeError(`resetMany needs one options object per env: got ${envs.length} envs and ${options.length} options`);
    }
    const calls = envs.map((env, i) => env.resetCall((Array.isArray(options) ? options[i] : options) as ResetOptions, this));
    return unwrapAll<ResetResult>(await this.batch(calls));
  }

  /** Subscribes to server-pushed notifications (multi-agent `seat.turn`, planned). Returns an unsubscribe. */
  onNotification(handler: NotificationHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /**
   * Closes the connection; the server closes every session it carried. Idempotent. Never waits on
   * a dead server longer than `closeTimeoutMs`: then the socket is cut.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'client closed');
      const cut = setTimeout(() => this.ws.terminate(), this.timings.closeTimeoutMs);
      await this.socketClosed;
      clearTimeout(cut);
    })();
    return this.closing;
  }

  private send(frame: string, ids: readonly number[]): void {
    let failure: LudusError | undefined = this.closeError;
    if (failure === undefined && this.ws.readyState !== WebSocket.OPEN) {
      failure = new LudusError('CONNECTION_CLOSED', `The connection to ${this.url} is closed.`);
    }
    if (failure === undefined && this.serverMaxPayload !== undefined && frame.length * 3 > this.serverMaxPayload) {
      const bytes = Buffer.byteLength(frame);
      if (bytes > this.serverMaxPayload) {
        failure = new ProtocolError(
          'FRAME_TOO_LARGE',
          `The request frame is ${bytes} bytes, over the server's maxPayload of ${this.serverMaxPayload}: send smaller requests or batches.`,
          { bytes, limit: this.serverMaxPayload },
        );
      }
    }
    if (failure !== undefined) {
      for (const id of ids) this.settle(id, undefined, failure);
      return;
    }
    this.ws.send(frame);
  }

  private onMessage(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(rawToString(data));
    } catch {
      return; // A server never sends invalid JSON; nothing can be routed.
    }
    if (Array.isArray(message)) for (const m of message) this.route(m);
    else this.route(message);
  }

  private route(message: unknown): void {
    if (message === null || typeof message !== 'object') return;
    const m = message as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    if (typeof m.method === 'string' && m.id === undefined) {
      for (const handler of this.handlers) handler(m.method, m.params);
      return;
    }
    if (typeof m.id !== 'number') return; // id null: an error about a frame we cannot attribute.
    if ('error' in m) this.settle(m.id, undefined, fromRpcError(m.error));
    else this.settle(m.id, m.result);
  }

  private settle(id: number, result: unknown, error?: LudusError): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if ('timer' in pending) clearTimeout(pending.timer);
    if ('batch' in pending) pending.batch.settle(pending.index, error ? { ok: false, error } : { ok: true, result });
    else if (error) pending.reject(error);
    else pending.resolve(result);
  }

  /** The heartbeat found the server silent for a whole interval: cut the connection. */
  private onDeadPeer(silentMs: number): void {
    this.deadPeer = silentMs;
    this.ws.terminate();
  }

  private handleClose(code: number, reason: string): void {
    this.stopHeartbeat();
    const why =
      this.deadPeer !== undefined
        ? ` (the server answered no heartbeat ping for ${this.deadPeer} ms: it is stopped, hung or unreachable)`
        :
      code === 1009
        ? ' (1009: a frame exceeded the server\'s maxPayload)'
        : code === 1001 && reason
          ? ` (1001: ${reason})`
          : reason
            ? ` (${code}: ${reason})`
            : ` (${code})`;
    this.closeError = new LudusError('CONNECTION_CLOSED', `The connection to ${this.url} closed${why}; requests in flight were lost.`, {
      closeCode: code,
    });
    const ids = [...this.pending.keys()];
    for (const id of ids) this.settle(id, undefined, this.closeError);
    for (const handler of [...this.closeHandlers]) handler(this.closeError);
    this.closeHandlers.clear();
  }
}

/** Settles each queued step with its own outcome (a missing one: the server broke the protocol). */
function settleSteps(chunk: readonly QueuedStep[], results: readonly StepOutcome[]): void {
  chunk.forEach((q, k) => {
    const o = results[k];
    if (o === undefined) q.reject(new LudusError('REMOTE_ERROR', `session.stepMany answered ${results.length} outcomes for ${chunk.length} steps.`));
    else if ('error' in o) q.reject(fromRpcError(o.error));
    else q.resolve(o.result);
  });
}

function unwrapAll<T>(outcomes: readonly BatchOutcome[]): T[] {
  return outcomes.map((o) => {
    if (!o.ok) throw o.error;
    return o.result as T;
  });
}

function headerInt(value: string | string[] | undefined): number | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
