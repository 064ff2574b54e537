/**
 * The single-agent conformance checks. Each gets an env factory (the same one `ludus check`
 * builds from an id or a URL) and throws a ConformanceError saying what must hold when the env
 * breaks the contract. Trajectories are played with the trainer's own loop (`runEpisode`).
 * @module
 */
import { runEpisode } from '../../agents/run-episode.js';
import { ScriptedAgent } from '../../agents/scripted-agent.js';
import { Rng } from '../core/rng.js';
import { stableStringify } from '../core/state-hash.js';
import type { Env, EnvState, ResetOptions, ResetResult, StepResult } from '../core/types.js';
import { ConformanceAgent } from './conformance-agent.js';
import { errorCode, expectSnapshotUnsupported, fail, firstDifference, HOSTILE_ACTIONS, runChecks, type ConformanceCheck, type ConformanceOptions, type ConformanceReport, type EnvFactory } from './kit.js';
import { checkJson, checkObservation, checkReward, checkStepInfo } from './shape.js';

export function resetOptionsFor(options: ConformanceOptions, episode: number): ResetOptions {
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
  const agent = new ConformanceAgent(new Rng(`conformance:${options.seed}:${episode}`), options.freeformActions);
  const ep = await runEpisode(env, agent, { reset: resetOptionsFor(options, episode), maxSteps: options.maxSteps });
  return { reset: ep.reset, actions: ep.steps.map((s) => s.decision.action), steps: ep.steps.map((s) => s.result) };
}

/** Resets and plays exactly `actions` (or until the env ends the episode). */
async function replay(env: Env, reset: ResetOptions, actions: string[]): Promise<Trajectory> {
  const ep = await runEpisode(env, ScriptedAgent.of(actions), { reset, maxSteps: actions.length });
  return { reset: ep.reset, actions: ep.steps.map((s) => s.decision.action), steps: ep.steps.map((s) => s.result) };
}

async function withEnv<T>(factory: EnvFactory, fn: (env: Env) => Promise<T>, options?: Record<string, unknown>): Promise<T> {
  const env = await factory(options);
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}

function checkShape(name: string, where: string, r: ResetResult | StepResult): void {
  checkObservation(name, where, r.observation);
  checkStepInfo(name, where, r.info);
  if ('reward' in r) checkReward(name, where, r.reward, r.terminated, r.truncated);
}

const diff = (a: unknown[], b: unknown[]) => firstDifference(a, b, stableStringify);

export const SINGLE_AGENT_CHECKS: readonly ConformanceCheck<EnvFactory>[] = [
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
          if (options.snapshot !== 'none') checkJson(this.name, `episode ${e} snapshot`, await env.snapshot());
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
        const at = diff(a.steps, b.steps);
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
            const snap = options.snapshot === 'none' ? null : (await replay(env, resetOptionsFor(options, e), traj.actions.slice(0, i)), await env.snapshot());
            for (const action of state.observation.actions.slice(0, options.admissibleProbeActions)) {
              if (snap === null) await replay(env, resetOptionsFor(options, e), traj.actions.slice(0, i));
              else await env.restore(snap);
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
    name: 'snapshot and restore behave as the env declares (continue identically, same env and a fresh one)',
    async run(factory, options) {
      if (options.snapshot === 'none') {
        await withEnv(factory, (env) => expectSnapshotUnsupported(this.name, env, () => env.reset(resetOptionsFor(options, 0))));
        return;
      }
      for (let e = 0; e < options.episodes; e++) {
        const traj = await withEnv(factory, (env) => playRandom(env, options, e));
        const k = Math.floor(traj.actions.length / 2);
        let snap: EnvState = null;
        const tail: StepResult[] = [];
        await withEnv(factory, async (env) => {
          await replay(env, resetOptionsFor(options, e), traj.actions.slice(0, k));
          snap = JSON.parse(JSON.stringify(await env.snapshot())) as EnvState;
          for (const a of traj.actions.slice(k)) tail.push(await env.step(a));
          await env.restore(snap);
          const again: StepResult[] = [];
          for (const a of traj.actions.slice(k)) again.push(await env.step(a));
          const at = diff(tail, again);
          if (at >= 0) fail(this.name, `episode ${e}: after restore on the same env, step ${k + at} differs`);
        });
        await withEnv(factory, async (env) => {
          await env.reset(resetOptionsFor(options, e + 1000));
          await env.restore(snap);
          const again: StepResult[] = [];
          for (const a of traj.actions.slice(k)) again.push(await env.step(a));
          const at = diff(tail, again);
          if (at >= 0) fail(this.name, `episode ${e}: after restore on a fresh env, step ${k + at} differs`);
        });
      }
    },
  },
  {
    name: 'the time limit truncates (not terminates) and the ended episode refuses steps',
    async run(factory, options) {
      const limit = 3;
      const rng = new Rng(`time-limit:${options.seed}`);
      const limited = await withEnv(
        factory,
        async (env) => {
          let last: ResetResult | StepResult = await env.reset(resetOptionsFor(options, 0));
          const actions: string[] = [];
          let ended: StepResult | undefined;
          while (actions.length < limit + 2) {
            const legal = choices(last, options);
            const action = legal.length > 0 ? rng.pick(legal) : 'xyzzy';
            const step = await env.step(action);
            actions.push(action);
            last = step;
            if (step.terminated || step.truncated) {
              ended = step;
              break;
            }
          }
          if (!ended) fail(this.name, `with maxEpisodeSteps=${limit} the episode was still running after ${actions.length} steps`);
          if (actions.length > limit) fail(this.name, `with maxEpisodeSteps=${limit} the episode ended only at step ${actions.length}`);
          try {
            await env.step(choices(last, options)[0] ?? 'look');
          } catch (err) {
            if (errorCode(err) !== 'EPISODE_OVER') fail(this.name, `a step after the episode ended must throw EPISODE_OVER, got ${errorCode(err) ?? String(err)}`);
            return { actions, ended };
          }
          return fail(this.name, 'a step after the episode ended must throw EPISODE_OVER');
        },
        { maxEpisodeSteps: limit },
      );
      // The same actions without a limit: where the task itself did not end at the last step,
      // the limited episode must have been cut by the limit — truncated, not terminated.
      const free = await withEnv(factory, (env) => replay(env, resetOptionsFor(options, 0), limited.actions), { maxEpisodeSteps: 0 });
      const last = free.steps[limited.actions.length - 1];
      const taskEnded = last !== undefined && last.terminated;
      if (!taskEnded) {
        if (limited.ended.terminated) fail(this.name, `step ${limited.actions.length} hit the time limit but says terminated; the limit must set truncated (the task did not end there)`);
        if (!limited.ended.truncated) fail(this.name, `step ${limited.actions.length} hit the time limit but is not truncated`);
      } else if (!limited.ended.terminated) {
        fail(this.name, `the task ended at step ${limited.actions.length} (terminated without a limit) but the limited run says otherwise`);
      }
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

/** Runs every single-agent check; never throws for a failing check (the report says which failed and why). */
export function checkEnv(factory: EnvFactory, options: Partial<ConformanceOptions> = {}): Promise<ConformanceReport> {
  return runChecks(SINGLE_AGENT_CHECKS, factory, options);
}
