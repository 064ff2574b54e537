/**
 * EnvServer options: documented defaults, spread once and validated once.
 * @module
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { OptionsError } from '../core/errors.js';
import { formatIssues } from '../core/registry.js';

export interface EnvServerOptions {
  /** Interface to bind. Default `127.0.0.1`. A non-loopback host requires `token`. */
  host: string;
  /** TCP port; 0 picks a free one (read it back from `server.url`). Default 0. */
  port: number;
  /**
   * Shared secret clients must present on the WebSocket upgrade, as `Authorization: Bearer <token>`
   * or `?token=<token>`. Default: none (only allowed on a loopback host).
   */
  token?: string;
  /** Largest inbound frame in bytes; a bigger one closes that socket with status 1009. Default 1 MiB. */
  maxPayload: number;
  /** Open sessions across all connections. Default 1024. */
  maxSessions: number;
  /** Open sessions per connection. Default 256 (or maxSessions, if smaller). */
  maxSessionsPerConnection: number;
  /** Largest `copies` of one `session.open`. Default 64. */
  maxCopies: number;
  /** Most requests in one batch frame. Default 1024. */
  maxBatch: number;
  /** A session unused for this long is closed ("reaped"). 0 disables. Default 300 000 (5 min). */
  idleTimeoutMs: number;
  /** Ping interval; a connection that missed the previous pong is dropped. 0 disables. Default 30 000. */
  heartbeatMs: number;
}

export const DEFAULT_SERVER_OPTIONS = {
  host: '127.0.0.1',
  port: 0,
  maxPayload: 1024 * 1024,
  maxSessions: 1024,
  maxSessionsPerConnection: 256,
  maxCopies: 64,
  maxBatch: 1024,
  idleTimeoutMs: 300_000,
  heartbeatMs: 30_000,
} satisfies Omit<EnvServerOptions, 'token'>;

const positiveInt = z.number().int().min(1);
const optionsSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    token: z.string().min(1, 'token must not be empty').optional(),
    maxPayload: positiveInt,
    maxSessions: positiveInt,
    maxSessionsPerConnection: positiveInt,
    maxCopies: positiveInt,
    maxBatch: positiveInt,
    idleTimeoutMs: z.number().int().min(0),
    heartbeatMs: z.number().int().min(0),
  })
  .strict();

/** True for hosts that only accept connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

/** Spreads the defaults and validates; throws OptionsError (code OPTIONS_INVALID) naming the bad option. */
export function resolveServerOptions(options: Partial<EnvServerOptions> = {}): EnvServerOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const parsed = optionsSchema.safeParse({ ...DEFAULT_SERVER_OPTIONS, ...defined });
  if (!parsed.success) throw new OptionsError('EnvServer', formatIssues(parsed.error));
  const resolved = parsed.data;
  if (!isLoopbackHost(resolved.host) && resolved.token === undefined) {
    throw new OptionsError('EnvServer', [
      `refusing to bind non-loopback host '${resolved.host}' without authentication: pass a token (options.token / --token) or bind 127.0.0.1`,
    ]);
  }
  if (defined.maxSessionsPerConnection === undefined) {
    resolved.maxSessionsPerConnection = Math.min(resolved.maxSessionsPerConnection, resolved.maxSessions);
  } else if (resolved.maxSessionsPerConnection > resolved.maxSessions) {
    throw new OptionsError('EnvServer', [
      `maxSessionsPerConnection (${resolved.maxSessionsPerConnection}) must not exceed maxSessions (${resolved.maxSessions})`,
    ]);
  }
  return resolved;
}
