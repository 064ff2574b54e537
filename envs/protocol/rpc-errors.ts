/**
 * The error boundary of the WebSocket protocol: JSON-RPC error codes, the protocol's own typed
 * errors, and the two mappings `toRpcError(err)` (server side) and `fromRpcError(obj)` (client side).
 *
 * Every error object the server sends carries the LudusError code in `error.data.code`, so a client
 * can rethrow the very error a local env would have thrown (same class, `code`, message and data).
 * @module
 */
import {
  EnvClosedError,
  EnvKindError,
  EpisodeOverError,
  SnapshotUnsupportedError,
  TimeoutError,
  UnknownSeatError,
  InvalidStateError,
  LudusError,
  OptionsError,
  ResetNeededError,
  UnknownEnvError,
  UnknownTaskError,
  type LudusErrorCode,
  type ProtocolErrorCode,
} from '../core/errors.js';

/** Standard JSON-RPC 2.0 codes and the protocol's own (-32000..-32099, the range the spec reserves for servers). */
export const RPC_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32000,
  ENV_UNKNOWN: -32001,
  SESSION_UNKNOWN: -32002,
  EPISODE_OVER: -32003,
  RESET_NEEDED: -32004,
  SESSION_LIMIT: -32005,
  NOT_YOUR_TURN: -32006,
  TASK_UNKNOWN: -32007,
  STATE_INVALID: -32008,
  UNAUTHORIZED: -32009,
  FRAME_TOO_LARGE: -32010,
  ENV_CLOSED: -32011,
  SEAT_UNKNOWN: -32012,
  SEAT_TAKEN: -32013,
  SEAT_NOT_HELD: -32014,
  ALREADY_ACTED: -32015,
  SEAT_UNCLAIMED: -32016,
  ENV_KIND_MISMATCH: -32017,
  SNAPSHOT_UNSUPPORTED: -32018,
  AGENT_UNKNOWN: -32019,
  SERVER_DRAINING: -32020,
} as const;

/** JSON-RPC code for each LudusError code. Exhaustive: a new core code must be mapped here. */
const LUDUS_TO_RPC: Record<LudusErrorCode, number> = {
  PARSE_ERROR: RPC_CODES.PARSE_ERROR,
  INVALID_REQUEST: RPC_CODES.INVALID_REQUEST,
  METHOD_NOT_FOUND: RPC_CODES.METHOD_NOT_FOUND,
  INVALID_PARAMS: RPC_CODES.INVALID_PARAMS,
  OPTIONS_INVALID: RPC_CODES.INVALID_PARAMS,
  ENV_UNKNOWN: RPC_CODES.ENV_UNKNOWN,
  SESSION_UNKNOWN: RPC_CODES.SESSION_UNKNOWN,
  EPISODE_OVER: RPC_CODES.EPISODE_OVER,
  RESET_NEEDED: RPC_CODES.RESET_NEEDED,
  SESSION_LIMIT: RPC_CODES.SESSION_LIMIT,
  NOT_YOUR_TURN: RPC_CODES.NOT_YOUR_TURN,
  TASK_UNKNOWN: RPC_CODES.TASK_UNKNOWN,
  STATE_INVALID: RPC_CODES.STATE_INVALID,
  UNAUTHORIZED: RPC_CODES.UNAUTHORIZED,
  FRAME_TOO_LARGE: RPC_CODES.FRAME_TOO_LARGE,
  ENV_CLOSED: RPC_CODES.ENV_CLOSED,
  SEAT_UNKNOWN: RPC_CODES.SEAT_UNKNOWN,
  SEAT_TAKEN: RPC_CODES.SEAT_TAKEN,
  SEAT_NOT_HELD: RPC_CODES.SEAT_NOT_HELD,
  ALREADY_ACTED: RPC_CODES.ALREADY_ACTED,
  SEAT_UNCLAIMED: RPC_CODES.SEAT_UNCLAIMED,
  ENV_KIND_MISMATCH: RPC_CODES.ENV_KIND_MISMATCH,
  SNAPSHOT_UNSUPPORTED: RPC_CODES.SNAPSHOT_UNSUPPORTED,
  AGENT_UNKNOWN: RPC_CODES.AGENT_UNKNOWN,
  SERVER_DRAINING: RPC_CODES.SERVER_DRAINING,
  // Codes that an env should never raise while serving; reported as internal errors, code kept in data.
  ENV_ALREADY_REGISTERED: RPC_CODES.INTERNAL_ERROR,
  ENV_ID_INVALID: RPC_CODES.INTERNAL_ERROR,
  SPEC_INVALID: RPC_CODES.INTERNAL_ERROR,
  CONNECTION_CLOSED: RPC_CODES.INTERNAL_ERROR,
  TIMEOUT: RPC_CODES.INTERNAL_ERROR,
  REMOTE_ERROR: RPC_CODES.INTERNAL_ERROR,
  CONFORMANCE_FAILED: RPC_CODES.INTERNAL_ERROR,
  TRAINING_DIVERGED: RPC_CODES.INTERNAL_ERROR,
  CHECKPOINT_NOT_FOUND: RPC_CODES.INTERNAL_ERROR,
};

