/**
 * ARPO's replay (docs/algorithms.md, "ARPO"): a per-task buffer of successful trajectories, kept
 * in the run store, and injected into groups where every fresh rollout failed.
 *
 * Per iteration, after the groups are collected:
 * 1. each group whose training returns have a population std below `failStd` and a mean below
 *    `failMean` (an all-failure group) gets one stored success of its task, drawn uniformly with
 *    replacement, in place of its first rollout — the group keeps N trajectories; a task with no
 *    stored success is left as it is (its advantages stay 0);
 * 2. then every fresh trajectory whose return exceeds `successThreshold` is added to its task's
 *    buffer (FIFO, `capacity` per task). Replayed trajectories are never re-added, so a success is
 *    replayed only in a later iteration.
 * The replayed rows get π_old from the current weights like every other row (no importance
 * correction), and the episode is recorded with `replayed: true` (the viewer marks it).
 * @module
 */
import type { HistoryStep } from '../agents/agent.js';
import type { TurnTokens } from '../agents/turn-tokens.js';
import type { InvalidActionPolicy, JsonValue, Observation, StepInfo, TaskInfo } from '../envs/core/types.js';
import type { ReplayBuffer } from '../replay/replay-buffer.js';
import { trainingReturn } from './batch.js';
import type { CollectStage } from './collect.js';
import type { TrainConfig } from './config.js';
import { METRIC } from './metrics.js';
import type { CollectedStep, CollectedTrajectory } from './rollout.js';
import type { StepRecord } from './rows.js';

export interface ReplayOptions {
  /** Inject at all (off: the algorithm without replay; successes are still stored). */
  replay: boolean;
  successThreshold: number;
  failStd: number;
  failMean: number;
}

/** A stored trajectory: what the trainer needs to train on it again and to record it. */
interface StoredTrajectory {
  format: 1;
  task: TaskInfo | null;
  seed: number;
  initialObservation: Observation;
  finalObservation: Observation;
  return: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  invalidActionPolicy: InvalidActionPolicy;
  steps: { record: StepRecord; observation: Observation; result: { reward: number; terminated: boolean; truncated: boolean; info: StepInfo }; tokens?: TurnTokens }[];
}

/** True when a group's returns say every rollout failed: population std < failStd and mean < failMean. */
export function isAllFailure(returns: readonly number[], failStd: number, failMean: number): boolean {
  if (returns.length === 0) return false;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length;
  return Math.sqrt(variance) < failStd && mean < failMean;
}

/** A trajectory as the buffer stores it (plain JSON; histories and probabilities are not kept; a language model's turn records are). */
export function toStoredTrajectory(t: CollectedTrajectory): JsonValue {
  const stored: StoredTrajectory = {
    format: 1,
    task: t.task,
    seed: t.seed,
    initialObservation: t.initialObservation,
    finalObservation: t.finalObservation,
    return: t.return,
    success: t.success,
    terminated: t.terminated,
    truncated: t.truncated,
    invalidActionPolicy: t.invalidActionPolicy,
    steps: t.steps.map((s) => ({
      record: s.record,
      observation: s.observation,
      result: { reward: s.result.reward, terminated: s.result.terminated, truncated: s.result.truncated, info: s.result.info },
      // a language model's turn: replayed into a Python trainer's batch, it needs its prompt and completion
      ...(s.tokens === undefined ? {} : { tokens: s.tokens }),
    })),
  };
  return JSON.parse(JSON.stringify(stored)) as JsonValue;
}

