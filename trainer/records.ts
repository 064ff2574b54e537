/**
 * Turns collected trajectories (and the batch's advantages) into store records.
 * @module
 */
import type { JsonObject } from '../envs/core/types.js';
import { stepFromResult } from '../replay/codec.js';
import type { EpisodeRecord } from '../replay/types.js';
import { rowLookup, type Batch } from './batch.js';
import type { CollectedTrajectory } from './rollout.js';

/** What a recorded step gets from the batch: its advantage and, when an estimator ran, its parts. */
interface StepAdvantage {
  advantage: number;
  episodeAdvantage: number | null;
  stepAdvantage: number | null;
  anchorGroup: string | null;
}

/**
 * One episode record. `advantageOf(k)` gives step k's advantage when it was a training row; without
 * it the steps carry none (evaluation, demos).
 */
export function episodeRecord(envId: string, t: CollectedTrajectory, advantageOf?: (k: number) => StepAdvantage | null): EpisodeRecord {
  return {
    envId,
    taskId: t.task?.id ?? 'default',
    taskType: t.task?.type ?? null,
    split: t.task?.split ?? null,
    taskIndex: t.task?.index ?? null,
    seed: t.seed,
    groupId: t.groupId,
    trajId: t.trajId,
    ...(t.seat === undefined ? {} : { seat: t.seat }),
    replayed: t.replayed === true,
    return: t.return,
    success: t.success,
    terminated: t.terminated,
    truncated: t.truncated,
    invalidActionPolicy: t.invalidActionPolicy,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    finalObservation: t.finalObservation,
    // the first decision's state key (the steps keep the key after each action): `ludus advantages` rebuilds rows from them
    info: { initialObservation: t.initialObservation as unknown as JsonObject, ...(t.steps[0] === undefined ? {} : { initialStateKey: t.steps[0].record.stateKey }) },
    steps: t.steps.map((s, k) => {
      const adv = advantageOf?.(k) ?? null;
      return stepFromResult(k, s.observation, s.record.action, s.result, {
        candidates: s.record.candidates,
        logp: s.record.logpOld,
        probs: s.probs,
        ...(s.meta === undefined ? {} : { decision: s.meta }),
        ...(s.tokens === undefined ? {} : { tokens: s.tokens }),
        ...(adv === null ? {} : adv),
      });
    }),
  };
}

/** Every trajectory of the batch as an episode record, each trained step with its advantage. */
export function batchRecords(envId: string, batch: Batch): EpisodeRecord[] {
  const rowOf = rowLookup(batch);
  const est = batch.estimate;
  return batch.trajectories.map((t, ti) =>
    episodeRecord(envId, t, (k) => {
      const i = rowOf(ti, k);
      if (i < 0) return null;
      const anchor = est === null ? -1 : (est.anchorGroup[i] as number);
      return {
        advantage: batch.advantage[i] as number,
        episodeAdvantage: est === null ? null : (est.episodeAdvantage[i] as number),
        stepAdvantage: est === null ? null : (est.stepAdvantage[i] as number),
        anchorGroup: anchor >= 0 ? String(anchor) : null,
      };
    }),
  );
}
