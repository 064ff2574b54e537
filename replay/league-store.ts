/**
 * The league tables of the run store (migration 3): leagues, their games, every seat of every
 * game, and the entrants' ratings. A store opened read-only at an older version has no league
 * tables: it reads as a store without leagues. A game row keeps what re-simulates it (env options, reset
 * options, the actions of each step) — not the observations, which the viewer re-creates for any
 * seat — so a 1,000-game league is a few megabytes.
 *
 * Same conventions as the RunStore: synchronous, each write one transaction, plain JSON in and out.
 * @example
 * const leagues = new LeagueStore(openStore('./ludus.db'));
 * const id = leagues.createLeague({ envId: 'werewolf-v1', entrants: ['bot:basic', 'bot:strong'], config });
 * leagues.recordGames(id, games, { standings, ratings });
 * leagues.finishLeague(id, 'finished');
 * @module
 */
import type { JsonObject, JsonValue } from '../envs/core/types.js';
import { StoreError } from './errors.js';
import { StoreSection } from './store-section.js';

export type LeagueStatus = 'running' | 'finished' | 'failed' | 'killed';
export type GameWinner = 'wolves' | 'village' | 'draw';

export interface LeagueInput {
  envId: string;
  /** Default `${envId}__league__${unix seconds}`. */
  name?: string;
  /** The resolved league options (games, schedule, split, seed, env options, ...). */
  config?: JsonObject;
  entrants: string[];
}

