/**
 * Rollout collection: G groups × N copies, stepped together, one batched policy call per step for
 * every live session. Each group's copies are reset with the same task and seed.
 *
 * A group whose env connection drops mid-rollout is discarded whole and collected again (up to
 * `retries` times), so no partial or corrupt trajectory ever reaches the estimator or the store.
 * @module
 */
import { LudusError } from '../envs/core/errors.js';
import type { Env, InvalidActionPolicy, Observation, StepInfo, StepResult, TaskInfo, TaskRef } from '../envs/core/types.js';
import { admissibleCandidates, type CandidateProposer } from './candidates.js';
import type { EnvProvider } from './env-provider.js';
import type { StepRecord } from './rows.js';

/** One group to collect: N copies of one task and seed. */
export interface GroupSpec {
  groupId: string;
  task: TaskRef;
  seed: number;
}

/** A trajectory in flight, as a chooser sees it. */
export interface LiveTrajectory {
  readonly trajId: string;
  readonly groupId: string;
  readonly observation: Observation;
  readonly info: StepInfo;
  /** What the chooser picks from: the proposer's candidates for `observation`. */
  readonly candidates: readonly string[];
  /** Past (observation text, action) pairs, oldest first. */
  readonly history: readonly { observation: string; action: string }[];
}

/** What a chooser decided for one live trajectory. */
export interface Choice {
  action: string;
  /** log π(action); 0 for agents without a distribution. */
  logp: number;
  /** π over `observation.actions`, or null for agents without a distribution. */
  probs: number[] | null;
}

/** Picks actions for all live trajectories at once (one batched forward pass for a policy). */
export type ChooseFn = (live: readonly LiveTrajectory[]) => Choice[] | Promise<Choice[]>;

export interface CollectedStep {
  record: StepRecord;
  /** The observation the action was chosen on. */
  observation: Observation;
  probs: number[] | null;
  /** The history the chooser saw with `observation`. */
  history: { observation: string; action: string }[];
  result: StepResult;
}

export interface CollectedTrajectory {
  groupId: string;
  trajId: string;
  task: TaskInfo | null;
  seed: number;
  steps: CollectedStep[];
  initialObservation: Observation;
  finalObservation: Observation;
  return: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  invalidActionPolicy: InvalidActionPolicy;
  startedAt: number;
  finishedAt: number;
}

export interface RolloutOptions {
  groupSize: number;
  /** History pairs kept per trajectory (what choosers see). */
  historyLength: number;
  /** Times a dropped group is collected again before the rollout fails. */
  retries: number;
  /** Turns an observation into the candidates the chooser picks from (default: its admissible actions). */
  propose?: CandidateProposer;
  /** Called when a group is dropped and retried. */
  onRetry?: (groupId: string, error: LudusError, attempt: number) => void;
}

export interface RolloutResult {
  trajectories: CollectedTrajectory[];
  steps: number;
  ms: number;
  retriedGroups: number;
}

interface Live extends LiveTrajectory {
  env: Env;
  observation: Observation;
  info: StepInfo;
  candidates: string[];
  history: { observation: string; action: string }[];
  traj: CollectedTrajectory;
}

/** Errors that mean "the env's transport failed", worth retrying the group elsewhere. */
function isTransportError(err: unknown): err is LudusError {
  return err instanceof LudusError && (err.code === 'CONNECTION_CLOSED' || err.code === 'REMOTE_ERROR');
}

export async function collectGroups(provider: EnvProvider, choose: ChooseFn, groups: readonly GroupSpec[], options: RolloutOptions): Promise<RolloutResult> {
  const start = performance.now();
  const done = new Map<string, CollectedTrajectory[]>();
  let pending = [...groups];
  let retriedGroups = 0;
  let steps = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const { finished, failed, stepCount } = await collectOnce(provider, choose, pending, options);
    steps += stepCount;
    for (const [groupId, trajs] of finished) done.set(groupId, trajs);
    if (failed.size === 0) break;
    if (attempt >= options.retries) {
      const [groupId, err] = [...failed][0] as [string, LudusError];
      throw new LudusError(
        err.code,
        `Rollout failed: group ${groupId} lost its env connection ${options.retries + 1} time(s) (${err.message}). Check the env server(s), or raise groupRetries.`,
      );
    }
    for (const [groupId, err] of failed) options.onRetry?.(groupId, err, attempt + 1);
    retriedGroups += failed.size;
    pending = pending.filter((g) => failed.has(g.groupId));
  }
  const trajectories = groups.flatMap((g) => done.get(g.groupId) ?? []);
  return { trajectories, steps, ms: performance.now() - start, retriedGroups };
}

