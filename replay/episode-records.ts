/**
 * Turns what the agent loops produce into store records: an `Episode` (runEpisode) into one
 * episode record, a `GameRecord` (runGame) into one episode record per seat — each seat's own
 * trajectory, with what that seat saw at each of its decisions — all sharing the game's group id,
 * so the viewer can show any seat's view of the same game.
 * @module
 */
import type { Episode } from '../agents/run-episode.js';
import type { GameRecord } from '../agents/run-game.js';
import type { JsonObject, StepResult } from '../envs/core/types.js';
import { stepFromResult } from './codec.js';
import type { EpisodeRecord } from './types.js';

export interface RecordExtras {
  seed?: number | null;
  groupId?: string | null;
  trajId?: string | null;
  /** Added to the episode's info (the agent's name, ...). */
  info?: JsonObject;
}

/** One single-agent episode → one record. */
export function episodeToRecord(episode: Episode, extras: RecordExtras = {}): EpisodeRecord {
  const task = episode.task;
  return {
    envId: episode.envId,
    taskId: task?.id ?? 'default',
    taskType: task?.type ?? null,
    split: task?.split ?? null,
    taskIndex: task?.index ?? null,
    seed: extras.seed ?? episode.resetOptions.seed ?? null,
    groupId: extras.groupId ?? null,
    trajId: extras.trajId ?? null,
    return: episode.return,
    success: episode.success,
    terminated: episode.terminated,
    truncated: episode.truncated,
    invalidActionPolicy: episode.invalidActionPolicy,
    startedAt: episode.startedAt,
    finishedAt: episode.finishedAt,
    finalObservation: episode.finalObservation,
    info: { initialObservation: episode.reset.observation as unknown as JsonObject, ...extras.info },
    steps: episode.steps.map((s, t) =>
      stepFromResult(t, s.observation, s.decision.action, s.result, {
        candidates: s.candidates,
        ...(s.decision.logp === null ? {} : { logp: s.decision.logp }),
        ...(s.decision.probs === null ? {} : { probs: s.decision.probs }),
        ...(s.decision.meta === undefined ? {} : { decision: s.decision.meta }),
        ...(s.decision.tokens === undefined ? {} : { tokens: s.decision.tokens }),
      }),
    ),
  };
}

/** One game → one record per seat (seat order). */
export function gameToRecords(game: GameRecord, extras: RecordExtras = {}): EpisodeRecord[] {
  const task = game.task;
  const groupId = extras.groupId ?? game.key;
  return game.seats.map((seat) => ({
    envId: game.envId,
    taskId: task?.id ?? 'default',
    taskType: task?.type ?? null,
    split: task?.split ?? null,
    taskIndex: task?.index ?? null,
    seed: extras.seed ?? game.resetOptions.seed ?? null,
    groupId,
    trajId: seat.key,
    seat: seat.seat,
    return: seat.return,
    success: seat.success,
    terminated: game.terminated,
    truncated: game.truncated,
    invalidActionPolicy: game.reset.info.invalidActionPolicy ?? 'noop',
    startedAt: game.startedAt,
    finishedAt: game.finishedAt,
    finalObservation: seat.finalObservation,
    info: {
      agent: seat.agent,
      initialObservation: game.reset.observations[seat.seat] as unknown as JsonObject,
      ...(game.info.endReason ? { endReason: game.info.endReason } : {}),
      ...extras.info,
    },
    steps: seat.steps.map((s, k) => {
      const entry = game.log[s.t];
      const result: StepResult = {
        observation: entry?.result.observations[seat.seat] ?? seat.finalObservation,
        reward: s.reward,
        terminated: k === seat.steps.length - 1 && game.terminated,
        truncated: k === seat.steps.length - 1 && game.truncated,
        info: { ...s.after, stateKey: entry?.result.info.stateKey ?? '', rewardComponents: s.after.rewardComponents },
      };
      return stepFromResult(k, s.observation, s.decision.action, result, {
        candidates: s.candidates,
        ...(s.decision.logp === null ? {} : { logp: s.decision.logp }),
        ...(s.decision.probs === null ? {} : { probs: s.decision.probs }),
        ...(s.decision.meta === undefined ? {} : { decision: s.decision.meta }),
        ...(s.decision.tokens === undefined ? {} : { tokens: s.decision.tokens }),
      });
    }),
  }));
}
