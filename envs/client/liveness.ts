/**
 * How a RemoteEnvClient notices a server that stopped answering: per-request deadlines (a
 * TimeoutError for that request only) and a heartbeat (WebSocket ping from the client; no pong
 * nor any other frame for HEARTBEAT_MISSES intervals in a row means the peer is gone, and the
 * connection is cut). A server busy for a few seconds (a catalog build on its first open) is not
 * taken for dead: it answers the pings it missed once its event loop is free again.
 *
 * Defaults and their validation for the client's options live here too, so the client itself
 * only wires them in.
 * @module
 */
import type WebSocket from 'ws';
import { z } from 'zod';
import { OptionsError, TimeoutError } from '../core/errors.js';
import { formatIssues } from '../core/registry.js';

/** The client's timing options, resolved (see RemoteEnvClientOptions for their meaning). */
export interface ClientTimings {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  heartbeatMs: number;
  closeTimeoutMs: number;
}

/** Documented defaults (docs/protocol.md, "Client timeouts"). */
export const DEFAULT_CLIENT_TIMINGS: ClientTimings = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  heartbeatMs: 10_000,
  closeTimeoutMs: 1_000,
};

/** Heartbeat intervals in a row without a word from the server before it is taken for dead. */
export const HEARTBEAT_MISSES = 3;

const ms = z.number().int().min(0).max(2_147_483_647);
const timingsSchema = z.object({
  connectTimeoutMs: z.number().int().min(1).max(2_147_483_647),
  requestTimeoutMs: ms,
  heartbeatMs: ms,
  closeTimeoutMs: z.number().int().min(1).max(2_147_483_647),
});

/** Spreads the defaults over `options` and validates once; OptionsError names the bad option. */
export function resolveClientTimings(options: Partial<Record<keyof ClientTimings, number | undefined>>): ClientTimings {
  const given = Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k in DEFAULT_CLIENT_TIMINGS));
  const parsed = timingsSchema.safeParse({ ...DEFAULT_CLIENT_TIMINGS, ...given });
  if (!parsed.success) throw new OptionsError('RemoteEnvClient', formatIssues(parsed.error));
  return parsed.data;
}

/** The error of a request that got no answer within its deadline. */
export function requestTimedOut(url: string, method: string, timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `${method} to ${url} got no answer within ${timeoutMs} ms (requestTimeoutMs): the server may be stopped, overloaded or unreachable. ` +
      'Retry on another server, or raise requestTimeoutMs for slow envs.',
    { method, timeoutMs, url },
  );
}

/** The error of a connection whose WebSocket handshake did not finish in time. */
export function connectTimedOut(url: string, timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `Could not connect to ${url}: the WebSocket handshake did not finish within ${timeoutMs} ms (connectTimeoutMs). Is the server running and answering?`,
    { timeoutMs, url },
  );
}

/**
 * Pings every `intervalMs`; when `misses` intervals in a row pass with neither a pong nor any
 * other frame from the peer, calls `onDead` once with how long it was silent (the caller cuts the
 * connection). Returns a stop function. The timer is unref'd: a heartbeat never keeps a process
 * alive.
 */
export function startHeartbeat(ws: WebSocket, intervalMs: number, onDead: (silentMs: number) => void, misses = HEARTBEAT_MISSES): () => void {
  if (intervalMs <= 0) return () => undefined;
  let silent = 0;
  const alive = () => {
    silent = 0;
  };
  ws.on('pong', alive);
  ws.on('message', alive);
  const timer = setInterval(() => {
    if (silent >= misses) {
      stop();
      onDead(silent * intervalMs);
      return;
    }
    silent += 1;
    try {
      ws.ping();
    } catch {
      // the socket is closing; its close event ends everything
    }
  }, intervalMs);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    ws.off('pong', alive);
    ws.off('message', alive);
  };
  return stop;
}
