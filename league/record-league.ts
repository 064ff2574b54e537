/**
 * Writes a league to the run store as it plays (replay/league-store.ts): the league row first,
 * then after every batch its games, seats, standings and ratings in one transaction — a league
 * stopped midway keeps every finished batch — and the final status.
 * @module
 */
import type { JsonObject, JsonValue } from '../envs/core/types.js';
import { sideOf } from '../envs/werewolf/index.js';
import type { LeagueGameInput, LeagueRatingRow, LeagueStore } from '../replay/league-store.js';
import { werewolfTaskId } from '../envs/werewolf/index.js';
import type { LeagueGame } from './play-league.js';
import type { Standings } from './standings.js';

export function gameInput(game: LeagueGame): LeagueGameInput {
  const p = game.plan;
  return {
    index: p.index,
    envId: game.replay.envId,
    taskId: werewolfTaskId(p.task.split, p.task.index),
    split: p.task.split,
    taskIndex: p.task.index,
    seed: p.seed,
    wolves: p.wolves,
    village: p.village,
    winner: game.winner,
    rounds: game.rounds,
    steps: game.steps,
    endReason: game.endReason,
    replay: game.replay,
    seats: game.seats.map((s) => ({ seat: s.seat, agent: s.entrant, role: s.role, side: sideOf(s.role), reward: s.reward, survived: s.survived })),
  };
}

export function ratingRows(standings: Standings): LeagueRatingRow[] {
  return standings.entrants.flatMap((e) => (e.rating ? [{ agent: e.entrant, games: e.rating.games, elo: e.rating.elo, mu: e.rating.mu, sigma: e.rating.sigma, ordinal: e.rating.ordinal }] : []));
}

export class LeagueRecorder {
  readonly leagueId: number;

  constructor(
    private readonly leagues: LeagueStore,
    input: { envId: string; name?: string; config: JsonObject; entrants: string[] },
  ) {
    this.leagueId = leagues.createLeague(input);
  }

  /** An `onBatch` for playLeague. */
  readonly onBatch = (batch: readonly LeagueGame[], progress: { standings: Standings }): void => {
    this.leagues.recordGames(this.leagueId, batch.map(gameInput), {
      standings: JSON.parse(JSON.stringify(progress.standings)) as JsonValue,
      ratings: ratingRows(progress.standings),
    });
  };

  finish(status: 'finished' | 'failed' | 'killed', error: string | null = null): void {
    this.leagues.finishLeague(this.leagueId, status, error);
  }
}
