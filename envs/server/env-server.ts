/**
 * EnvServer: serves the registered envs over WebSocket (JSON-RPC 2.0, see docs/protocol.md).
 *
 * @example
 * const server = await startServer({ port: 0 });
 * console.log(server.url); // ws://127.0.0.1:PORT
 * await server.close();
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { Dispatcher, errorReply } from './dispatcher.js';
import { serveHttp } from './http-endpoints.js';
import { CSP, HostGuard, securityHeaders } from './http-hardening.js';
import { resolveServerOptions, type EnvServerOptions } from './options.js';
import type { ServerServices } from './server-services.js';
import { ServerMetrics } from './server-metrics.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { RPC_CODES } from '../protocol/rpc-errors.js';
import { Peer, SessionTable } from './sessions.js';

/** Lifecycle of an EnvServer. */
export const SERVER_STATE = { NEW: 0, RUNNING: 1, CLOSING: 2, CLOSED: 3 } as const;
export type ServerState = (typeof SERVER_STATE)[keyof typeof SERVER_STATE];

/** How long a closing socket may take to finish the close handshake before it is cut. */
const CLOSE_GRACE_MS = 1000;

/** How long open sessions may go on after a drain starts (`drain()`'s default). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
/** After that, how long the requests in flight get to finish before the sockets close. */
const DRAIN_REQUEST_GRACE_MS = 10_000;

interface Connection {
  ws: WebSocket;
  peer: Peer;
  /** Cleared at each heartbeat ping, set by the pong. */
  alive: boolean;
  closed: Promise<void>;
}

export class EnvServer {
  /** The resolved options (defaults applied). */
  readonly options: Readonly<EnvServerOptions>;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly table: SessionTable;
  private readonly dispatcher: Dispatcher;
  private readonly connections = new Set<Connection>();
  private readonly timers: NodeJS.Timeout[] = [];
  private status: ServerState = SERVER_STATE.NEW;
  private closing?: Promise<void>;
  private draining?: Promise<void>;
  /** Prometheus metrics and the load `/healthz` reports. */
  readonly metrics: ServerMetrics;

