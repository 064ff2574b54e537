/**
 * Policy server options: documented defaults, spread once and validated once.
 * @module
 */
import { z } from 'zod';
import { OptionsError } from '../../envs/core/errors.js';
import { formatIssues } from '../../envs/core/registry.js';
import { isLoopbackHost } from '../../envs/server/options.js';

export interface PolicyServerOptions {
  /** Interface to bind. Default `127.0.0.1`; a non-loopback host needs `apiKey`. */
  host: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port: number;
  /** The model id served (`/v1/models`; requests must name it). Default `ludus-policy`. */
  model: string;
  /** Bearer key clients must send (`Authorization: Bearer <key>`). Default: none (loopback only). */
  apiKey?: string;
  /** Largest request body in bytes; a bigger one gets 413. Default 4 MiB. */
  maxBodyBytes: number;
  /** Most rows scored in one forward pass. Default 256. */
  maxBatch: number;
  /**
   * How long the first queued decision waits for others before a forward pass (ms). Concurrent
   * requests then share one pass. 0 scores at the next turn of the event loop. Default 2.
   */
  batchWindowMs: number;
  /** Rows waiting to be scored before new requests get 503 (with Retry-After). Default 4096. */
  maxQueue: number;
  /** Seeds the sampling of requests that send no `seed`. Default 0. */
  seed: number;
  /**
   * Chat requests accepted per second, on average (a token bucket); the rest get 429 with
   * `Retry-After`, as a hosted API under load does. 0: no limit. Default 0. For load and backoff tests.
   */
  rateLimit: number;
  /** The bucket's size: requests accepted at once before the rate applies. Default: max(1, rateLimit). */
  rateBurst?: number;
}

export const DEFAULT_POLICY_SERVER_OPTIONS = {
  host: '127.0.0.1',
  port: 0,
  model: 'ludus-policy',
  maxBodyBytes: 4 * 1024 * 1024,
  maxBatch: 256,
  batchWindowMs: 2,
  maxQueue: 4096,
  seed: 0,
  rateLimit: 0,
} satisfies Omit<PolicyServerOptions, 'apiKey' | 'rateBurst'>;

const schema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    model: z.string().regex(/^[A-Za-z0-9._:\/-]+$/, 'use letters, digits and . _ : / -'),
    apiKey: z.string().min(1, 'must not be empty').optional(),
    maxBodyBytes: z.number().int().min(1024),
    maxBatch: z.number().int().min(1),
    batchWindowMs: z.number().min(0).max(1000),
    maxQueue: z.number().int().min(1),
    seed: z.number().int(),
    rateLimit: z.number().min(0),
    rateBurst: z.number().min(1).optional(),
  })
  .strict();

export function resolvePolicyServerOptions(options: Partial<PolicyServerOptions> = {}): PolicyServerOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse({ ...DEFAULT_POLICY_SERVER_OPTIONS, ...defined });
  if (!parsed.success) throw new OptionsError('the policy server', formatIssues(parsed.error));
  if (!isLoopbackHost(parsed.data.host) && parsed.data.apiKey === undefined) {
    throw new OptionsError('the policy server', [`refusing to bind non-loopback host '${parsed.data.host}' without an API key: pass --api-key or bind 127.0.0.1`]);
  }
  return parsed.data;
}