async function collectOnce(
  provider: EnvProvider,
  choose: ChooseFn,
  groups: readonly GroupSpec[],
  options: RolloutOptions,
): Promise<{ finished: Map<string, CollectedTrajectory[]>; failed: Map<string, LudusError>; stepCount: number }> {
  const failed = new Map<string, LudusError>();
  const propose = options.propose ?? admissibleCandidates;
  const byGroup = new Map<string, Live[]>();
  const opened: Env[] = [];
  let stepCount = 0;

  const fail = (groupId: string, err: unknown) => {
    if (!isTransportError(err)) throw err;
    if (!failed.has(groupId)) failed.set(groupId, err);
  };

  try {
    // Open and reset every group (groups in parallel; copies share task and seed).
    await Promise.all(
      groups.map(async (g, slot) => {
        try {
          const envs = await provider.openGroup(options.groupSize, slot);
          opened.push(...envs);
          const resets = await Promise.all(envs.map((env) => env.reset({ task: g.task, seed: g.seed })));
          byGroup.set(
            g.groupId,
            envs.map((env, i) => {
              const reset = resets[i] as { observation: Observation; info: StepInfo };
              const now = Date.now();
              return {
                env,
                trajId: `${g.groupId}/${i}`,
                groupId: g.groupId,
                observation: reset.observation,
                info: reset.info,
                candidates: propose(reset.observation),
                history: [],
                traj: {
                  groupId: g.groupId,
                  trajId: `${g.groupId}/${i}`,
                  task: (reset.info.task as TaskInfo | undefined) ?? null,
                  seed: g.seed,
                  steps: [],
                  initialObservation: reset.observation,
                  finalObservation: reset.observation,
                  return: 0,
                  success: false,
                  terminated: false,
                  truncated: false,
                  invalidActionPolicy: reset.info.invalidActionPolicy ?? 'noop',
                  startedAt: now,
                  finishedAt: now,
                },
              };
            }),
          );
        } catch (err) {
          fail(g.groupId, err);
        }
      }),
    );

    let live = [...byGroup.values()].flat().filter((l) => !failed.has(l.groupId));
    while (live.length > 0) {
      const choices = await choose(live);
      await Promise.all(
        live.map(async (l, i) => {
          const choice = choices[i] as Choice;
          try {
            const result = await l.env.step(choice.action);
            l.traj.steps.push({
              record: {
                anchor: l.observation.anchor,
                stateKey: l.info.stateKey,
                action: choice.action,
                candidates: l.candidates,
                logpOld: choice.logp,
                reward: result.reward,
                invalid: result.info.invalid !== undefined,
              },
              observation: l.observation,
              probs: choice.probs,
              history: l.history.slice(),
              result,
            });
            l.history.push({ observation: l.observation.text, action: choice.action });
            if (l.history.length > options.historyLength) l.history.shift();
            l.observation = result.observation;
            l.info = result.info;
            l.candidates = propose(result.observation);
            l.traj.return += result.reward;
            l.traj.finalObservation = result.observation;
            if (result.terminated || result.truncated) {
              l.traj.terminated = result.terminated;
              l.traj.truncated = result.truncated;
              l.traj.success = result.info.success === true;
              l.traj.finishedAt = Date.now();
            }
          } catch (err) {
            fail(l.groupId, err);
          }
        }),
      );
      stepCount += live.length;
      live = live.filter((l) => !failed.has(l.groupId) && !l.traj.terminated && !l.traj.truncated);
    }
  } finally {
    await Promise.all(opened.map((env) => env.close().catch(() => undefined)));
  }

  const finished = new Map<string, CollectedTrajectory[]>();
  for (const [groupId, lives] of byGroup) if (!failed.has(groupId)) finished.set(groupId, lives.map((l) => l.traj));
  return { finished, failed, stepCount };
}
