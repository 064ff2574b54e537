/**
 * The wire format of the step protocol (JSON-RPC 2.0 over WebSocket text frames): the method
 * names, their params (validated once at the boundary with zod) and their results.
 * docs/protocol.md is the prose version; docs/protocol.schema.json the JSON Schema.
 * @module
 */
import { z } from 'zod';
import type { EnvSummary } from '../core/spec.js';
import type { EnvState, ResetResult, StepResult } from '../core/types.js';
import { ProtocolError } from './rpc-errors.js';

/** Bumped on any incompatible change; sent in the `x-ludus-protocol` upgrade response header. */
export const PROTOCOL_VERSION = 1;

export const METHODS = [
  'envs.list',
  'session.open',
  'session.reset',
  'session.step',
  'session.snapshot',
  'session.restore',
  'session.close',
] as const;
export type Method = (typeof METHODS)[number];

/**
 * Planned server → client notification for multi-agent envs (not sent yet): a seat's turn,
 * with that seat's private observation. Reserved so clients can already route it.
 */
export const SEAT_TURN_NOTIFICATION = 'seat.turn';

export type RpcId = string | number | null;

export interface RpcRequest {
  jsonrpc: '2.0';
  /** Absent for a notification (no response is sent). */
  id?: RpcId;
  method: string;
  params?: unknown;
}

export type RpcResponse =
  | { jsonrpc: '2.0'; id: RpcId; result: unknown }
  | { jsonrpc: '2.0'; id: RpcId; error: { code: number; message: string; data?: unknown } };

const sessionId = z.string().min(1).max(128);
const taskRef = z.union([
  z.string().min(1),
  z.object({ split: z.string().min(1), index: z.number().int().min(0) }).strict(),
  z.object({ id: z.string().min(1) }).strict(),
]);

/** Params schema of every method. Unknown keys are rejected so typos surface. */
export const PARAMS = {
  'envs.list': z.object({}).strict(),
  'session.open': z
    .object({
      env: z.string().min(1),
      options: z.record(z.string(), z.unknown()).optional(),
      copies: z.number().int().min(1).optional(),
    })
    .strict(),
  'session.reset': z
    .object({ session: sessionId, task: taskRef.optional(), seed: z.number().int().optional() })
    .strict(),
  'session.step': z.object({ session: sessionId, action: z.string() }).strict(),
  'session.snapshot': z.object({ session: sessionId }).strict(),
  'session.restore': z
    // Any JSON; its depth and size are checked by the dispatcher (STATE_INVALID), its shape by the env.
    .object({ session: sessionId, state: z.unknown() })
    .strict()
    .refine((p) => p.state !== undefined, { message: 'state is required', path: ['state'] }),
  'session.close': z.object({ session: sessionId }).strict(),
} satisfies Record<Method, z.ZodType>;

export type Params<M extends Method> = z.output<(typeof PARAMS)[M]>;

export interface Results {
  'envs.list': { envs: EnvSummary[] };
  'session.open': { sessions: string[] };
  'session.reset': ResetResult;
  'session.step': StepResult;
  'session.snapshot': { state: EnvState };
  'session.restore': Record<string, never>;
  'session.close': Record<string, never>;
}

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name);
}

/** Validates `params` for `method`; the error message names the method and the bad field. */
export function parseParams<M extends Method>(method: M, params: unknown): Params<M> {
  if (method === 'session.step' && isPlainStep(params)) return params as Params<M>;
  const input = params === undefined ? {} : params;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ProtocolError('INVALID_PARAMS', `${method}: params must be an object of named params (positional arrays are not supported).`);
  }
  const parsed = PARAMS[method].safeParse(input);
  if (parsed.success) return parsed.data as Params<M>;
  const issues = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown param(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(params)';
    return `${field}: ${issue.message}`;
  });
  throw new ProtocolError('INVALID_PARAMS', `${method}: invalid params: ${issues.join('; ')}.`, { issues });
}

/**
 * The hot path: `{ session, action }` with a valid session id and a string action, exactly what
 * PARAMS['session.step'] accepts, checked without building a parse result. Anything else takes
 * the schema (and gets its error message).
 */
function isPlainStep(params: unknown): params is { session: string; action: string } {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return false;
  let keys = 0;
  for (const key in params) {
    if (key !== 'session' && key !== 'action') return false;
    keys += 1;
  }
  const p = params as { session?: unknown; action?: unknown };
  return keys === 2 && typeof p.action === 'string' && typeof p.session === 'string' && p.session.length >= 1 && p.session.length <= 128;
}
