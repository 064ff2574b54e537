/**
 * The protocol logic without sockets: one text frame in, one text frame (or nothing) out.
 *
 * A frame holds one request or a batch array. Requests on different sessions run concurrently;
 * requests on one session run one at a time in arrival order (each session has a queue, and a
 * request joins its queue synchronously when its frame is read). Every failure becomes a JSON-RPC
 * error for that request only.
 * @module
 */
import { list } from '../core/registry.js';
import { checkStateLimits } from '../core/state-limits.js';
import type { ResetOptions } from '../core/types.js';
import { isMethod, METHODS, parseParams, type Method, type Params, type RpcId } from '../protocol/messages.js';
import { ProtocolError, RPC_CODES, toRpcError } from '../protocol/rpc-errors.js';
import { makeBuiltinAgent } from '../../agents/builtin-agents.js';
import { UnknownSeatError } from '../core/errors.js';
import type { Env, MultiAgentEnv } from '../core/types.js';
import type { ServerServices } from './server-services.js';
import { DEFAULT_CLAIM_TIMEOUT_MS, DEFAULT_TURN_TIMEOUT_MS, GameHost, type GameHostOptions } from './game-host.js';
import type { Peer, Session, SessionTable } from './sessions.js';

export interface DispatcherLimits {
  maxCopies: number;
  maxBatch: number;
}

/** What a handled request produces: a serialized response, or nothing for a notification. */
type Reply = string | undefined;

/** Told when a request starts; the function it returns is called with the request's error code (null: ok) once it is answered. */
export type RequestObserver = (method: string) => (code: string | null) => void;

/** A result already serialized (one `session.stepMany` entry each), spliced into the reply as is. */
class RawJson {
  constructor(readonly json: string) {}
}

export class Dispatcher {
  constructor(
    private readonly sessions: SessionTable,
    private readonly limits: DispatcherLimits,
    private readonly observe?: RequestObserver,
    /**
     * Told, per `session.stepMany`, how many of its entries stepped and the error codes of the
     * others (the observer counts `session.step` requests itself).
     */
    private readonly onSteps?: (stepped: number, errorCodes: readonly string[]) => void,
    /** What the server computes for its callers beyond the envs (given by the composition root, e.g. the CLI). */
    private readonly services: ServerServices = {},
  ) {}

