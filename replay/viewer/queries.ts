/**
 * Read queries the viewer needs beyond the RunStore API, over the store's own connection (`db`).
 * Each is one prepared statement served by the store's indexes: `episodes_run_iteration` for a
 * group's episodes, then `steps_episode_t` for their steps.
 * @module
 */
import type Database from 'better-sqlite3';

/** One step of one trajectory of an episode group, without the observation (group page, anchor links). */
export interface GroupStepRow {
  episodeId: number;
  trajId: string | null;
  t: number;
  action: string;
  reward: number;
  advantage: number | null;
  episodeAdvantage: number | null;
  stepAdvantage: number | null;
  anchorGroup: string | null;
  invalid: boolean;
}

export interface RunEpisodeStats {
  runId: number;
  episodes: number;
  successes: number;
}

export interface FilterChoices {
  envIds: string[];
  taskTypes: string[];
  splits: string[];
}

export class ViewerQueries {
  private readonly groupStepsStmt: Database.Statement;
  private readonly runStatsStmt: Database.Statement;
  private readonly envIdsStmt: Database.Statement;
  private readonly taskTypesStmt: Database.Statement;
  private readonly splitsStmt: Database.Statement;
  private readonly neighboursStmt: Database.Statement;
  private choices: { at: number; value: FilterChoices } | null = null;

  constructor(readonly db: Database.Database) {
    this.groupStepsStmt = db.prepare(
      `SELECT e.id AS episode_id, e.traj_id, s.t, s.action, s.reward, s.advantage, s.episode_advantage, s.step_advantage,
              s.anchor_group, s.invalid_code
       FROM episodes e JOIN steps s ON s.episode_id = e.id
       WHERE e.run_id = ? AND e.iteration = ? AND e.group_id = ?
       ORDER BY e.id, s.t`,
    );
    this.runStatsStmt = db.prepare(`SELECT run_id, count(*) AS n, sum(success) AS ok FROM episodes GROUP BY run_id`);
    this.envIdsStmt = db.prepare(`SELECT DISTINCT env_id FROM episodes ORDER BY env_id`).pluck();
    this.taskTypesStmt = db.prepare(`SELECT DISTINCT task_type FROM episodes WHERE task_type IS NOT NULL ORDER BY task_type`).pluck();
    this.splitsStmt = db.prepare(`SELECT DISTINCT split FROM episodes WHERE split IS NOT NULL ORDER BY split`).pluck();
    this.neighboursStmt = db.prepare(
      `SELECT (SELECT max(id) FROM episodes WHERE run_id = ? AND id < ?) AS prev,
              (SELECT min(id) FROM episodes WHERE run_id = ? AND id > ?) AS next`,
    );
  }

  /** Every step of every trajectory of one group, by episode then t. */
  groupSteps(runId: number, iteration: number, groupId: string): GroupStepRow[] {
    const rows = this.groupStepsStmt.all(runId, iteration, groupId) as {
      episode_id: number;
      traj_id: string | null;
      t: number;
      action: string;
      reward: number;
      advantage: number | null;
      episode_advantage: number | null;
      step_advantage: number | null;
      anchor_group: string | null;
      invalid_code: string | null;
    }[];
    return rows.map((r) => ({
      episodeId: r.episode_id,
      trajId: r.traj_id,
      t: r.t,
      action: r.action,
      reward: r.reward,
      advantage: r.advantage,
      episodeAdvantage: r.episode_advantage,
      stepAdvantage: r.step_advantage,
      anchorGroup: r.anchor_group,
      invalid: r.invalid_code !== null,
    }));
  }

  /** Episode and success counts per run. */
  runStats(): Map<number, RunEpisodeStats> {
    const rows = this.runStatsStmt.all() as { run_id: number; n: number; ok: number | null }[];
    return new Map(rows.map((r) => [r.run_id, { runId: r.run_id, episodes: r.n, successes: r.ok ?? 0 }]));
  }

  /** Values for the episode filter's drop-downs (cached for 10 s: a live run adds few new ones). */
  filterChoices(now = Date.now()): FilterChoices {
    if (this.choices && now - this.choices.at < 10_000) return this.choices.value;
    const value: FilterChoices = {
      envIds: this.envIdsStmt.all() as string[],
      taskTypes: this.taskTypesStmt.all() as string[],
      splits: this.splitsStmt.all() as string[],
    };
    this.choices = { at: now, value };
    return value;
  }

  /** The previous and next episode of the same run, by id. */
  neighbours(runId: number, episodeId: number): { prev: number | null; next: number | null } {
    return this.neighboursStmt.get(runId, episodeId, runId, episodeId) as { prev: number | null; next: number | null };
  }
}
