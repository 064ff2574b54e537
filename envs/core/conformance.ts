/**
 * The conformance kit: the checks every env must pass, in process and over a WebSocket.
 *
 * A check gets an env factory (the same one `ludus check` builds from an id or a URL) and throws
 * a ConformanceError saying what must hold when the env breaks the contract. `checkEnv` runs them
 * all and returns a report; tests/helpers/conformance.ts turns each check into a vitest case.
 * @module
 */
import { LudusError } from './errors.js';
import { Rng } from './rng.js';
import { stableStringify } from './state-hash.js';
import type { Env, EnvState, ResetOptions, ResetResult, StepResult, TaskRef } from './types.js';

/** Builds a fresh env with `make`-style options (e.g. `{ maxEpisodeSteps: 3 }`). */
export type EnvFactory = (options?: Record<string, unknown>) => Promise<Env> | Env;

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
}

export const DEFAULT_CONFORMANCE_OPTIONS: ConformanceOptions = {
  episodes: 3,
  seed: 1234,
  tasks: [],
  maxSteps: 40,
  admissibleProbeStates: 3,
  admissibleProbeActions: 40,
  freeformActions: [],
};

export class ConformanceError extends LudusError {
  constructor(check: string, message: string) {
    super('CONFORMANCE_FAILED', `${check}: ${message}`);
  }
}

export interface ConformanceCheck {
  name: string;
  run(factory: EnvFactory, options: ConformanceOptions): Promise<void>;
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

// ---------------------------------------------------------------------------------------------

function fail(check: string, message: string): never {
  throw new ConformanceError(check, message);
}

function resetOptionsFor(options: ConformanceOptions, episode: number): ResetOptions {
  const reset: ResetOptions = { seed: options.seed + episode };
  if (options.tasks.length > 0) reset.task = options.tasks[episode % options.tasks.length];
  return reset;
}

function choices(result: ResetResult | StepResult, options: ConformanceOptions): string[] {
  return result.observation.actions.length > 0 ? result.observation.actions : options.freeformActions;
}

interface Trajectory {
  reset: ResetResult;
  actions: string[];
  steps: StepResult[];
}

/** Plays one episode with seeded random admissible actions (and one hostile action early on). */
async function playRandom(env: Env, options: ConformanceOptions, episode: number): Promise<Trajectory> {
  const rng = new Rng(`conformance:${options.seed}:${episode}`);
  const reset = await env.reset(resetOptionsFor(options, episode));
  const traj: Trajectory = { reset, actions: [], steps: [] };
  let last: ResetResult | StepResult = reset;
  for (let t = 0; t < options.maxSteps; t++) {
    const legal = choices(last, options);
    const action = t === 1 || legal.length === 0 ? rng.pick(HOSTILE_ACTIONS.slice(0, 4)) : rng.pick(legal);
    const step = await env.step(action);
    traj.actions.push(action);
    traj.steps.push(step);
    last = step;
    if (step.terminated || step.truncated) break;
  }
  return traj;
}

async function replay(env: Env, reset: ResetOptions, actions: string[]): Promise<Trajectory> {
  const first = await env.reset(reset);
  const traj: Trajectory = { reset: first, actions: [], steps: [] };
  for (const action of actions) {
    traj.actions.push(action);
    traj.steps.push(await env.step(action));
  }
  return traj;
}

function firstDifference(a: unknown[], b: unknown[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (stableStringify(a[i]) !== stableStringify(b[i])) return i;
  return -1;
}

async function withEnv<T>(factory: EnvFactory, fn: (env: Env) => Promise<T>, options?: Record<string, unknown>): Promise<T> {
  const env = await factory(options);
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}

function errorCode(err: unknown): string | undefined {
  return err !== null && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function checkShape(name: string, where: string, r: ResetResult | StepResult): void {
  const o = r.observation;
  if (o === null || typeof o !== 'object') fail(name, `${where}: observation must be an object`);
  if (typeof o.text !== 'string') fail(name, `${where}: observation.text must be a string`);
  if (!Array.isArray(o.actions) || !o.actions.every((a) => typeof a === 'string')) {
    fail(name, `${where}: observation.actions must be an array of strings`);
  }
  if (typeof o.anchor !== 'string') fail(name, `${where}: observation.anchor must be a string (the raw current observation)`);
  const info = r.info;
  if (info === null || typeof info !== 'object') fail(name, `${where}: info must be an object`);
  if (typeof info.stateKey !== 'string' || info.stateKey.length === 0) fail(name, `${where}: info.stateKey must be a non-empty string`);
  if (info.rewardComponents === null || typeof info.rewardComponents !== 'object') {
    fail(name, `${where}: info.rewardComponents must be an object of numbers`);
  }
  for (const [k, v] of Object.entries(info.rewardComponents)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(name, `${where}: info.rewardComponents.${k} must be a finite number`);
  }
  if (info.invalid !== undefined) {
    const inv = info.invalid;
    if (typeof inv.code !== 'string' || typeof inv.message !== 'string' || !Array.isArray(inv.suggestions)) {
      fail(name, `${where}: info.invalid must be { code, message, suggestions[] }`);
    }
  }
  if ('reward' in r) {
    if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) fail(name, `${where}: reward must be a finite number`);
    if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') {
      fail(name, `${where}: terminated and truncated must be booleans`);
    }
    if (r.info.success !== undefined && typeof r.info.success !== 'boolean') fail(name, `${where}: info.success must be a boolean`);
  }
}

function checkJson(name: string, where: string, value: unknown): void {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    fail(name, `${where} is not JSON-serializable: ${(err as Error).message}`);
  }
  if (text === undefined) fail(name, `${where} is not JSON-serializable`);
  if (stableStringify(JSON.parse(text)) !== stableStringify(value)) {
    fail(name, `${where} changes under JSON round trip (undefined in arrays, NaN, Infinity, class instances?)`);
  }
}

