/**
 * Records a terminal-played episode in the SQLite store as a run of kind 'play' with one episode.
 * @module
 */
import type { JsonObject, ResetResult, StepResult, TaskInfo } from '../envs/core/types.js';
import { stepFromResult } from '../replay/codec.js';
import { openStore } from '../replay/store.js';

export interface PlayedStep {
  action: string;
  result: StepResult;
}

export interface PlayedEpisode {
  envId: string;
  seed: number;
  options: Record<string, unknown>;
  reset: ResetResult;
  steps: PlayedStep[];
}

/** Writes the episode in one transaction; returns its episode id. */
export function recordPlayedEpisode(dbPath: string, played: PlayedEpisode, startedAt = Date.now()): number {
  const store = openStore(dbPath);
  try {
    const task = played.reset.info.task as TaskInfo | undefined;
    const runId = store.createRun({ kind: 'play', envId: played.envId, config: { seed: played.seed, options: played.options } as JsonObject });
    let observation = played.reset.observation;
    const steps = played.steps.map(({ action, result }, t) => {
      const step = stepFromResult(t, observation, action, result);
      observation = result.observation;
      return step;
    });
    const last = played.steps.at(-1)?.result;
    const episodeId = store.recordEpisode(runId, {
      envId: played.envId,
      taskId: task?.id ?? 'default',
      taskType: task?.type ?? null,
      split: task?.split ?? null,
      taskIndex: task?.index ?? null,
      seed: played.seed,
      return: played.steps.reduce((s, x) => s + x.result.reward, 0),
      success: last?.info.success === true,
      terminated: last?.terminated ?? false,
      truncated: last?.truncated ?? false,
      invalidActionPolicy: played.reset.info.invalidActionPolicy ?? 'noop',
      startedAt,
      finishedAt: Date.now(),
      finalObservation: observation,
      info: { agent: 'human', initialObservation: played.reset.observation as unknown as JsonObject },
      steps,
    });
    store.updateRunStatus(runId, 'finished');
    return episodeId;
  } finally {
    store.close();
  }
}
