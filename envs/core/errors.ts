/**
 * Typed errors with stable codes. Messages say what went wrong and what to do about it.
 * The WebSocket server maps each code to a JSON-RPC error code (envs/protocol/rpc-errors.ts).
 * @module
 */

export type LudusErrorCode =
  | 'ENV_UNKNOWN'
  | 'ENV_ALREADY_REGISTERED'
  | 'ENV_ID_INVALID'
  | 'SPEC_INVALID'
  | 'OPTIONS_INVALID'
  | 'TASK_UNKNOWN'
  | 'RESET_NEEDED'
  | 'EPISODE_OVER'
  | 'STATE_INVALID'
  | 'ENV_CLOSED'
  | 'ENV_KIND_MISMATCH'
  | 'SNAPSHOT_UNSUPPORTED'
  | 'SEAT_UNKNOWN'
  | 'AGENT_UNKNOWN'
  | 'CONNECTION_CLOSED'
  | 'TIMEOUT'
  | 'REMOTE_ERROR'
  | 'CONFORMANCE_FAILED'
  | 'TRAINING_DIVERGED'
  | 'CHECKPOINT_NOT_FOUND'
  | ProtocolErrorCode;

/** Codes raised by the WebSocket protocol itself (envs/server) rather than by an env; one code space with the rest. */
export type ProtocolErrorCode =
  | 'PARSE_ERROR'
  | 'INVALID_REQUEST'
  | 'METHOD_NOT_FOUND'
  | 'INVALID_PARAMS'
  | 'SESSION_UNKNOWN'
  | 'SESSION_LIMIT'
  | 'NOT_YOUR_TURN'
  | 'SEAT_TAKEN'
  | 'SEAT_NOT_HELD'
  | 'ALREADY_ACTED'
  | 'SEAT_UNCLAIMED'
  | 'UNAUTHORIZED'
  | 'FRAME_TOO_LARGE'
  | 'SERVER_DRAINING';

/**
 * The base of every ludus error. Parts with codes of their own (the policy's `PolicyError`, the
 * store's `StoreError`) subclass it with their own code union, so one `instanceof LudusError`
 * and one `.code` serve the CLI, the server and callers.
 */
export class LudusError<Code extends string = LudusErrorCode> extends Error {
  readonly code: Code;
  /** Extra JSON detail (e.g. suggestions), forwarded to remote clients. */
  readonly data?: Record<string, unknown>;

  constructor(code: Code, message: string, data?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

export class UnknownEnvError extends LudusError {
  constructor(id: string, suggestions: string[]) {
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
    super('ENV_UNKNOWN', `No env is registered as '${id}'.${hint} Run \`ludus envs\` to list the registered envs.`, {
      id,
      suggestions,
    });
  }
}

export class OptionsError extends LudusError {
  constructor(what: string, issues: string[]) {
    super('OPTIONS_INVALID', `Invalid options for ${what}: ${issues.join('; ')}.`, { issues });
  }
}

export class UnknownTaskError extends LudusError {
  constructor(message: string) {
    super('TASK_UNKNOWN', message);
  }
}

export class ResetNeededError extends LudusError {
  constructor() {
    super('RESET_NEEDED', 'Cannot step before reset(): call reset() to start an episode.');
  }
}

export class EpisodeOverError extends LudusError {
  constructor() {
    super('EPISODE_OVER', 'The episode is over (terminated or truncated): call reset() to start a new one.');
  }
}

export class InvalidStateError extends LudusError {
  constructor(message: string) {
    super('STATE_INVALID', `${message} Pass a state returned by snapshot() of the same env id.`);
  }
}

export class EnvClosedError extends LudusError {
  constructor() {
    super('ENV_CLOSED', 'The env is closed: make a new one.');
  }
}

export class EnvKindError extends LudusError {
  constructor(id: string, kind: 'single' | 'multi') {
    const hint = kind === 'multi' ? `it is a multi-agent env: use makeMulti('${id}') (or makeAny)` : `it is a single-agent env: use make('${id}') (or makeAny)`;
    super('ENV_KIND_MISMATCH', `'${id}' cannot be built this way: ${hint}.`, { id, kind });
  }
}

export class SnapshotUnsupportedError extends LudusError {
  constructor(id: string | undefined) {
    super(
      'SNAPSHOT_UNSUPPORTED',
      `${id ? `'${id}'` : 'This env'} declares capabilities.snapshot = 'none': it cannot be forked. Use an env (or env version) that snapshots natively or by replay.`,
      { id: id ?? null },
    );
  }
}

export class UnknownSeatError extends LudusError {
  constructor(seat: unknown, seats: number) {
    super('SEAT_UNKNOWN', `Seat ${JSON.stringify(seat)} does not exist: this game has seats 0..${seats - 1}.`, { seat: seat as never, seats });
  }
}

/**
 * A remote call got no answer in time (a stopped or overloaded server, a half-open connection).
 * Callers treat it like a dropped connection: the work is redone elsewhere, nothing partial kept.
 */
export class TimeoutError extends LudusError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('TIMEOUT', message, data);
  }
}