// ---------------------------------------------------------------------------------------------

export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  {
    name: 'step before reset is refused with RESET_NEEDED',
    async run(factory) {
      await withEnv(factory, async (env) => {
        try {
          await env.step('look');
        } catch (err) {
          if (errorCode(err) === 'RESET_NEEDED') return;
          fail(this.name, `expected an error with code RESET_NEEDED, got ${errorCode(err) ?? String(err)}`);
        }
        fail(this.name, 'step() before reset() must throw');
      });
    },
  },
  {
    name: 'observations and infos have the contract shape',
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        for (let e = 0; e < options.episodes; e++) {
          const traj = await playRandom(env, options, e);
          checkShape(this.name, `episode ${e} reset`, traj.reset);
          traj.steps.forEach((s, t) => checkShape(this.name, `episode ${e} step ${t} ('${traj.actions[t]?.slice(0, 40)}')`, s));
        }
      });
    },
  },
  {
    name: 'everything is JSON-serializable',
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        for (let e = 0; e < options.episodes; e++) {
          const traj = await playRandom(env, options, e);
          checkJson(this.name, `episode ${e} reset result`, traj.reset);
          traj.steps.forEach((s, t) => checkJson(this.name, `episode ${e} step ${t} result`, s));
          checkJson(this.name, `episode ${e} snapshot`, await env.snapshot());
        }
      });
    },
  },
  {
    name: 'same seed, task and actions give the same trajectory',
    async run(factory, options) {
      for (let e = 0; e < options.episodes; e++) {
        const a = await withEnv(factory, (env) => playRandom(env, options, e));
        const b = await withEnv(factory, (env) => replay(env, resetOptionsFor(options, e), a.actions));
        if (stableStringify(a.reset) !== stableStringify(b.reset)) fail(this.name, `episode ${e}: reset results differ`);
        const at = firstDifference(a.steps, b.steps);
        if (at >= 0) fail(this.name, `episode ${e}: step ${at} ('${a.actions[at]}') differs between two envs`);
      }
    },
  },
  {
    name: 'every listed admissible action is accepted',
    async run(factory, options) {
      await withEnv(factory, async (env) => {
        for (let e = 0; e < options.episodes; e++) {
          const traj = await playRandom(env, options, e);
          const states: (ResetResult | StepResult)[] = [traj.reset, ...traj.steps.filter((r) => !r.terminated && !r.truncated)];
          const stride = Math.max(1, Math.floor(states.length / options.admissibleProbeStates));
          for (let i = 0; i < states.length && i / stride < options.admissibleProbeStates; i += stride) {
            const state = states[i] as ResetResult | StepResult;
            await replay(env, resetOptionsFor(options, e), traj.actions.slice(0, i));
            const snap = await env.snapshot();
            for (const action of state.observation.actions.slice(0, options.admissibleProbeActions)) {
              await env.restore(snap);
              const step = await env.step(action);
              if (step.info.invalid) {
                fail(this.name, `episode ${e} state ${i}: listed action '${action}' was answered as invalid (${step.info.invalid.code}: ${step.info.invalid.message})`);
              }
            }
          }
        }
      });
    },
  },
  {
    name: 'snapshot then restore continues identically (same env and a fresh one)',
    async run(factory, options) {
      for (let e = 0; e < options.episodes; e++) {
        const traj = await withEnv(factory, (env) => playRandom(env, options, e));
        const k = Math.floor(traj.actions.length / 2);
        let snap: EnvState = null;
        let tail: StepResult[] = [];
        await withEnv(factory, async (env) => {
          await replay(env, resetOptionsFor(options, e), traj.actions.slice(0, k));
          snap = JSON.parse(JSON.stringify(await env.snapshot())) as EnvState;
          for (const a of traj.actions.slice(k)) tail.push(await env.step(a));
          await env.restore(snap);
          const again: StepResult[] = [];
          for (const a of traj.actions.slice(k)) again.push(await env.step(a));
          const at = firstDifference(tail, again);
          if (at >= 0) fail(this.name, `episode ${e}: after restore on the same env, step ${k + at} differs`);
        });
        await withEnv(factory, async (env) => {
          await env.reset(resetOptionsFor(options, e + 1000));
          await env.restore(snap);
          const again: StepResult[] = [];
          for (const a of traj.actions.slice(k)) again.push(await env.step(a));
          const at = firstDifference(tail, again);
          if (at >= 0) fail(this.name, `episode ${e}: after restore on a fresh env, step ${k + at} differs`);
        });
        tail = [];
      }
    },
  },
  {
    name: 'the time limit truncates and the ended episode refuses steps',
    async run(factory, options) {
      const limit = 3;
      await withEnv(
        factory,
        async (env) => {
          const rng = new Rng(`time-limit:${options.seed}`);
          let last: ResetResult | StepResult = await env.reset(resetOptionsFor(options, 0));
          let steps = 0;
          let ended: StepResult | undefined;
          while (steps < limit + 2) {
            const legal = choices(last, options);
            const step = await env.step(legal.length > 0 ? rng.pick(legal) : 'xyzzy');
            steps += 1;
            last = step;
            if (step.terminated || step.truncated) {
              ended = step;
              break;
            }
          }
          if (!ended) fail(this.name, `with maxEpisodeSteps=${limit} the episode was still running after ${steps} steps`);
          if (steps > limit) fail(this.name, `with maxEpisodeSteps=${limit} the episode ended only at step ${steps}`);
          if (!ended.terminated && !ended.truncated) fail(this.name, 'the last step must be terminated or truncated');
          if (steps === limit && !ended.terminated && !ended.truncated) fail(this.name, `step ${limit} must be truncated`);
          if (ended.terminated && ended.truncated) fail(this.name, 'a step must not be both terminated and truncated');
          try {
            await env.step(choices(last, options)[0] ?? 'look');
          } catch (err) {
            if (errorCode(err) === 'EPISODE_OVER') return;
            fail(this.name, `a step after the episode ended must throw EPISODE_OVER, got ${errorCode(err) ?? String(err)}`);
          }
          fail(this.name, 'a step after the episode ended must throw EPISODE_OVER');
        },
        { maxEpisodeSteps: limit },
      );
    },
  },
  {
    name: 'invalid actions are answered with info.invalid, never thrown',
    async run(factory, options) {
      await withEnv(
        factory,
        async (env) => {
          for (const action of HOSTILE_ACTIONS) {
            const reset = await env.reset(resetOptionsFor(options, 0));
            let step: StepResult;
            try {
              step = await env.step(action);
            } catch (err) {
              fail(this.name, `action ${JSON.stringify(action.slice(0, 40))} threw ${String(err)}; it must be answered with info.invalid`);
            }
            if (!step.info.invalid) fail(this.name, `action ${JSON.stringify(action.slice(0, 40))} was accepted; expected info.invalid`);
            checkShape(this.name, `invalid action ${JSON.stringify(action.slice(0, 40))}`, step);
            const next = choices(step.terminated ? reset : step, options)[0];
            if (!step.terminated && !step.truncated && next !== undefined) {
              const after = await env.step(next);
              if (after.info.invalid) fail(this.name, `after an invalid action the admissible '${next}' was refused`);
            }
          }
        },
        { invalidActionPolicy: 'noop' },
      );
    },
  },
  {
    name: 'close is idempotent',
    async run(factory, options) {
      const env = await factory();
      await env.reset(resetOptionsFor(options, 0));
      await env.close();
      await env.close();
    },
  },
];

/** Runs every check; never throws for a failing check (the report says which failed and why). */
export async function checkEnv(factory: EnvFactory, partial: Partial<ConformanceOptions> = {}): Promise<ConformanceReport> {
  const options = { ...DEFAULT_CONFORMANCE_OPTIONS, ...partial };
  const results: ConformanceResult[] = [];
  for (const check of CONFORMANCE_CHECKS) {
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
