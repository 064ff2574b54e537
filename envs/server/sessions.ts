/**
 * Sessions: one made env each, owned by one connection, with a queue that runs its requests one
 * at a time in arrival order. The SessionTable enforces the session limits, reaps idle sessions
 * and closes everything a vanished connection left behind.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { makeAny } from '../core/registry.js';
import type { AnyEnv, Env, MultiAgentEnv } from '../core/types.js';
import { ProtocolError } from '../protocol/rpc-errors.js';
import type { GameHost } from './game-host.js';

/** How many ended session ids a connection remembers, to explain a later "unknown session". */
const ENDED_MEMORY = 4096;

/** One connection's sessions, plus why recently ended ones ended. */
export class Peer {
  readonly sessions = new Map<string, Session>();
  /** id → why it ended ("closed", "reaped after 300000 ms idle"). Oldest first; bounded. */
  readonly ended = new Map<string, string>();
  /** False once the connection is gone: nothing new may be opened for it. */
  open = true;
  /** Games (of any connection) in which this connection holds seats. */
  readonly games = new Set<GameHost>();
  /** Sends a server → client notification on this connection (set by EnvServer): `seat.turn`, `game.over`. */
  notify: (method: string, params: unknown) => void = () => undefined;

  rememberEnded(id: string, reason: string): void {
    this.ended.set(id, reason);
    if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.keys().next().value as string);
  }
}

export class Session {
  /** Last time a request for it started or finished (ms since epoch). */
  lastUsed = Date.now();
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;

  /** Multi-agent sessions played by seats: the host that drives the game. */
  host: GameHost | null = null;

  constructor(
    readonly id: string,
    readonly envId: string,
    readonly kind: 'single' | 'multi',
    readonly env: AnyEnv,
    readonly peer: Peer,
  ) {}

  /** The env of a single-agent session, or INVALID_PARAMS saying how to call a multi-agent one. */
  single(method: string): Env {
    if (this.kind !== 'single') throw new ProtocolError('INVALID_PARAMS', `${method}: session ${this.id} plays the multi-agent env ${this.envId}: send actions by seat ({"actions": {"0": "..."}}).`);
    return this.env as Env;
  }

  /** The env of a multi-agent session, or INVALID_PARAMS. */
  multi(method: string): MultiAgentEnv {
    if (this.kind !== 'multi') throw new ProtocolError('INVALID_PARAMS', `${method}: session ${this.id} plays the single-agent env ${this.envId}: send one action ({"action": "..."}).`);
    return this.env as MultiAgentEnv;
  }

  /** True while a request is queued or running: never reaped then. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /**
   * Runs `task` after every task enqueued before it, even failed ones. An idle session starts the
   * task at once (no queue hop): the hot path of one request per session at a time.
   */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    this.lastUsed = Date.now();
    let run: Promise<T>;
    if (this.inFlight === 1) {
      try {
        run = task();
      } catch (err) {
        run = Promise.reject(err);
      }
    } else {
      run = this.tail.then(task);
    }
    this.tail = run.then(this.finished, this.finished);
    return run;
  }

  /** Bound once, not per request. */
  private readonly finished = (): void => {
    this.inFlight -= 1;
    this.lastUsed = Date.now();
  };
}

export interface SessionLimits {
  maxSessions: number;
  maxSessionsPerConnection: number;
  /** 0 disables reaping. */
  idleTimeoutMs: number;
}

export class SessionTable {
  private readonly all = new Map<string, Session>();
  private readonly closing = new Set<Promise<void>>();
  /** Set while the server drains: no new sessions (SERVER_DRAINING), the open ones go on. */
  draining = false;

  constructor(private readonly limits: SessionLimits) {}

  /** Open sessions across all connections. */
  get size(): number {
    return this.all.size;
  }