/** An error raised by the protocol layer (bad frame, bad params, unknown session, limits). */
export class ProtocolError extends LudusError {
  constructor(code: ProtocolErrorCode, message: string, data?: Record<string, unknown>) {
    super(code, message, data);
  }
}

/** The `error` member of a JSON-RPC response. `data.code` is the LudusError code. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data: { code: string; [key: string]: unknown };
}

/**
 * Any thrown value → a JSON-RPC error object. LudusErrors keep their code and data; anything else
 * is an env bug, reported as -32000 for that request only.
 */
export function toRpcError(err: unknown): RpcErrorObject {
  if (err instanceof LudusError) {
    const code: string = err.code;
    const rpc = (LUDUS_TO_RPC as Record<string, number>)[code] ?? RPC_CODES.INTERNAL_ERROR;
    return { code: rpc, message: err.message, data: { ...err.data, code } };
  }
  const name = err instanceof Error ? err.name : typeof err;
  const detail = err instanceof Error ? err.message : String(err);
  return {
    code: RPC_CODES.INTERNAL_ERROR,
    message: `The env raised an unexpected ${name}: ${detail}`,
    data: { code: 'INTERNAL_ERROR', name },
  };
}

/** Core error classes revived on the client, so `instanceof EpisodeOverError` works remotely too. */
const CORE_CLASSES: Partial<Record<string, { prototype: LudusError; name: string }>> = {
  ENV_UNKNOWN: UnknownEnvError,
  OPTIONS_INVALID: OptionsError,
  TASK_UNKNOWN: UnknownTaskError,
  RESET_NEEDED: ResetNeededError,
  EPISODE_OVER: EpisodeOverError,
  STATE_INVALID: InvalidStateError,
  ENV_CLOSED: EnvClosedError,
  ENV_KIND_MISMATCH: EnvKindError,
  SNAPSHOT_UNSUPPORTED: SnapshotUnsupportedError,
  SEAT_UNKNOWN: UnknownSeatError,
  TIMEOUT: TimeoutError,
};

/**
 * A JSON-RPC error object → the LudusError a local env would have thrown. Codes this client does
 * not know (including -32000 internal errors) become `REMOTE_ERROR`, with the remote code in
 * `data.remoteCode`.
 */
export function fromRpcError(error: unknown): LudusError {
  const obj = (error !== null && typeof error === 'object' ? error : {}) as Partial<RpcErrorObject>;
  const message = typeof obj.message === 'string' ? obj.message : 'The server sent a malformed error.';
  const rawData = obj.data !== null && typeof obj.data === 'object' ? (obj.data as Record<string, unknown>) : {};
  const { code: remoteCode, ...rest } = rawData;
  const known = typeof remoteCode === 'string' && remoteCode in LUDUS_TO_RPC && remoteCode !== 'REMOTE_ERROR';
  if (!known) {
    return new LudusError('REMOTE_ERROR', message, { ...rest, remoteCode: remoteCode ?? null, rpcCode: obj.code ?? null });
  }
  const data = Object.keys(rest).length > 0 ? rest : undefined;
  const err = new LudusError(remoteCode as LudusErrorCode, message, data);
  const cls = CORE_CLASSES[remoteCode as string];
  if (cls) {
    Object.setPrototypeOf(err, cls.prototype);
    err.name = cls.name;
  } else if (!isCoreCode(remoteCode as string)) {
    Object.setPrototypeOf(err, ProtocolError.prototype);
    err.name = 'ProtocolError';
  }
  return err;
}

const PROTOCOL_CODES: ReadonlySet<string> = new Set<ProtocolErrorCode>([
  'PARSE_ERROR',
  'INVALID_REQUEST',
  'METHOD_NOT_FOUND',
  'INVALID_PARAMS',
  'SESSION_UNKNOWN',
  'SESSION_LIMIT',
  'NOT_YOUR_TURN',
  'SEAT_TAKEN',
  'SEAT_NOT_HELD',
  'ALREADY_ACTED',
  'SEAT_UNCLAIMED',
  'UNAUTHORIZED',
  'FRAME_TOO_LARGE',
  'SERVER_DRAINING',
]);

function isCoreCode(code: string): boolean {
  return !PROTOCOL_CODES.has(code);
}