  /**
   * Validates the options (throws OptionsError, e.g. for a non-loopback host without a token).
   * Call `listen()` to start serving, or use `startServer(options)`.
   * @param [options.host='127.0.0.1'] interface to bind; non-loopback needs `token`
   * @param [options.port=0] 0 picks a free port
   * @param [options.token] shared secret for the upgrade (Bearer header or ?token=)
   * @param [options.maxPayload=1048576] largest inbound frame in bytes
   * @param [options.maxSessions=1024] open sessions, whole server
   * @param [options.maxSessionsPerConnection=256] open sessions per connection
   * @param [options.maxCopies=64] largest `copies` of a session.open
   * @param [options.maxBatch=1024] most requests in one batch frame
   * @param [options.idleTimeoutMs=300000] idle sessions are closed after this; 0 never
   * @param [options.heartbeatMs=30000] ping interval; 0 disables
   * @param services what the server computes beyond the envs (`advantages` for `advantages.compute`), from the caller
   */
  constructor(options: Partial<EnvServerOptions> = {}, services: ServerServices = {}) {
    this.options = Object.freeze(resolveServerOptions(options));
    this.table = new SessionTable(this.options);
    this.metrics = new ServerMetrics({
      sessions: () => this.table.size,
      capacity: () => this.options.maxSessions,
      connections: () => this.connections.size,
      draining: () => this.table.draining,
    });
    this.dispatcher = new Dispatcher(this.table, this.options, (method) => this.metrics.start(method), (stepped, codes) => this.metrics.countEntries(stepped, codes), services);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.options.maxPayload,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.wss.on('headers', (headers) => {
      headers.push(
        `X-Ludus-Protocol: ${PROTOCOL_VERSION}`,
        `X-Ludus-Max-Payload: ${this.options.maxPayload}`,
        `X-Ludus-Max-Batch: ${this.options.maxBatch}`,
      );
    });
    this.http = createServer((req, res) => {
      const token = this.options.token;
      serveHttp(req, res, { metrics: this.metrics, headers: securityHeaders(CSP.text), authorized: (r) => token === undefined || tokenMatches(presentedToken(r), token) });
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.http.on('error', () => undefined);
  }

  /** Binds host:port. Resolves with the server once it accepts connections. */
  listen(): Promise<this> {
    if (this.status !== SERVER_STATE.NEW) return Promise.reject(new Error('EnvServer.listen() may be called only once.'));
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        this.status = SERVER_STATE.CLOSED;
        reject(err);
      };
      this.http.once('error', onError);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', onError);
        this.status = SERVER_STATE.RUNNING;
        this.startTimers();
        resolve(this);
      });
    });
  }

  get state(): ServerState {
    return this.status;
  }

  /** The bound address. Throws before `listen()` resolved. */
  address(): { host: string; port: number } {
    const addr = this.http.address();
    if (addr === null || typeof addr === 'string') throw new Error('EnvServer is not listening: await listen() first.');
    return { host: this.options.host, port: addr.port };
  }

  /** `ws://HOST:PORT` of the listening server. */
  get url(): string {
    const { host, port } = this.address();
    return `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Open sessions across all connections. */
  get sessionCount(): number {
    return this.table.size;
  }

  /** Open WebSocket connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** True from `drain()` until closed: no new connections or sessions. */
  get isDraining(): boolean {
    return this.table.draining;
  }

  /**
   * Drains (what SIGTERM does to `ludus serve`): new connections get HTTP 503 and new sessions
   * SERVER_DRAINING, `/healthz` answers 503; the open sessions go on until their owners close them
   * or `timeoutMs` passes; then the requests in flight finish and the server closes. Resolves once,
   * when closed.
   */
  drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    this.draining ??= this.runDrain(timeoutMs);
    return this.draining;
  }

  private async runDrain(timeoutMs: number): Promise<void> {
    if (this.status === SERVER_STATE.RUNNING) {
      this.table.draining = true;
      const until = Date.now() + timeoutMs;
      while (this.table.size > 0 && Date.now() < until && this.status === SERVER_STATE.RUNNING) await sleep(25);
      const grace = Date.now() + DRAIN_REQUEST_GRACE_MS;
      while (this.table.busy > 0 && Date.now() < grace && this.status === SERVER_STATE.RUNNING) await sleep(5);
    }
    await this.close();
  }

  /** Closes every connection (status 1001) and every session. Resolves once, when all envs are closed. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const wasListening = this.status === SERVER_STATE.RUNNING;
    this.status = SERVER_STATE.CLOSING;
    this.table.draining = true;
    this.metrics.stop();
    for (const timer of this.timers) clearInterval(timer);
    const sockets = [...this.connections].map((conn) => {
      conn.ws.close(1001, 'server shutting down');
      const cut = setTimeout(() => conn.ws.terminate(), CLOSE_GRACE_MS);
      return conn.closed.finally(() => clearTimeout(cut));
    });
    await Promise.all(sockets);
    await this.table.closeAll();
    if (wasListening) await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.wss.close();
    this.status = SERVER_STATE.CLOSED;
  }

  private startTimers(): void {
    const { idleTimeoutMs, heartbeatMs } = this.options;
    if (idleTimeoutMs > 0) {
      const every = Math.min(Math.max(Math.floor(idleTimeoutMs / 4), 10), 5000);
      this.timers.push(setInterval(() => this.table.reapIdle(), every).unref());
    }
    if (heartbeatMs > 0) {
      this.timers.push(setInterval(() => this.heartbeat(), heartbeatMs).unref());
    }
  }

  private heartbeat(): void {
    for (const conn of this.connections) {
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    if (this.status !== SERVER_STATE.RUNNING || this.table.draining) {
      rejectUpgrade(socket, 503, 'Service Unavailable', 'The server is draining (shutting down): connect to another server.');
      return;
    }
    // Without a token, a browser page from a foreign origin must not drive the envs (cross-site WebSocket hijacking).
    if (this.options.token === undefined && !new HostGuard(this.options.host).allowsOrigin(req.headers.origin)) {
      rejectUpgrade(socket, 403, 'Forbidden', 'Cross-origin WebSocket refused: connect from a non-browser client, from a page on this machine, or use a token.');
      return;
    }
    if (this.options.token !== undefined && !tokenMatches(presentedToken(req), this.options.token)) {
      rejectUpgrade(
        socket,
        401,
        'Unauthorized',
        'Missing or wrong token: send "Authorization: Bearer <token>" or add ?token=<token> to the URL.',
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    if (this.status !== SERVER_STATE.RUNNING) {
      ws.close(1001, 'server shutting down');
      return;
    }
    const peer = new Peer();
    let markClosed!: () => void;
    const conn: Connection = { ws, peer, alive: true, closed: new Promise<void>((r) => (markClosed = r)) };
    this.connections.add(conn);
    // Notifications pushed in one tick (the seat.turn of every seat this connection holds at a
    // game step, across all its games) go out as one frame: an array when there are several.
    let pushed: string[] = [];
    peer.notify = (method, params) => {
      if (pushed.push(JSON.stringify({ jsonrpc: '2.0', method, params })) > 1) return;
      queueMicrotask(() => {
        const frames = pushed;
        pushed = [];
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(frames.length === 1 ? (frames[0] as string) : `[${frames.join(',')}]`);
      });
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.send(errorReply(null, RPC_CODES.INVALID_REQUEST, 'Invalid request: binary frames are not supported; send JSON text frames.', 'INVALID_REQUEST'));
        return;
      }
      this.dispatcher
        .handleFrame(peer, rawToString(data))
        .then((reply) => {
          if (reply !== undefined && ws.readyState === WebSocket.OPEN) ws.send(reply);
        })
        .catch(() => undefined); // handleFrame never rejects; a send on a dying socket may throw
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    // Protocol faults (an oversized frame, invalid UTF-8) close this socket only; ws sends the close code.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.connections.delete(conn);
      void this.table.closePeer(peer).finally(markClosed);
    });
  }
}

/** `new EnvServer(options, services).listen()`. */
export function startServer(options: Partial<EnvServerOptions> = {}, services: ServerServices = {}): Promise<EnvServer> {
  return new EnvServer(options, services).listen();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer /i.test(auth)) return auth.slice(7).trim();
  try {
    return new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
  } catch {
    return undefined;
  }
}

function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function rejectUpgrade(socket: Duplex, status: number, reason: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      (status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '') +
      `\r\n${body}`,
  );
}
