/**
 * Records a terminal-played episode or game in the SQLite store as a run of kind 'play': one
 * episode, or one episode per seat of a game.
 * @module
 */
import type { Episode } from '../agents/run-episode.js';
import type { GameRecord } from '../agents/run-game.js';
import type { JsonObject } from '../envs/core/types.js';
import { episodeToRecord, gameToRecords } from '../replay/episode-records.js';
import { openStore } from '../replay/store.js';
import type { EpisodeRecord } from '../replay/types.js';

export interface PlayRecording {
  envId: string;
  seed: number;
  options: Record<string, unknown>;
}

function record(dbPath: string, played: PlayRecording, records: EpisodeRecord[], config: JsonObject): number[] {
  const store = openStore(dbPath);
  try {
    const runId = store.createRun({ kind: 'play', envId: played.envId, config: { seed: played.seed, options: played.options, ...config } as JsonObject });
    const ids = records.map((r) => store.recordEpisode(runId, r));
    store.updateRunStatus(runId, 'finished');
    return ids;
  } finally {
    store.close();
  }
}

/** Writes a single-agent episode; returns its episode id. */
export function recordPlayedEpisode(dbPath: string, played: PlayRecording, episode: Episode): number {
  return record(dbPath, played, [episodeToRecord(episode, { seed: played.seed, info: { agent: 'human' } })], {})[0] as number;
}

/** Writes one episode per seat of a game; returns their ids in seat order. */
export function recordPlayedGame(dbPath: string, played: PlayRecording, game: GameRecord): number[] {
  const agents = Object.fromEntries(game.seats.map((s) => [String(s.seat), s.agent]));
  return record(dbPath, played, gameToRecords(game, { seed: played.seed }), { agents });
}