export interface LeagueInfo {
  id: number;
  name: string;
  envId: string;
  config: JsonObject;
  entrants: string[];
  status: LeagueStatus;
  error: string | null;
  /** Games recorded so far. */
  games: number;
  /** The standings the league last computed (win rates with intervals, pairings, ratings). */
  standings: JsonValue | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface LeagueSeatRow {
  seat: number;
  agent: string;
  role: string;
  side: 'wolves' | 'village';
  reward: number;
  survived: boolean;
}

export interface LeagueGameInput {
  index: number;
  envId: string;
  taskId: string;
  split: string;
  taskIndex: number;
  seed: number;
  /** 'sides' schedule: the entrant of each side (null for mixed tables). */
  wolves: string | null;
  village: string | null;
  winner: GameWinner;
  rounds: number;
  steps: number;
  endReason: string;
  /** What re-simulates the game: { envId, envOptions, reset, actions }. */
  replay: JsonObject;
  seats: LeagueSeatRow[];
}

export interface LeagueGameSummary extends Omit<LeagueGameInput, 'replay' | 'seats'> {
  id: number;
  leagueId: number;
  createdAt: number;
}

export interface StoredLeagueGame extends LeagueGameSummary {
  replay: JsonObject;
  seats: LeagueSeatRow[];
}

export interface LeagueRatingRow {
  agent: string;
  games: number;
  elo: number;
  mu: number;
  sigma: number;
  ordinal: number;
}

interface LeagueRow {
  id: number;
  name: string;
  env_id: string;
  config: string;
  entrants: string;
  status: LeagueStatus;
  error: string | null;
  games: number;
  standings: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

interface GameRow {
  id: number;
  league_id: number;
  game_index: number;
  env_id: string;
  task_id: string;
  split: string;
  task_index: number;
  seed: number;
  wolves: string | null;
  village: string | null;
  winner: GameWinner;
  rounds: number;
  steps: number;
  end_reason: string;
  replay?: string;
  created_at: number;
}

const SUMMARY_COLUMNS = 'id, league_id, game_index, env_id, task_id, split, task_index, seed, wolves, village, winner, rounds, steps, end_reason, created_at';

function decodeLeague(r: LeagueRow): LeagueInfo {
  return {
    id: r.id,
    name: r.name,
    envId: r.env_id,
    config: JSON.parse(r.config) as JsonObject,
    entrants: JSON.parse(r.entrants) as string[],
    status: r.status,
    error: r.error,
    games: r.games,
    standings: r.standings === null ? null : (JSON.parse(r.standings) as JsonValue),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

function decodeGame(r: GameRow): LeagueGameSummary {
  return {
    id: r.id,
    leagueId: r.league_id,
    index: r.game_index,
    envId: r.env_id,
    taskId: r.task_id,
    split: r.split,
    taskIndex: r.task_index,
    seed: r.seed,
    wolves: r.wolves,
    village: r.village,
    winner: r.winner,
    rounds: r.rounds,
    steps: r.steps,
    endReason: r.end_reason,
    createdAt: r.created_at,
  };
}

export class LeagueStore extends StoreSection {
  /** Whether the store has the league tables (a read-only store at an older version has not). */
  get available(): boolean {
    return this.hasTable('leagues');
  }

  /** Starts a league (status 'running'). @returns its id. */
  createLeague(input: LeagueInput): number {
    this.writable();
    const now = Date.now();
    const name = input.name ?? `${input.envId}__league__${Math.floor(now / 1000)}`;
    const info = this.sql(
      `INSERT INTO leagues (name, env_id, config, entrants, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'running', ?, ?)`,
    ).run(name, input.envId, JSON.stringify(input.config ?? {}), JSON.stringify(input.entrants), now, now);
    return Number(info.lastInsertRowid);
  }

  /**
   * Records games (with their seats) and, when given, the standings and ratings so far — all in
   * one transaction. @returns the new game ids.
   */
  recordGames(leagueId: number, games: readonly LeagueGameInput[], update: { standings?: JsonValue; ratings?: readonly LeagueRatingRow[] } = {}): number[] {
    this.writable();
    const insertGame = this.sql(
      `INSERT INTO league_games (league_id, game_index, env_id, task_id, split, task_index, seed, wolves, village, winner, rounds, steps, end_reason, replay, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertSeat = this.sql(`INSERT INTO league_seats (game_id, seat, agent, role, side, reward, survived) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const upsertRating = this.sql(
      `INSERT INTO league_ratings (league_id, agent, games, elo, mu, sigma, ordinal) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (league_id, agent) DO UPDATE SET games = excluded.games, elo = excluded.elo, mu = excluded.mu, sigma = excluded.sigma, ordinal = excluded.ordinal`,
    );
    const touch = this.sql(
      `UPDATE leagues SET games = games + ?, updated_at = ?, standings = coalesce(?, standings) WHERE id = ?`,
    );
    const tx = this.db.transaction(() => {
      const now = Date.now();
      if (touch.run(games.length, now, update.standings === undefined ? null : JSON.stringify(update.standings), leagueId).changes === 0) {
        throw new StoreError('STORE_NOT_FOUND', `There is no league ${leagueId} in this store: create it with createLeague() first.`, { leagueId });
      }
      const ids: number[] = [];
      for (const g of games) {
        const id = Number(
          insertGame.run(leagueId, g.index, g.envId, g.taskId, g.split, g.taskIndex, g.seed, g.wolves, g.village, g.winner, g.rounds, g.steps, g.endReason, JSON.stringify(g.replay), now)
            .lastInsertRowid,
        );
        for (const s of g.seats) insertSeat.run(id, s.seat, s.agent, s.role, s.side, s.reward, s.survived ? 1 : 0);
        ids.push(id);
      }
      for (const r of update.ratings ?? []) upsertRating.run(leagueId, r.agent, r.games, r.elo, r.mu, r.sigma, r.ordinal);
      return ids;
    });
    try {
      return tx();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError('STORE_INVALID', `Cannot record games of league ${leagueId}: ${(err as Error).message}. Nothing of this write was stored.`, undefined, { cause: err });
    }
  }

  finishLeague(leagueId: number, status: Exclude<LeagueStatus, 'running'>, error: string | null = null): void {
    this.writable();
    const now = Date.now();
    this.sql(`UPDATE leagues SET status = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?`).run(status, error, now, now, leagueId);
  }

  listLeagues(): LeagueInfo[] {
    if (!this.available) return [];
    return (this.sql(`SELECT * FROM leagues ORDER BY id DESC`).all() as LeagueRow[]).map(decodeLeague);
  }

  getLeague(id: number): LeagueInfo | null {
    if (!this.available) return null;
    const row = this.sql(`SELECT * FROM leagues WHERE id = ?`).get(id) as LeagueRow | undefined;
    return row ? decodeLeague(row) : null;
  }

  ratings(leagueId: number): LeagueRatingRow[] {
    return this.sql(`SELECT agent, games, elo, mu, sigma, ordinal FROM league_ratings WHERE league_id = ? ORDER BY ordinal DESC, elo DESC`).all(leagueId) as LeagueRatingRow[];
  }

  /** A page of a league's games, by game number; optionally only those an entrant played or with a winner. */
  listGames(leagueId: number, options: { limit?: number; offset?: number; agent?: string; winner?: GameWinner } = {}): { games: LeagueGameSummary[]; total: number } {
    const where = ['league_id = ?'];
    const params: unknown[] = [leagueId];
    if (options.winner !== undefined) (where.push('winner = ?'), params.push(options.winner));
    if (options.agent !== undefined) (where.push('id IN (SELECT game_id FROM league_seats WHERE agent = ?)'), params.push(options.agent));
    const clause = where.join(' AND ');
    const total = this.sql(`SELECT count(*) FROM league_games WHERE ${clause}`).pluck().get(...params) as number;
    const rows = this.sql(`SELECT ${SUMMARY_COLUMNS} FROM league_games WHERE ${clause} ORDER BY game_index LIMIT ? OFFSET ?`).all(
      ...params,
      Math.min(Math.max(options.limit ?? 50, 1), 1000),
      Math.max(options.offset ?? 0, 0),
    ) as GameRow[];
    return { games: rows.map(decodeGame), total };
  }

  getGame(id: number): StoredLeagueGame | null {
    if (!this.available) return null;
    const row = this.sql(`SELECT ${SUMMARY_COLUMNS}, replay FROM league_games WHERE id = ?`).get(id) as GameRow | undefined;
    if (!row) return null;
    const seats = (this.sql(`SELECT seat, agent, role, side, reward, survived FROM league_seats WHERE game_id = ? ORDER BY seat`).all(id) as (Omit<LeagueSeatRow, 'survived'> & { survived: number })[]).map(
      (s) => ({ ...s, survived: s.survived === 1 }),
    );
    return { ...decodeGame(row), replay: JSON.parse(row.replay!) as JsonObject, seats };
  }
}
