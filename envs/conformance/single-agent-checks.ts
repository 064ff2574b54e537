/**
 * The single-agent conformance checks. Each gets an env factory (the same one `ludus check`
 * builds from an id or a URL) and throws a ConformanceError saying what must hold when the env
 * breaks the contract. Trajectories are played with the trainer's own loop (`runEpisode`).
 * @module
 */
import { runEpisode, type Episode } from '../../agents/run-episode.js';
import { ScriptedAgent } from '../../agents/scripted-agent.js';
import { Rng } from '../core/rng.js';
import type { Env, ResetResult, StepResult } from '../core/types.js';
import { checkCutByLimit, closeCheck, determinismCheck, jsonCheck, shapeCheck, snapshotRestoreCheck, stepBeforeResetCheck, type EnvPlay, type PlayedEpisode } from './common-checks.js';
import { ConformanceAgent } from './conformance-agent.js';
import { expectErrorCode, fail, HOSTILE_ACTIONS, resetOptionsFor, runChecks, withEnv, type ConformanceCheck, type ConformanceOptions, type ConformanceReport, type EnvFactory } from './kit.js';
import { checkObservation, checkReward, checkStepInfo } from './shape.js';

function choices(result: ResetResult | StepResult, options: ConformanceOptions): string[] {
  return result.observation.actions.length > 0 ? result.observation.actions : options.freeformActions;
}

interface Trajectory extends PlayedEpisode<string> {
  reset: ResetResult;
  steps: StepResult[];
}

function trajectory(ep: Episode): Trajectory {
  const steps = ep.steps.map((s) => s.result);
  return { reset: ep.reset, actions: ep.steps.map((s) => s.decision.action), steps, results: [ep.reset, ...steps] };
}

/** Plays one episode with seeded random admissible actions (and one hostile action early on). */
async function playRandom(env: Env, options: ConformanceOptions, episode: number): Promise<Trajectory> {
  const agent = new ConformanceAgent(new Rng(`conformance:${options.seed}:${episode}`), options.freeformActions);
  return trajectory(await runEpisode(env, agent, { reset: resetOptionsFor(options, episode), maxSteps: options.maxSteps }));
}

/** Resets as for `episode` and plays exactly `actions` (or until the env ends the episode). */
async function replay(env: Env, options: ConformanceOptions, episode: number, actions: string[]): Promise<Trajectory> {
  return trajectory(await runEpisode(env, ScriptedAgent.of(actions), { reset: resetOptionsFor(options, episode), maxSteps: actions.length }));
}

const PLAY: EnvPlay<Env, string, StepResult> = { probeAction: 'look', playRandom, replay };

function checkShape(name: string, where: string, r: ResetResult | StepResult): void {
  checkObservation(name, where, r.observation);
  checkStepInfo(name, where, r.info);
  if ('reward' in r) checkReward(name, where, r.reward, r.terminated, r.truncated);
}

export const SINGLE_AGENT_CHECKS: readonly ConformanceCheck<EnvFactory>[] = [
  stepBeforeResetCheck(PLAY),
  shapeCheck('observations and infos have the contract shape', PLAY, (check, where, r) => checkShape(check, where, r as ResetResult | StepResult)),
  jsonCheck(PLAY),
  determinismCheck('same seed, task and actions give the same trajectory', PLAY),
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
            const snap = options.snapshot === 'none' ? null : (await replay(env, options, e, traj.actions.slice(0, i)), await env.snapshot());
            for (const action of state.observation.actions.slice(0, options.admissibleProbeActions)) {
              if (snap === null) await replay(env, options, e, traj.actions.slice(0, i));
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
  snapshotRestoreCheck(PLAY),
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
          await expectErrorCode(this.name, 'a step after the episode ended', 'EPISODE_OVER', () => env.step(choices(last, options)[0] ?? 'look'));
          return { actions, ended };
        },
        { maxEpisodeSteps: limit },
      );
      // The same actions without a limit: where the task itself did not end at the last step,
      // the limited episode must have been cut by the limit — truncated, not terminated.
      const free = await withEnv(factory, (env) => replay(env, options, 0, limited.actions), { maxEpisodeSteps: 0 });
      const last = free.steps[limited.actions.length - 1];
      checkCutByLimit(this.name, 'task', limited.actions.length, limited.ended, last !== undefined && last.terminated);
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
  closeCheck(),
];

/** Runs every single-agent check; never throws for a failing check (the report says which failed and why). */
export function checkEnv(factory: EnvFactory, options: Partial<ConformanceOptions> = {}): Promise<ConformanceReport> {
  return runChecks(SINGLE_AGENT_CHECKS, factory, options);
}