  /** Handles one text frame. Never rejects. */
  async handleFrame(peer: Peer, text: string): Promise<Reply> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      return errorReply(null, RPC_CODES.PARSE_ERROR, `Parse error: the frame is not valid JSON (${detail}).`, 'PARSE_ERROR');
    }
    if (!Array.isArray(message)) return this.handleRequest(peer, message);

    if (message.length === 0) {
      return errorReply(null, RPC_CODES.INVALID_REQUEST, 'Invalid request: empty batch array.', 'INVALID_REQUEST');
    }
    if (message.length > this.limits.maxBatch) {
      return errorReply(
        null,
        RPC_CODES.FRAME_TOO_LARGE,
        `Batch of ${message.length} requests exceeds the server's maxBatch of ${this.limits.maxBatch}: split it into smaller batches.`,
        'FRAME_TOO_LARGE',
      );
    }
    // Every request is dispatched (and joins its session queue) before any is awaited.
    const pending = message.map((m) => this.handleRequest(peer, m));
    const replies = (await Promise.all(pending)).filter((r): r is string => r !== undefined);
    return replies.length === 0 ? undefined : `[${replies.join(',')}]`;
  }

  /** Handles one request object (possibly a notification). Never rejects. */
  handleRequest(peer: Peer, message: unknown): Promise<Reply> | Reply {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return errorReply(null, RPC_CODES.INVALID_REQUEST, 'Invalid request: expected a JSON-RPC request object.', 'INVALID_REQUEST');
    }
    const req = message as Record<string, unknown>;
    const hasId = 'id' in req;
    const id = req.id;
    if (hasId && !isValidId(id)) {
      return errorReply(null, RPC_CODES.INVALID_REQUEST, invalidIdMessage(id), 'INVALID_REQUEST');
    }
    const replyId = hasId ? (id as RpcId) : null;
    if (req.jsonrpc !== '2.0') {
      return errorReply(replyId, RPC_CODES.INVALID_REQUEST, 'Invalid request: "jsonrpc" must be exactly "2.0".', 'INVALID_REQUEST');
    }
    if (typeof req.method !== 'string') {
      return errorReply(replyId, RPC_CODES.INVALID_REQUEST, 'Invalid request: "method" must be a string.', 'INVALID_REQUEST');
    }
    const method = req.method;
    const answered = this.observe?.(method);

    let running: Promise<unknown>;
    try {
      if (!isMethod(method)) {
        throw new ProtocolError('METHOD_NOT_FOUND', `Method not found: '${method}'. Methods: ${listMethods()}.`, { method });
      }
      running = this.invoke(peer, method, req.params);
    } catch (err) {
      running = Promise.reject(err);
    }
    if (answered !== undefined) running.then(() => answered(null), (err: unknown) => answered(toRpcError(err).data.code));
    if (!hasId) {
      running.catch(() => undefined);
      return undefined;
    }
    return running.then(
      (result) => resultReply(replyId, result),
      (err: unknown) => {
        const e = toRpcError(err);
        return errorReply(replyId, e.code, e.message, e.data.code, e.data);
      },
    );
  }

  /**
   * Validates params and starts the method. Session lookup and queueing happen synchronously,
   * before this returns, which is what keeps per-session order.
   */
  private invoke(peer: Peer, method: Method, rawParams: unknown): Promise<unknown> {
    switch (method) {
      case 'envs.list': {
        parseParams(method, rawParams);
        return Promise.resolve({ envs: list() });
      }
      case 'session.open': {
        const p = parseParams(method, rawParams);
        const copies = p.copies ?? 1;
        if (copies > this.limits.maxCopies) {
          throw new ProtocolError('INVALID_PARAMS', `session.open: invalid params: copies: must be at most ${this.limits.maxCopies} (the server's maxCopies), got ${copies}.`);
        }
        const opened = this.sessions.open(peer, p.env, p.options, copies);
        const first = opened[0] as Session;
        if (p.seats !== undefined || p.turnTimeoutMs !== undefined || p.claimTimeoutMs !== undefined || p.fallback !== undefined) {
          try {
            for (const session of opened) session.host = new GameHost(session, session.multi('session.open'), seatPlay(session, p));
          } catch (err) {
            for (const session of opened) void this.sessions.close(session, 'refused at open').catch(() => undefined);
            throw err;
          }
        }
        const seats = first.kind === 'multi' ? (first.env as MultiAgentEnv).seats : null;
        return Promise.resolve({ sessions: opened.map((s) => s.id), kind: first.kind, seats });
      }
      case 'session.reset': {
        const p = parseParams(method, rawParams);
        const session = this.sessions.get(peer, p.session);
        const options: ResetOptions = {};
        if (p.seed !== undefined) options.seed = p.seed;
        if (p.task !== undefined) options.task = p.task;
        if (session.host !== null) return session.host.start(options);
        return session.enqueue((): Promise<unknown> => (session.kind === 'single' ? (session.env as Env).reset(options) : (session.env as MultiAgentEnv).reset(options)));
      }
      case 'session.step':
        return this.stepOne(peer, parseParams(method, rawParams));
      case 'session.stepMany': {
        const p = parseParams(method, rawParams);
        if (p.steps.length > this.limits.maxBatch) {
          throw new ProtocolError('FRAME_TOO_LARGE', `session.stepMany: ${p.steps.length} steps exceed the server's maxBatch of ${this.limits.maxBatch}: split them.`);
        }
        // Every entry joins its session's queue before any is awaited (per-session order, as in a batch frame).
        const outcomes = p.steps.map((step) => {
          let running: Promise<unknown>;
          try {
            running = this.stepOne(peer, step);
          } catch (err) {
            running = Promise.reject(err);
          }
          return running.then(outcomeJson).catch((err: unknown) => {
            const error = toRpcError(err);
            codes.push(error.data.code);
            return `{"error":${JSON.stringify(error)}}`;
          });
        });
        const codes: string[] = [];
        return Promise.all(outcomes).then((parts) => {
          this.onSteps?.(parts.length - codes.length, codes);
          return new RawJson(`{"results":[${parts.join(',')}]}`);
        });
      }
      case 'session.snapshot': {
        const p = parseParams(method, rawParams);
        const session = this.sessions.get(peer, p.session);
        return session.enqueue(async () => ({ state: await session.env.snapshot() }));
      }
      case 'session.restore': {
        const p = parseParams(method, rawParams);
        checkStateLimits(p.state);
        const session = this.sessions.get(peer, p.session);
        if (session.host?.running) throw new ProtocolError('INVALID_REQUEST', `session.restore: the game of session ${session.id} is running: wait for game.over.`);
        return session.enqueue(async () => {
          await session.env.restore(p.state as never);
          return session.kind === 'multi' ? { actors: (session.env as MultiAgentEnv).actors() } : {};
        });
      }
      case 'session.close': {
        const p = parseParams(method, rawParams);
        const session = this.sessions.get(peer, p.session);
        return this.sessions.close(session).then(() => ({}));
      }
      case 'seat.claim': {
        const p = parseParams(method, rawParams);
        const session = this.sessions.find(p.session);
        const host = hostOf(session, method);
        host.claim(peer, p.seat);
        return Promise.resolve({ session: session.id, seat: p.seat, env: session.envId, seats: host.seats });
      }
      case 'seat.release': {
        const p = parseParams(method, rawParams);
        hostOf(this.sessions.find(p.session), method).release(peer, p.seat);
        return Promise.resolve({});
      }
      case 'seat.act': {
        const p = parseParams(method, rawParams);
        return Promise.resolve(hostOf(this.sessions.find(p.session), method).act(peer, p.seat, p.action, p.turn));
      }
      case 'advantages.compute': {
        const compute = this.services.advantages;
        if (!compute) {
          throw new ProtocolError('METHOD_NOT_FOUND', "advantages.compute: this server was started without the trainer's estimators. `ludus serve` has them; from code, start it with startServer(options, { advantages: computeAdvantages }) (trainer/advantages/compute-request.ts).");
        }
        return Promise.resolve(compute(parseParams(method, rawParams)));
      }
    }
  }

  /** One `session.step` (or one entry of `session.stepMany`); the session is found and queued on synchronously. */
  private stepOne(peer: Peer, p: Params<'session.step'>): Promise<unknown> {
    const session = this.sessions.get(peer, p.session);
    if (p.action !== undefined) {
      const env = session.single('session.step');
      return session.enqueue(() => env.step(p.action as string));
    }
    const env = session.multi('session.step');
    if (session.host !== null) {
      throw new ProtocolError('INVALID_REQUEST', `session.step: session ${session.id} is played by seats: each holder acts with seat.act.`);
    }
    const actions = p.actions ?? {};
    return session.enqueue(() => env.step(actions));
  }
}

