/**
 * `ludus export --format jsonl`: recorded trajectories as chat-style JSONL for other trainers.
 * One line per episode: its metadata and `messages` — a system turn (env + goal), then per step a
 * user turn (the observation and the admissible actions) and an assistant turn (the action taken)
 * carrying the step's reward and advantages. `loss_mask` is 1 on assistant turns (train on them)
 * and 0 elsewhere. The format is documented in docs/replay.md.
 * @module
 */
import type { RunStore } from './store.js';
import type { EpisodeFilter, RunInfo, StoredEpisode, StoredStep } from './types.js';

export const EXPORT_FORMAT_VERSION = 1;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** 1: a trainable (assistant) turn; 0: context. */
  loss_mask: 0 | 1;
  /** The step (t) the turn belongs to; absent on the system turn. */
  step?: number;
  /** Assistant turns: what the env and the trainer said about the action. */
  reward?: number;
  advantage?: number | null;
  episode_advantage?: number | null;
  step_advantage?: number | null;
  logp?: number | null;
  /** The env's invalid-action code, when it refused the action. */
  invalid?: string | null;
}

export interface ExportedEpisode {
  format: 'ludus-chat';
  version: number;
  episode_id: number;
  run_id: number;
  run_name: string | null;
  algo: string | null;
  env_id: string;
  task_id: string;
  task_type: string | null;
  split: string | null;
  seed: number | null;
  iteration: number | null;
  group_id: string | null;
  traj_id: string | null;
  seat: number | null;
  goal: string | null;
  return: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  /** Steps in the episode (= assistant turns). */
  num_steps: number;
  messages: ChatMessage[];
}

export interface ExportOptions {
  filter?: EpisodeFilter;
  /** Stop after this many episodes. */
  limit?: number;
  /** List the admissible actions in each user turn (default true). */
  includeActions?: boolean;
}

export function systemPrompt(envId: string, goal: string | null): string {
  return (
    `You are an agent acting in the ${envId} environment. Each turn you read an observation and the admissible actions; ` +
    `reply with exactly one action.` +
    (goal ? `\nYour task: ${goal}` : '')
  );
}

export function userContent(step: StoredStep, includeActions = true): string {
  const actions = step.candidates.length > 0 ? step.candidates : step.observation.actions;
  return includeActions && actions.length > 0 ? `${step.observation.text}\n\nAdmissible actions:\n${actions.join('\n')}` : step.observation.text;
}

/** One episode as a chat record. */
export function episodeToChat(episode: StoredEpisode, run: RunInfo | null, includeActions = true): ExportedEpisode {
  const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt(episode.envId, episode.goal), loss_mask: 0 }];
  for (const s of episode.steps) {
    messages.push({ role: 'user', content: userContent(s, includeActions), loss_mask: 0, step: s.t });
    messages.push({
      role: 'assistant',
      content: s.action,
      loss_mask: 1,
      step: s.t,
      reward: s.reward,
      advantage: s.advantage,
      episode_advantage: s.episodeAdvantage,
      step_advantage: s.stepAdvantage,
      logp: s.logp,
      invalid: s.invalid?.code ?? null,
    });
  }
  return {
    format: 'ludus-chat',
    version: EXPORT_FORMAT_VERSION,
    episode_id: episode.id,
    run_id: episode.runId,
    run_name: run?.name ?? null,
    algo: run?.algo ?? null,
    env_id: episode.envId,
    task_id: episode.taskId,
    task_type: episode.taskType,
    split: episode.split,
    seed: episode.seed,
    iteration: episode.iteration,
    group_id: episode.groupId,
    traj_id: episode.trajId,
    seat: episode.seat,
    goal: episode.goal,
    return: episode.return,
    success: episode.success,
    terminated: episode.terminated,
    truncated: episode.truncated,
    num_steps: episode.steps.length,
    messages,
  };
}

/**
 * Streams the matching episodes (oldest first, keyset-paged) to `write`, one JSON line each.
 * @returns the number of episodes written.
 */
export function exportJsonl(store: RunStore, write: (line: string) => void, options: ExportOptions = {}): number {
  const runs = new Map<number, RunInfo | null>();
  const limit = options.limit ?? Infinity;
  let cursor: number | null = null;
  let written = 0;
  while (written < limit) {
    const page = store.listEpisodes(options.filter ?? {}, { limit: 200, order: 'asc', cursor });
    for (const summary of page.episodes) {
      if (written >= limit) break;
      const episode = store.getEpisode(summary.id);
      if (!episode) continue;
      if (!runs.has(episode.runId)) runs.set(episode.runId, store.getRun(episode.runId));
      write(JSON.stringify(episodeToChat(episode, runs.get(episode.runId) ?? null, options.includeActions ?? true)));
      written++;
    }
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return written;
}
