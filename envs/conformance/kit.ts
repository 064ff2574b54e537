/**
 * The conformance kit's common parts: options, the error a failing check throws, reports, and the
 * hostile actions every env must answer without throwing.
 *
 * The kit sits on envs/core and agents/: it plays envs with agents through the same loops the
 * trainer uses (`runEpisode`, `runGame`), in process or over a WebSocket. PettingZoo's `api_test`
 * plays the same role for its envs.
 * @module
 */
import { LudusError } from '../core/errors.js';
import type { Env, MultiAgentEnv, ResetOptions, TaskRef } from '../core/types.js';

/** Builds a fresh env with `make`-style options (e.g. `{ maxEpisodeSteps: 3 }`). */
export type EnvFactory = (options?: Record<string, unknown>) => Promise<Env> | Env;
/** Builds a fresh multi-agent env with `makeMulti`-style options. */
export type MultiAgentEnvFactory = (options?: Record<string, unknown>) => Promise<MultiAgentEnv> | MultiAgentEnv;

export interface ConformanceOptions {
  /** Episodes played by the trajectory checks. */
  episodes: number;
  /** Base seed; episode i uses seed + i. */
  seed: number;
  /** Tasks to play, cycled over episodes. Default: the env's own default task per seed. */
  tasks: TaskRef[];
  /** Steps played per episode at most. */
  maxSteps: number;
  /** How many states per episode get every admissible action tried. */
  admissibleProbeStates: number;
  /** Admissible actions tried per probed state at most. */
  admissibleProbeActions: number;
  /** Actions to use where an observation lists no admissible actions (free-form envs). */
  freeformActions: string[];
  /** How the env forks (its spec's `capabilities.snapshot`); decides what the snapshot check expects. */
  snapshot: 'native' | 'replay' | 'none';
}

export const DEFAULT_CONFORMANCE_OPTIONS: ConformanceOptions = {
  episodes: 3,
  seed: 1234,
  tasks: [],
  maxSteps: 40,
  admissibleProbeStates: 3,
  admissibleProbeActions: 40,
  freeformActions: [],
  snapshot: 'native',
};

/** The reset of episode `episode`: seed + episode, and the tasks cycled over episodes. */
export function resetOptionsFor(options: ConformanceOptions, episode: number): ResetOptions {
  const reset: ResetOptions = { seed: options.seed + episode };
  if (options.tasks.length > 0) reset.task = options.tasks[episode % options.tasks.length];
  return reset;
}

export class ConformanceError extends LudusError {
  constructor(check: string, message: string) {
    super('CONFORMANCE_FAILED', `${check}: ${message}`);
  }
}

export interface ConformanceCheck<F> {
  name: string;
  run(factory: F, options: ConformanceOptions): Promise<void>;
}

export interface ConformanceResult {
  name: string;
  ok: boolean;
  message?: string;
  ms: number;
}

export interface ConformanceReport {
  ok: boolean;
  results: ConformanceResult[];
}

/** Actions the kit sends to see that bad input is answered, never thrown. */
export const HOSTILE_ACTIONS: readonly string[] = [
  '',
  '   ',
  'xyzzy plugh',
  'ünïcödé 🙂 ☃',
  'go to',
  'click[',
  '{"method": "session.close"}',
  '<script>alert(1)</script>',
  'a'.repeat(10_000),
];

export function fail(check: string, message: string): never {
  throw new ConformanceError(check, message);
}

export function errorCode(err: unknown): string | undefined {
  return err !== null && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function firstDifference(a: unknown[], b: unknown[], stringify: (x: unknown) => string): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (stringify(a[i]) !== stringify(b[i])) return i;
  return -1;
}

/** Runs every check; never throws for a failing check (the report says which failed and why). */
export async function runChecks<F>(checks: readonly ConformanceCheck<F>[], factory: F, partial: Partial<ConformanceOptions> = {}): Promise<ConformanceReport> {
  const options = { ...DEFAULT_CONFORMANCE_OPTIONS, ...partial };
  const results: ConformanceResult[] = [];
  for (const check of checks) {
    const start = performance.now();
    try {
      await check.run(factory, options);
      results.push({ name: check.name, ok: true, ms: performance.now() - start });
    } catch (err) {
      results.push({ name: check.name, ok: false, message: err instanceof Error ? err.message : String(err), ms: performance.now() - start });
    }
  }
  return { ok: results.every((r) => r.ok), results };
}

/** Builds a fresh env of any kind with `make`-style options. */
export type AnyEnvFactory<E> = (options?: Record<string, unknown>) => Promise<E> | E;

/** Runs `fn` on a fresh env from `factory`, closing the env afterwards whatever happens. */
export async function withEnv<E extends { close(): Promise<void> }, T>(factory: AnyEnvFactory<E>, fn: (env: E) => Promise<T>, options?: Record<string, unknown>): Promise<T> {
  const env = await factory(options);
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}

/** `fn` must throw a LudusError with `code`; `what` names the call in the failure message. */
export async function expectErrorCode(check: string, what: string, code: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (errorCode(err) === code) return;
    fail(check, `${what} must throw ${code}, got ${errorCode(err) ?? String(err)}`);
  }
  fail(check, `${what} must throw ${code}`);
}

/** For an env declaring `snapshot: 'none'`: after a reset, `snapshot()` must throw SNAPSHOT_UNSUPPORTED. */
export async function expectSnapshotUnsupported(check: string, env: { snapshot(): Promise<unknown> }, reset: () => Promise<unknown>): Promise<void> {
  await reset();
  await expectErrorCode(check, "an env declaring snapshot 'none'", 'SNAPSHOT_UNSUPPORTED', () => env.snapshot());
}
