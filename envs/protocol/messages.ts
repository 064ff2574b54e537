/**
 * The wire format of the step protocol (JSON-RPC 2.0 over WebSocket text frames): the method
 * names, their params (validated once at the boundary with zod) and their results.
 * docs/protocol.md is the prose version; docs/protocol.schema.json the JSON Schema.
 * @module
 */
import { z } from 'zod';
import type { EnvSummary } from '../core/spec.js';
import type { EnvState, MultiAgentResetResult, MultiAgentStepResult, Observation, ResetResult, SeatInfo, StepResult } from '../core/types.js';
import { ProtocolError, type RpcErrorObject } from './rpc-errors.js';

/** Bumped on any incompatible change; sent in the `x-ludus-protocol` upgrade response header. */
export const PROTOCOL_VERSION = 1;

export const METHODS = [
  'envs.list',
  'session.open',
  'session.reset',
  'session.step',
  'session.stepMany',
  'session.snapshot',
  'session.restore',
  'session.close',
  'seat.claim',
  'seat.release',
  'seat.act',
  'advantages.compute',
] as const;
export type Method = (typeof METHODS)[number];

/** Server → client: a seat this connection holds must act; carries that seat's private observation. */
export const SEAT_TURN_NOTIFICATION = 'seat.turn';
/** Server → client: the game ended; carries every seat's return and the holder's own seats' final views. */
export const GAME_OVER_NOTIFICATION = 'game.over';

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

const seatNumber = z.number().int().min(0).max(1023);
/** Built-in agent names as given at open: `random`, `expert`, `bot:basic`, ... */
const agentName = z.string().min(1).max(64);

/** One step row of `advantages.compute` (trainer/rows.ts StepRow, the fields the estimators read). */
const advantageRow = z
  .object({
    groupId: z.string().min(1).max(256),
    trajId: z.string().min(1).max(256),
    t: z.number().int().min(0),
    reward: z.number(),
    /** The trajectory's return, the same on all its rows; default: the sum of its rows' rewards. */
    episodeReturn: z.number().optional(),
    /** GiGPO's anchor: the raw current observation text. Default ''. */
    anchor: z.string().optional(),
    /** The env's state hash (anchorKey 'stateKey'). Default ''. */
    stateKey: z.string().optional(),
    /** The env refused the action. Default false. */
    invalid: z.boolean().optional(),
  })
  .strict();

/** The most rows one `advantages.compute` takes (a frame holds far fewer anyway). */
export const MAX_ADVANTAGE_ROWS = 200_000;

/** `session.step`'s params, also one entry of `session.stepMany`. */
const stepParams = z
  .object({
    session: sessionId,
    /** Single-agent sessions: the action. */
    action: z.string().optional(),
    /** Multi-agent sessions stepped by their opener: actions by seat (null: the seat passes its turn). */
    actions: z.record(z.string().regex(/^\d{1,4}$/, 'seat keys are seat numbers'), z.string().nullable()).optional(),
  })
  .strict()
  .refine((p) => (p.action === undefined) !== (p.actions === undefined), { message: 'give exactly one of action (single-agent) or actions (multi-agent, by seat)', path: ['action'] });