function hostOf(session: Session, method: string): GameHost {
  if (session.host === null) {
    throw new ProtocolError('INVALID_REQUEST', `${method}: session ${session.id} is not played by seats (its opener steps it directly). Open it with session.open {seats: {...}} to play by seats.`);
  }
  return session.host;
}

/** The seat-play settings of `session.open`, validated against the env's seats and built-in agents. */
function seatPlay(session: Session, p: Params<'session.open'>): GameHostOptions {
  const env = session.multi('session.open');
  const agents: Record<number, string> = {};
  for (const [key, name] of Object.entries(p.seats ?? {})) {
    const seat = Number(key);
    if (seat >= env.seats) throw new UnknownSeatError(seat, env.seats);
    makeBuiltinAgent(session.envId, name); // AGENT_UNKNOWN with the names that exist
    agents[seat] = name;
  }
  const fallback = p.fallback ?? 'random';
  if (fallback !== 'abort') makeBuiltinAgent(session.envId, fallback);
  return {
    agents,
    turnTimeoutMs: p.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS,
    claimTimeoutMs: p.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS,
    fallback,
  };
}

/**
 * Strings, null and integers within ±(2^53 − 1). A bigger number has already lost digits in
 * JSON.parse, so echoing it would answer a different id: it is refused, and the message says so.
 */
function isValidId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
}

function invalidIdMessage(id: unknown): string {
  if (typeof id === 'number' && Number.isInteger(id)) {
    return 'Invalid request: a numeric id must be within ±9007199254740991 (2^53 − 1); larger ones cannot be echoed exactly. Send big ids as strings.';
  }
  return 'Invalid request: id must be a string, an integer or null.';
}

function listMethods(): string {
  return METHODS.join(', ');
}

/** A serialized result response; a result that is not JSON becomes an internal error instead. */
function resultReply(id: RpcId, result: unknown): string {
  if (result instanceof RawJson) return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result.json}}`;
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return errorReply(id, RPC_CODES.INTERNAL_ERROR, `The env returned a result that is not plain JSON: ${detail}`, 'INTERNAL_ERROR');
  }
  if (json === undefined) {
    return errorReply(id, RPC_CODES.INTERNAL_ERROR, 'The env returned no result (undefined).', 'INTERNAL_ERROR');
  }
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${json}}`;
}

/**
 * One `session.stepMany` outcome, serialized on its own: a result that is not JSON throws, and
 * becomes the error of its entry only.
 */
function outcomeJson(result: unknown): string {
  const json = JSON.stringify(result) as string | undefined;
  if (json === undefined) throw new TypeError('the env returned no result (undefined)');
  return `{"result":${json}}`;
}

/** A serialized error response. `code` is the LudusError code, repeated in `data.code`. */
export function errorReply(id: RpcId, rpcCode: number, message: string, code: string, data?: Record<string, unknown>): string {
  try {
    return JSON.stringify({ jsonrpc: '2.0', id, error: { code: rpcCode, message, data: { ...data, code } } });
  } catch {
    return JSON.stringify({ jsonrpc: '2.0', id, error: { code: rpcCode, message, data: { code } } });
  }
}