  /**
   * Makes `copies` envs of `envId` with the same options (validated by `make`), all or none.
   * Copies are built the same way, so the same task + seed + actions give the same trajectory.
   */
  open(peer: Peer, envId: string, options: Record<string, unknown> | undefined, copies: number): Session[] {
    if (!peer.open) throw new ProtocolError('SESSION_LIMIT', 'The connection is closing: no new sessions.');
    if (this.draining) throw new ProtocolError('SERVER_DRAINING', 'The server is draining (shutting down): open the session on another server. Sessions already open go on.');
    if (this.all.size + copies > this.limits.maxSessions) {
      throw new ProtocolError(
        'SESSION_LIMIT',
        `Opening ${copies} session(s) would exceed the server's limit of ${this.limits.maxSessions} open sessions (${this.all.size} open): close sessions you no longer need.`,
        { limit: this.limits.maxSessions, open: this.all.size },
      );
    }
    if (peer.sessions.size + copies > this.limits.maxSessionsPerConnection) {
      throw new ProtocolError(
        'SESSION_LIMIT',
        `Opening ${copies} session(s) would exceed the limit of ${this.limits.maxSessionsPerConnection} open sessions per connection (${peer.sessions.size} open): close sessions or use another connection.`,
        { limit: this.limits.maxSessionsPerConnection, open: peer.sessions.size },
      );
    }
    const made: { kind: 'single' | 'multi'; env: AnyEnv }[] = [];
    try {
      for (let i = 0; i < copies; i++) made.push(makeAny(envId, options ?? {}));
    } catch (err) {
      for (const m of made) void m.env.close().catch(() => undefined);
      throw err;
    }
    return made.map(({ kind, env }) => {
      const session = new Session(newSessionId(), envId, kind, env, peer);
      this.all.set(session.id, session);
      peer.sessions.set(session.id, session);
      return session;
    });
  }

  /** The peer's session, or SESSION_UNKNOWN saying whether it was closed, reaped or never existed. */
  get(peer: Peer, id: string): Session {
    const session = peer.sessions.get(id);
    if (session) return session;
    const why = peer.ended.get(id);
    const message = why
      ? `Unknown session '${id}': it was ${why}. Open a new session with session.open.`
      : `Unknown session '${id}': no such session on this connection (sessions belong to the connection that opened them). Open one with session.open.`;
    throw new ProtocolError('SESSION_UNKNOWN', message, { session: id, ...(why ? { reason: why } : {}) });
  }

  /** Any connection's session by id (seat claims reach games opened by other connections), or SESSION_UNKNOWN. */
  find(id: string): Session {
    const session = this.all.get(id);
    if (session) return session;
    throw new ProtocolError('SESSION_UNKNOWN', `Unknown session '${id}': no such game on this server (it may have been closed). Ask its opener for the session id.`, { session: id });
  }

  /**
   * Removes the session now (later requests get SESSION_UNKNOWN) and closes its env after the
   * requests already queued on it. Resolves once the env is closed.
   */
  close(session: Session, reason = 'closed'): Promise<void> {
    if (!this.all.delete(session.id)) return Promise.resolve();
    session.peer.sessions.delete(session.id);
    session.peer.rememberEnded(session.id, reason);
    session.host?.abort(reason);
    const closed = session.enqueue(() => session.env.close());
    const tracked = closed.catch(() => undefined).finally(() => this.closing.delete(tracked));
    this.closing.add(tracked);
    return closed;
  }

  /** Closes every session of a connection that went away. Env close errors are swallowed. */
  closePeer(peer: Peer): Promise<void> {
    peer.open = false;
    for (const game of [...peer.games]) game.peerGone(peer);
    peer.games.clear();
    const closes = [...peer.sessions.values()].map((s) => this.close(s, 'closed with its connection').catch(() => undefined));
    return Promise.all(closes).then(() => undefined);
  }

  /** Sessions with a request queued or running. */
  get busy(): number {
    let n = 0;
    for (const session of this.all.values()) if (session.busy) n += 1;
    return n;
  }

  /** Closes sessions idle for longer than idleTimeoutMs. Returns how many were reaped. */
  reapIdle(now = Date.now()): number {
    const limit = this.limits.idleTimeoutMs;
    if (limit <= 0) return 0;
    let reaped = 0;
    for (const session of this.all.values()) {
      if (session.busy || now - session.lastUsed < limit) continue;
      void this.close(session, `reaped after ${limit} ms idle (the server's idleTimeoutMs)`).catch(() => undefined);
      reaped += 1;
    }
    return reaped;
  }

  /** Closes every session and waits for all env closes, including ones already under way. */
  async closeAll(): Promise<void> {
    for (const session of [...this.all.values()]) void this.close(session, 'closed by server shutdown').catch(() => undefined);
    while (this.closing.size > 0) await Promise.all([...this.closing]);
  }
}

function newSessionId(): string {
  return `s_${randomBytes(12).toString('base64url')}`;
}
