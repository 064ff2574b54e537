/**
 * The training-league tables of the run store (migration 6): the members a `ludus train --league`
 * run plays against, every member's OpenSkill rating after every iteration, and the payoff table
 * with the meta-strategy's distribution after every iteration. The run's checkpoints keep the
 * league's state; these tables are what the viewer reads (ratings over time). A read-only store
 * at an older version has no such tables: it reads as a store without training leagues.
 *
 * Same conventions as the RunStore: synchronous, each write one transaction, plain JSON in and out.
 * @module
 */
import type { JsonObject } from '../envs/core/types.js';
import { StoreError } from './errors.js';
import { StoreSection } from './store-section.js';

export interface TrainLeagueMemberRow {
  name: string;
  kind: 'bot' | 'checkpoint';
  iteration: number;
  path: string | null;
  status: 'active' | 'unloadable';
  error: string | null;
}

export interface TrainLeagueRatingRow {
  iteration: number;
  member: string;
  mu: number;
  sigma: number;
  ordinal: number;
  games: number;
}

export interface TrainLeagueIterationRow {
  iteration: number;
  payoffs: JsonObject;
  /** The meta-strategy's probability of each member for the next iteration. */
  distribution: Record<string, number>;
}

export interface TrainLeagueSummary {
  runId: number;
  runName: string;
  envId: string;
  algo: string;
  status: string;
  members: number;
  iterations: number;
}

export class TrainLeagueStore extends StoreSection {
  /** Whether the store has the training-league tables (a read-only store at an older version has not). */
  get available(): boolean {
    return this.hasTable('train_league_members');
  }

  /** After an iteration, in one transaction: the members as they are, their ratings, the payoff table and the distribution. */
  recordIteration(runId: number, iteration: number, update: { members: readonly TrainLeagueMemberRow[]; ratings: readonly Omit<TrainLeagueRatingRow, 'iteration'>[]; payoffs: JsonObject; distribution: Record<string, number> }): void {
    this.writable();
    const member = this.sql(
      `INSERT INTO train_league_members (run_id, name, kind, iteration, path, status, error) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name) DO UPDATE SET status = excluded.status, error = excluded.error, path = excluded.path`,
    );
    const rating = this.sql(`INSERT OR REPLACE INTO train_league_ratings (run_id, iteration, member, mu, sigma, ordinal, games) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const payoffs = this.sql(`INSERT OR REPLACE INTO train_league_payoffs (run_id, iteration, payoffs, distribution) VALUES (?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const m of update.members) member.run(runId, m.name, m.kind, m.iteration, m.path, m.status, m.error);
      for (const r of update.ratings) rating.run(runId, iteration, r.member, r.mu, r.sigma, r.ordinal, r.games);
      payoffs.run(runId, iteration, JSON.stringify(update.payoffs), JSON.stringify(update.distribution));
    })();
  }

  /** A resumed run drops what was recorded after its checkpoint (iterations ≥ `from`, members added then). */
  deleteFrom(runId: number, from: number): void {
    this.writable();
    this.db.transaction(() => {
      this.sql(`DELETE FROM train_league_ratings WHERE run_id = ? AND iteration >= ?`).run(runId, from);
      this.sql(`DELETE FROM train_league_payoffs WHERE run_id = ? AND iteration >= ?`).run(runId, from);
      this.sql(`DELETE FROM train_league_members WHERE run_id = ? AND kind = 'checkpoint' AND iteration >= ?`).run(runId, from);
    })();
  }

  /** The runs with a training league, newest first. */
  list(): TrainLeagueSummary[] {
    if (!this.available) return [];
    const rows = this.sql(
      `SELECT r.id AS runId, r.name AS runName, r.env_id AS envId, r.algo AS algo, r.status AS status,
         (SELECT count(*) FROM train_league_members m WHERE m.run_id = r.id) AS members,
         (SELECT count(*) FROM train_league_payoffs p WHERE p.run_id = r.id) AS iterations
       FROM runs r WHERE EXISTS (SELECT 1 FROM train_league_members m WHERE m.run_id = r.id) ORDER BY r.id DESC`,
    ).all() as TrainLeagueSummary[];
    return rows;
  }

  members(runId: number): TrainLeagueMemberRow[] {
    if (!this.available) return [];
    return this.sql(`SELECT name, kind, iteration, path, status, error FROM train_league_members WHERE run_id = ? ORDER BY iteration, name`).all(runId) as TrainLeagueMemberRow[];
  }

  /** Every rating row of the run, by iteration then member. */
  ratings(runId: number): TrainLeagueRatingRow[] {
    if (!this.available) return [];
    return this.sql(`SELECT iteration, member, mu, sigma, ordinal, games FROM train_league_ratings WHERE run_id = ? ORDER BY iteration, member`).all(runId) as TrainLeagueRatingRow[];
  }

  /** The payoff table and distribution after the run's last recorded iteration. */
  latest(runId: number): TrainLeagueIterationRow | null {
    if (!this.available) return null;
    const row = this.sql(`SELECT iteration, payoffs, distribution FROM train_league_payoffs WHERE run_id = ? ORDER BY iteration DESC LIMIT 1`).get(runId) as { iteration: number; payoffs: string; distribution: string } | undefined;
    return row === undefined ? null : { iteration: row.iteration, payoffs: JSON.parse(row.payoffs) as JsonObject, distribution: JSON.parse(row.distribution) as Record<string, number> };
  }
}