/** Params schema of every method. Unknown keys are rejected so typos surface. */
export const PARAMS = {
  'envs.list': z.object({}).strict(),
  'session.open': z
    .object({
      env: z.string().min(1),
      options: z.record(z.string(), z.unknown()).optional(),
      copies: z.number().int().min(1).optional(),
      /**
       * Multi-agent envs: play by seats. Seats listed here are held by a named built-in agent;
       * the others wait for a `seat.claim`. Without `seats`, the opener steps every seat itself
       * (`session.step {actions}`).
       */
      seats: z.record(z.string().regex(/^\d{1,4}$/, 'seat keys are seat numbers'), agentName).optional(),
      /** Per-turn deadline for claimed seats in ms (0: wait forever). Default 30000. */
      turnTimeoutMs: z.number().int().min(0).max(3_600_000).optional(),
      /** How long `session.reset` waits for unheld seats to be claimed, in ms. Default 30000. */
      claimTimeoutMs: z.number().int().min(0).max(3_600_000).optional(),
      /** Who takes over the seat of a holder that vanishes: a built-in agent name, or 'abort' to end the game. Default 'random'. */
      fallback: agentName.optional(),
    })
    .strict(),
  'session.reset': z
    .object({ session: sessionId, task: taskRef.optional(), seed: z.number().int().optional() })
    .strict(),
  'session.step': stepParams,
  'session.stepMany': z
    .object({
      /**
       * One step per entry, each on its own session (or several on one, run in order): what
       * `session.step` takes. Each entry gets its own outcome; one failing does not fail the others.
       */
      steps: z.array(stepParams).min(1),
    })
    .strict(),
  'session.snapshot': z.object({ session: sessionId }).strict(),
  'session.restore': z
    // Any JSON; its depth and size are checked by the dispatcher (STATE_INVALID), its shape by the env.
    .object({ session: sessionId, state: z.unknown() })
    .strict()
    .refine((p) => p.state !== undefined, { message: 'state is required', path: ['state'] }),
  'session.close': z.object({ session: sessionId }).strict(),
  'seat.claim': z.object({ session: sessionId, seat: seatNumber }).strict(),
  'seat.release': z.object({ session: sessionId, seat: seatNumber }).strict(),
  'seat.act': z
    .object({
      session: sessionId,
      seat: seatNumber,
      action: z.string(),
      /** The turn number from the `seat.turn` being answered; a stale turn is refused. Optional. */
      turn: z.number().int().min(0).optional(),
    })
    .strict(),
  'advantages.compute': z
    .object({
      estimator: z.enum(['gigpo', 'grpo', 'rloo']),
      rows: z.array(advantageRow).min(1).max(MAX_ADVANTAGE_ROWS),
      /** The estimator's options (trainer/advantages/config.ts): mode, gamma, stepWeight, anchorKey, ... */
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
} satisfies Record<Method, z.ZodType>;

export type Params<M extends Method> = z.output<(typeof PARAMS)[M]>;

/** Who holds each seat of a game played by seats: a built-in agent's name, 'client', or null (waiting for a claim). */
export type SeatHolders = Record<string, string | null>;

/** `session.reset` of a game played by seats: the game started; turns are pushed to the holders. */
export interface GameStarted {
  game: { turn: number; actors: number[]; holders: SeatHolders };
}

/** `seat.turn` params. */
export interface SeatTurn {
  session: string;
  seat: number;
  /** The game step this turn belongs to; answer with it in `seat.act {turn}`. */
  turn: number;
  observation: Observation;
  /** The seat's info (its last action's `invalid`, reward components). */
  info: SeatInfo;
  /** When the server stops waiting (ms since the epoch), or null. */
  deadline: number | null;
}

/** `game.over` params, per holder. */
export interface GameOver {
  session: string;
  /** Every seat's total reward over the game (public at the end). */
  returns: Record<string, number>;
  terminated: boolean;
  truncated: boolean;
  /** Why the game ended when not by its rules ('time limit', 'aborted: ...', 'closed'). */
  reason: string | null;
  /** The receiving holder's own seats: final observation, info and return. */
  seats: Record<string, { observation: Observation; info: SeatInfo; return: number }>;
  /** Seats whose holder vanished, and who took over. */
  takeovers: { seat: number; turn: number; by: string }[];
}

export interface Results {
  'envs.list': { envs: EnvSummary[] };
  'session.open': { sessions: string[]; kind: 'single' | 'multi'; seats: number | null };
  'session.reset': ResetResult | MultiAgentResetResult | GameStarted;
  'session.step': StepResult | MultiAgentStepResult;
  /** One outcome per entry of `steps`, in their order. */
  'session.stepMany': { results: StepOutcome[] };
  'session.snapshot': { state: EnvState };
  /** Multi-agent sessions also say who acts in the restored state. */
  'session.restore': { actors?: number[] };
  'session.close': Record<string, never>;
  'seat.claim': { session: string; seat: number; env: string; seats: number };
  'seat.release': Record<string, never>;
  'seat.act': { turn: number };
  'advantages.compute': AdvantagesComputed;
}

/** One entry of `session.stepMany`'s results: the step's result, or the error `session.step` would have answered. */
export type StepOutcome = { result: StepResult | MultiAgentStepResult } | { error: RpcErrorObject };

/** `advantages.compute`: per row (in the order sent) the advantage, its parts and its anchor group. */
export interface AdvantagesComputed {
  advantage: number[];
  episodeAdvantage: number[];
  stepAdvantage: number[];
  /** GiGPO's step group of the row (−1 for the estimators without one). */
  anchorGroup: number[];
  /** GiGPO's discounted step return; null for the others. */
  stepReturn: number[] | null;
  /** The estimator's statistics (group counts, step groups, advantage spread). */
  stats: Record<string, unknown>;
}

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name);
}

/** Validates `params` for `method`; the error message names the method and the bad field. */
export function parseParams<M extends Method>(method: M, params: unknown): Params<M> {
  if (method === 'session.step' && isPlainStep(params)) return params as Params<M>;
  if (method === 'session.stepMany' && isPlainStepMany(params)) return params as Params<M>;
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

/** The hot path of `session.stepMany`: `{ steps: [{ session, action }, ...] }`, every entry plain. */
function isPlainStepMany(params: unknown): params is { steps: { session: string; action: string }[] } {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return false;
  for (const key in params) if (key !== 'steps') return false;
  const steps = (params as { steps?: unknown }).steps;
  if (!Array.isArray(steps) || steps.length === 0) return false;
  for (const step of steps) if (!isPlainStep(step)) return false;
  return true;
}
