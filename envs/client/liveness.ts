/**
 * How a RemoteEnvClient notices a server that stopped answering: per-request deadlines (a
 * TimeoutError for that request only) and a heartbeat (WebSocket ping from the client; a pong
 * missing for a whole interval means the peer is gone, and the connection is cut).
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
  requestTimeoutMs: 30_000,
  heartbeatMs: 10_000,
  closeTimeoutMs: 1_000,
};

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
 * Pings every `intervalMs`; when a whole interval passes with neither a pong nor any other frame
 * from the peer, calls `onDead` once (the caller cuts the connection). Returns a stop function.
 * The timer is unref'd: a heartbeat never keeps a process alive.
 */
export function startHeartbeat(ws: WebSocket, intervalMs: number, onDead: (silentMs: number) => void): () => void {
  if (intervalMs <= 0) return () => undefined;
  let heard = true;
  const alive = () => {
    heard = true;
  };
  ws.on('pong', alive);
  ws.on('message', alive);
  const timer = setInterval(() => {
    if (!heard) {
      stop();
      onDead(intervalMs);
      return;
    }
    heard = false;
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
