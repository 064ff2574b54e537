/**
 * Turns collected trajectories (and their advantages) into store records.
 * @module
 */
import type { JsonObject } from '../envs/core/types.js';
import { stepFromResult } from '../replay/codec.js';
import type { EpisodeRecord } from '../replay/types.js';
import type { AdvantageResult } from './advantages/index.js';
import type { CollectedTrajectory } from './rollout.js';

/**
 * One episode record. `adv` and `rowOffset` (the index of the trajectory's first row in the
 * estimator's input) attach advantages; without them the steps carry none (eval, demos).
 */
export function episodeRecord(envId: string, t: CollectedTrajectory, adv?: AdvantageResult, rowOffset = 0): EpisodeRecord {
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
    return: t.return,
    success: t.success,
    terminated: t.terminated,
    truncated: t.truncated,
    invalidActionPolicy: t.invalidActionPolicy,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    finalObservation: t.finalObservation,
    info: { initialObservation: t.initialObservation as unknown as JsonObject },
    steps: t.steps.map((s, k) => {
      const i = rowOffset + k;
      const anchor = adv ? (adv.anchorGroup[i] as number) : -1;
      return stepFromResult(k, s.observation, s.record.action, s.result, {
        candidates: s.record.candidates,
        logp: s.record.logpOld,
        probs: s.probs,
        ...(s.meta === undefined ? {} : { decision: s.meta }),
        ...(adv
          ? {
              advantage: adv.advantage[i] as number,
              episodeAdvantage: adv.episodeAdvantage[i] as number,
              stepAdvantage: adv.stepAdvantage[i] as number,
              anchorGroup: anchor >= 0 ? String(anchor) : null,
            }
          : {}),
      });
    }),
  };
}