/** A stored trajectory back as a trajectory of `groupId`, with the histories rebuilt (the last `historyLength` steps). */
export function fromStoredTrajectory(value: JsonValue, groupId: string, trajId: string, historyLength: number): CollectedTrajectory {
  const s = value as unknown as StoredTrajectory;
  if (s === null || typeof s !== 'object' || s.format !== 1 || !Array.isArray(s.steps)) {
    throw new RangeError(`Replay buffer entry for ${groupId} is not a stored trajectory (format 1).`);
  }
  const history: HistoryStep[] = [];
  const steps: CollectedStep[] = s.steps.map((step, k) => {
    const next = k + 1 < s.steps.length ? s.steps[k + 1]!.observation : s.finalObservation;
    const out: CollectedStep = {
      record: { ...step.record },
      observation: step.observation,
      probs: null,
      history: history.slice(Math.max(0, history.length - historyLength)),
      result: { observation: next, ...step.result },
      ...(step.tokens === undefined ? {} : { tokens: step.tokens }),
    };
    history.push({ observation: step.observation.text, action: step.record.action });
    return out;
  });
  const now = Date.now();
  return {
    groupId,
    trajId,
    replayed: true,
    task: s.task,
    seed: s.seed,
    steps,
    initialObservation: s.initialObservation,
    finalObservation: s.finalObservation,
    return: s.return,
    success: s.success,
    terminated: s.terminated,
    truncated: s.truncated,
    invalidActionPolicy: s.invalidActionPolicy,
    startedAt: now,
    finishedAt: now,
  };
}

export interface ReplayOutcome {
  /** The trajectories with the replaced ones swapped in (same order, same count). */
  trajectories: CollectedTrajectory[];
  /** Groups that were all-failure. */
  allFailureGroups: number;
  /** Of those, groups that got a stored success. */
  injected: number;
  /** Fresh successes added to the buffer. */
  stored: number;
}

/**
 * Steps 1 and 2 above over one iteration's groups (trajectories grouped by `groupId`, in order).
 * `returns[i]` is trajectory i's training return; `random` draws the stored success.
 */
export function replayIntoGroups(
  trajectories: readonly CollectedTrajectory[],
  returns: ArrayLike<number>,
  buffer: ReplayBuffer,
  envId: string,
  options: ReplayOptions & { historyLength: number; runId?: number | null; episodeIdOf?: (t: CollectedTrajectory) => number | null },
  random: () => number,
): ReplayOutcome {
  const out = trajectories.slice();
  const groups = new Map<string, number[]>();
  trajectories.forEach((t, i) => {
    const list = groups.get(t.groupId) ?? [];
    list.push(i);
    groups.set(t.groupId, list);
  });
  let allFailureGroups = 0;
  let injected = 0;
  for (const [groupId, members] of groups) {
    const groupReturns = members.map((i) => returns[i] as number);
    if (!isAllFailure(groupReturns, options.failStd, options.failMean)) continue;
    allFailureGroups++;
    if (!options.replay) continue;
    const first = trajectories[members[0] as number]!;
    const taskId = first.task?.id;
    if (taskId === undefined) continue;
    const entry = buffer.sample(envId, taskId, random);
    if (entry === null) continue;
    out[members[0] as number] = fromStoredTrajectory(entry.trajectory, groupId, `${groupId}/replay${entry.id}`, options.historyLength);
    injected++;
  }
  let stored = 0;
  trajectories.forEach((t, i) => {
    if (t.replayed === true || t.task === null || !((returns[i] as number) > options.successThreshold)) return;
    buffer.add({ envId, taskId: t.task.id, return: returns[i] as number, trajectory: toStoredTrajectory(t), runId: options.runId ?? null, episodeId: options.episodeIdOf?.(t) ?? null });
    stored++;
  });
  return { trajectories: out, allFailureGroups, injected, stored };
}

/** ARPO's collect stage: `collect` (groups), then the replay above. */
export function withReplay(collect: CollectStage): CollectStage {
  return async (ctx) => {
    const collection = await collect(ctx);
    const buffer = ctx.replayBuffer;
    if (buffer === null) throw new RangeError('ARPO needs a replay buffer in the collect context.');
    const cfg: TrainConfig = ctx.config;
    const returns = collection.trajectories.map((t) => trainingReturn(t, cfg.rewardMode));
    const outcome = replayIntoGroups(
      collection.trajectories,
      returns,
      buffer,
      cfg.env,
      { ...cfg.arpo, historyLength: cfg.historyLength, runId: ctx.runId },
      () => ctx.rng.next(),
    );
    const groups = new Set(collection.trajectories.map((t) => t.groupId)).size;
    return {
      ...collection,
      trajectories: outcome.trajectories,
      metrics: {
        ...collection.metrics,
        [METRIC.arpoInjected]: groups === 0 ? 0 : outcome.injected / groups,
        [METRIC.arpoStored]: outcome.stored,
      },
    };
  };
}
