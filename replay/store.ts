/**
 * The run store: one SQLite file (better-sqlite3, WAL) holding everything a run produces — runs,
 * iterations and their metrics, episodes, steps with advantages, the ARPO replay buffer and the
 * checkpoint index. The viewer (`ludus replay`) reads the same file, even while a run writes it.
 *
 * The API is synchronous, like better-sqlite3: await your rollouts first, then write. Each write
 * method is one transaction: `recordIteration` puts a whole iteration (metrics, episodes, steps) in
 * one, so a process killed mid-write leaves only whole iterations behind.
 * @example
 * const store = openStore('./ludus.db');
 * const runId = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'gigpo', config });
 * store.recordIteration(runId, 0, { successRate: 0.25, loss: 0.12 }, episodes);
 * store.updateRunStatus(runId, 'finished');
 * store.close();
 * @module
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import { OptionsError } from '../envs/core/errors.js';
import { formatIssues } from '../envs/core/registry.js';
import type { JsonObject, JsonValue } from '../envs/core/types.js';
import {
  ActionVocab,
  finiteOrNull,
  STEP_COLUMNS,
  decodeEpisodeSummary,
  decodeIteration,
  decodeRun,
  decodeSteps,
  encodeMetrics,
  encodeStep,
  episodeGoal,
  nonEmptyJson,
  type EpisodeRow,
  type IterationRow,
  type RunRow,
  type StepRow,
  type StepValues,
} from './codec.js';
import { StoreError, isSqliteError } from './errors.js';
import { DEFAULT_REPLAY_CAPACITY, checkCapacity, checkKeep, pickIndex, type ReplayBuffer } from './replay-buffer.js';
import { DEFAULT_HEARTBEAT_MS, HOST, deadRunReason } from './run-liveness.js';
import { MIGRATIONS, SCHEMA_VERSION, checkCompatible, migrate } from './schema.js';
import type {
  AdvantageWrite,
  AnchorGroup,
  AnchorGroupKey,
  AnchorGroupMember,
  CheckpointInfo,
  CheckpointInput,
  EpisodeFilter,
  EpisodePage,
  EpisodeRecord,
  EpisodeSummary,
  IterationInfo,
  IterationMetrics,
  Pagination,
  ReplayEntry,
  ReplayInput,
  RunInfo,
  RunInput,
  RunKind,
  RunStatus,
  StoredEpisode,
  StoredRunStatus,
} from './types.js';

export const DEFAULT_STORE_PATH = './ludus.db';

export interface StoreOptions {
  /** Open for reading only (the viewer). The file must exist and be at the current schema. Default false. */
  readonly?: boolean;
  /** How long a write waits for another connection's write lock, ms. Default 5000. */
  timeoutMs?: number;
  /**
   * `PRAGMA synchronous`. Default 'NORMAL': in WAL mode a crashed or killed process loses no
   * committed transaction; only a power cut can lose the last few. 'FULL' also survives that.
   */
  synchronous?: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  /** Default per-task capacity of ARPO replay buffers. Default 8 (ARPO's). */
  replayCapacity?: number;
  /** SQLite page cache, KiB. Default 16384 (big iterations commit without spilling). */
  cacheSizeKiB?: number;
  /**
   * How often this handle refreshes the heartbeat of the runs it started (or resumed) while they
   * are 'running', ms; readers take a run whose process is gone for crashed. 0 disables. Default 10 000.
   */
  heartbeatMs?: number;
}

export const DEFAULT_STORE_OPTIONS = {
  readonly: false,
  timeoutMs: 5000,
  synchronous: 'NORMAL',
  replayCapacity: DEFAULT_REPLAY_CAPACITY,
  cacheSizeKiB: 16384,
  heartbeatMs: DEFAULT_HEARTBEAT_MS,
} as const satisfies Required<StoreOptions>;

export type ResolvedStoreOptions = { -readonly [K in keyof typeof DEFAULT_STORE_OPTIONS]: Required<StoreOptions>[K] };

const storeOptionsSchema = z
  .object({
    readonly: z.boolean(),
    timeoutMs: z.number().int().min(0),
    synchronous: z.enum(['OFF', 'NORMAL', 'FULL', 'EXTRA']),
    replayCapacity: z.number().int().min(1),
    cacheSizeKiB: z.number().int().min(64),
    heartbeatMs: z.number().int().min(0).max(2_147_483_647),
  })
  .partial()
  .strict();

const runKindSchema = z.enum(['train', 'play', 'eval']);
const runStatusSchema = z.enum(['running', 'finished', 'failed', 'killed']);
const listRunsStatusSchema = z.enum(['running', 'finished', 'failed', 'killed', 'crashed']);

const runInputSchema = z.object({
  kind: runKindSchema,
  envId: z.string().min(1),
  name: z.string().min(1).optional(),
  algo: z.string().nullable().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  backend: z.string().nullable().optional(),
});

const episodeFilterSchema = z
  .object({
    runId: z.number().int(),
    envId: z.string(),
    taskId: z.string(),
    taskType: z.string(),
    split: z.string(),
    success: z.boolean(),
    iteration: z.number().int().nullable(),
    groupId: z.string(),
  })
  .partial()
  .strict();

const paginationSchema = z
  .object({
    limit: z.number().int().min(1).max(1000),
    offset: z.number().int().min(0),
    cursor: z.number().int().nullable(),
    order: z.enum(['asc', 'desc']),
  })
  .partial()
  .strict();

/**
 * Opens (creating and migrating as needed) the store at `path`; `':memory:'` for a throwaway one.
 * @throws StoreError 'STORE_VERSION' when the file was written by a newer ludus,
 *   'STORE_FOREIGN' when it is not a ludus store, 'STORE_OPEN' when it cannot be opened.
 * @throws OptionsError for invalid options.
 */
export function openStore(path: string = DEFAULT_STORE_PATH, options: StoreOptions = {}): RunStore {
  const parsed = storeOptionsSchema.safeParse(options);
  if (!parsed.success) throw new OptionsError('openStore', formatIssues(parsed.error));
  const opts: ResolvedStoreOptions = { ...DEFAULT_STORE_OPTIONS, ...stripUndefined(parsed.data) };
  const where = path === ':memory:' ? 'the in-memory store' : `The store '${path}'`;

  let db: Database.Database;
  try {
    db = new Database(path, { readonly: opts.readonly, fileMustExist: opts.readonly, timeout: opts.timeoutMs });
  } catch (err) {
    throw new StoreError('STORE_OPEN', `Cannot open the store '${path}': ${(err as Error).message}. Check the path and its permissions.`, { path }, { cause: err });
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${opts.synchronous}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${opts.cacheSizeKiB}`);
    db.pragma('temp_store = MEMORY');
    if (opts.readonly) checkCompatible(db, where, MIGRATIONS, true);
    else migrate(db, where);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    if (isSqliteError(err) && (err.code === 'SQLITE_NOTADB' || err.code === 'SQLITE_CORRUPT')) {
      throw new StoreError('STORE_FOREIGN', `${where} is not an SQLite database (${err.message}). Pick another file with --db.`, { path }, { cause: err });
    }
    throw new StoreError('STORE_OPEN', `Cannot open ${where}: ${(err as Error).message}.`, { path }, { cause: err });
  }
  return new RunStore(db, path, opts);
}

const EPISODE_SUMMARY_COLUMNS =
  'id, run_id, iteration, env_id, task_id, task_type, split, task_index, seed, group_id, traj_id, seat, replayed, ' +
  'episode_return, success, length, terminated, truncated, invalid_action_policy, goal, info, started_at, finished_at';

const REPLAY_COLUMNS = 'id, scope, env_id, task_id, episode_return, trajectory, run_id, episode_id, created_at';

interface ReplayRow {
  id: number;
  scope: string;
  env_id: string;
  task_id: string;
  episode_return: number;
  trajectory: string;
  run_id: number | null;
  episode_id: number | null;
  created_at: number;
}

interface CheckpointRow {
  id: number;
  run_id: number;
  iteration: number;
  path: string;
  meta: string;
  created_at: number;
}

type Stmt = Database.Statement<unknown[], unknown>;

/** A handle on one store file. Not safe to share across worker threads; open one per thread. */
export class RunStore {
  /** The underlying connection, for ad-hoc SQL (read-only use recommended). */
  readonly db: Database.Database;
  readonly path: string;
  readonly options: Readonly<ResolvedStoreOptions>;
  readonly schemaVersion = SCHEMA_VERSION;

  private readonly stmt: Record<
    | 'insertRun'
    | 'finishRun'
    | 'stampRun'
    | 'heartbeat'
    | 'getRun'
    | 'deleteRun'
    | 'touchRun'
    | 'touchRunIteration'
    | 'insertIteration'
    | 'listIterations'
    | 'deleteIterationsFrom'
    | 'resetLastIteration'
    | 'insertEpisode'
    | 'insertStep'
    | 'getEpisode'
    | 'getSteps'
    | 'getGroup'
    | 'stepAnchor'
    | 'anchorMembers'
    | 'upsertCheckpoint'
    | 'listCheckpoints'
    | 'latestCheckpoint'
    | 'replayInsert'
    | 'replayEvict'
    | 'replayCount'
    | 'replayAt'
    | 'replayList'
    | 'replayClear',
    Stmt
  >;
  /** Statements built from filters (listEpisodes, listRuns), prepared once per shape. */
  private readonly dynamic = new Map<string, Stmt>();
  private readonly writeIteration: Database.Transaction<
    (runId: number, iteration: number, metrics: IterationMetrics, episodes: readonly EpisodeRecord[]) => number[]
  >;
  private readonly writeEpisode: Database.Transaction<(runId: number, episode: EpisodeRecord) => number>;
  private readonly replayAddTx: Database.Transaction<
    (scope: string, item: ReplayInput, capacity: number) => { entry: ReplayEntry; evicted: number }
  >;
  private readonly deleteIterationsTx: Database.Transaction<(runId: number, iteration: number) => number>;
  private readonly advantagesTx: Database.Transaction<(runId: number, iteration: number, write: AdvantageWrite) => number[]>;
  /** What a failing write was doing, for the error message. */
  private writing = '';
  /** Runs this handle started or resumed and keeps alive with a heartbeat. */
  private readonly recording = new Set<number>();
  private heartbeatTimer: NodeJS.Timeout | undefined;

  /** Use {@link openStore}. */
  constructor(db: Database.Database, path: string, options: ResolvedStoreOptions) {
    this.db = db;
    this.path = path;
    this.options = Object.freeze({ ...options });
    const p = (sql: string): Stmt => db.prepare(sql);
    const readonly = options.readonly;
    // Write statements cannot be prepared on a read-only connection; stand-ins throw STORE_READONLY.
    const w = (sql: string): Stmt => (readonly ? readonlyStatement() : db.prepare(sql));
    this.stmt = {
      insertRun: w(
        `INSERT INTO runs (name, kind, algo, env_id, config, backend, status, created_at, updated_at, pid, host, heartbeat_at)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
      ),
      stampRun: w(`UPDATE runs SET pid = ?, host = ?, heartbeat_at = ? WHERE id = ?`),
      heartbeat: w(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`),
      finishRun: w(
        `UPDATE runs SET status = ?, error = ?, updated_at = ?,
           finished_at = CASE WHEN ? = 'running' THEN NULL ELSE ? END
         WHERE id = ?`,
      ),
      getRun: p(`SELECT * FROM runs WHERE id = ?`),
      deleteRun: w(`DELETE FROM runs WHERE id = ?`),
      touchRun: w(`UPDATE runs SET updated_at = ? WHERE id = ?`),
      touchRunIteration: w(
        `UPDATE runs SET updated_at = ?, last_iteration = max(coalesce(last_iteration, ?), ?) WHERE id = ?`,
      ),
      insertIteration: w(
        `INSERT INTO iterations (run_id, iteration, success_rate, mean_return, loss, kl, entropy, clip_fraction,
           steps_per_second, wall_time_ms, metrics, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      listIterations: p(`SELECT * FROM iterations WHERE run_id = ? ORDER BY iteration`),
      deleteIterationsFrom: w(`DELETE FROM iterations WHERE run_id = ? AND iteration >= ?`),
      resetLastIteration: w(
        `UPDATE runs SET updated_at = ?, last_iteration = (SELECT max(iteration) FROM iterations WHERE run_id = runs.id)
         WHERE id = ?`,
      ),
      insertEpisode: w(
        `INSERT INTO episodes (run_id, iteration, env_id, task_id, task_type, split, task_index, seed, group_id, traj_id,
           seat, replayed, episode_return, success, length, terminated, truncated, invalid_action_policy, goal,
           action_vocab, final_observation, info, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertStep: w(`INSERT INTO steps (${STEP_COLUMNS.join(', ')}) VALUES (${STEP_COLUMNS.map(() => '?').join(', ')})`),
      getEpisode: p(`SELECT * FROM episodes WHERE id = ?`),
      getSteps: p(`SELECT ${readableStepColumns(db).join(', ')} FROM steps WHERE episode_id = ? ORDER BY t`),
      getGroup: p(`SELECT ${EPISODE_SUMMARY_COLUMNS} FROM episodes WHERE run_id = ? AND iteration = ? AND group_id = ? ORDER BY id`),
      stepAnchor: p(
        `SELECT e.run_id, e.iteration, e.group_id, s.anchor_group
         FROM steps s JOIN episodes e ON e.id = s.episode_id WHERE s.episode_id = ? AND s.t = ?`,
      ),
      anchorMembers: p(
        `SELECT e.id AS episode_id, e.traj_id, s.t, s.action, s.reward, s.advantage, s.step_advantage
         FROM episodes e JOIN steps s ON s.episode_id = e.id
         WHERE e.run_id = ? AND e.iteration = ? AND e.group_id = ? AND s.anchor_group = ?
         ORDER BY e.id, s.t`,
      ),
      upsertCheckpoint: w(
        `INSERT INTO checkpoints (run_id, iteration, path, meta, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, iteration) DO UPDATE SET path = excluded.path, meta = excluded.meta, created_at = excluded.created_at
         RETURNING id`,
      ),
      listCheckpoints: p(`SELECT * FROM checkpoints WHERE run_id = ? ORDER BY iteration`),
      latestCheckpoint: p(`SELECT * FROM checkpoints WHERE run_id = ? ORDER BY iteration DESC LIMIT 1`),
      replayInsert: w(
        `INSERT INTO replay_buffer (scope, env_id, task_id, episode_return, trajectory, run_id, episode_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${REPLAY_COLUMNS}`,
      ),
      replayEvict: w(
        `DELETE FROM replay_buffer WHERE id IN (
           SELECT id FROM replay_buffer WHERE scope = ? AND env_id = ? AND task_id = ? ORDER BY id DESC LIMIT -1 OFFSET ?)`,
      ),
      replayCount: p(`SELECT count(*) FROM replay_buffer WHERE scope = ? AND env_id = ? AND task_id = ?`),
      replayAt: p(
        `SELECT ${REPLAY_COLUMNS} FROM replay_buffer WHERE scope = ? AND env_id = ? AND task_id = ? ORDER BY id LIMIT 1 OFFSET ?`,
      ),
      replayList: p(`SELECT ${REPLAY_COLUMNS} FROM replay_buffer WHERE scope = ? AND env_id = ? AND task_id = ? ORDER BY id`),
      replayClear: w(`DELETE FROM replay_buffer WHERE scope = ?`),
    };
    this.stmt.replayCount.pluck();
    this.stmt.upsertCheckpoint.pluck();

    this.writeIteration = db.transaction((runId, iteration, metrics, episodes) => {
      const now = Date.now();
      this.writing = `iteration ${iteration} of run ${runId}`;
      if (this.stmt.touchRunIteration.run(now, iteration, iteration, runId).changes === 0) throw runNotFound(runId);
      const m = encodeMetrics(metrics);
      try {
        this.stmt.insertIteration.run(runId, iteration, ...m.typed, m.json, now);
      } catch (err) {
        if (isSqliteError(err) && err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new StoreError(
            'STORE_CONFLICT',
            `Iteration ${iteration} of run ${runId} is already recorded. When resuming from an older checkpoint, ` +
              `call deleteIterationsFrom(${runId}, ${iteration}) first.`,
            { runId, iteration },
          );
        }
        throw err;
      }
      const ids: number[] = new Array(episodes.length);
      for (let i = 0; i < episodes.length; i++) {
        this.writing = `episode ${i} of iteration ${iteration} of run ${runId}`;
        ids[i] = this.insertEpisode(runId, iteration, episodes[i]!);
      }
      return ids;
    });
    this.writeEpisode = db.transaction((runId, episode) => {
      this.writing = `an episode of run ${runId}`;
      if (this.stmt.touchRun.run(Date.now(), runId).changes === 0) throw runNotFound(runId);
      return this.insertEpisode(runId, null, episode);
    });
    this.replayAddTx = db.transaction((scope, item, capacity) => {
      const now = Date.now();
      const row = this.stmt.replayInsert.get(
        scope,
        item.envId,
        item.taskId,
        item.return,
        JSON.stringify(item.trajectory),
        item.runId ?? null,
        item.episodeId ?? null,
        now,
      ) as ReplayRow;
      const evicted = this.stmt.replayEvict.run(scope, item.envId, item.taskId, capacity).changes;
      return { entry: decodeReplay(row), evicted };
    });
    const adv = {
      dropReplayed: w(`DELETE FROM episodes WHERE run_id = ? AND iteration = ? AND replayed = 1`),
      clearReplaced: w(`UPDATE episodes SET info = nullif(json_remove(info, '$.replacedBy'), '{}') WHERE run_id = ? AND iteration = ? AND info IS NOT NULL`),
      clearSteps: w(
        `UPDATE steps SET advantage = NULL, episode_advantage = NULL, step_advantage = NULL, anchor_group = NULL
         WHERE episode_id IN (SELECT id FROM episodes WHERE run_id = ? AND iteration = ?)`,
      ),
      setStep: w(`UPDATE steps SET advantage = ?, episode_advantage = ?, step_advantage = ?, anchor_group = ? WHERE episode_id = ? AND t = ?`),
      markReplaced: w(`UPDATE episodes SET info = json_set(coalesce(info, '{}'), '$.replacedBy', ?) WHERE id = ? AND run_id = ? AND iteration = ?`),
      mergeMetrics: w(`UPDATE iterations SET metrics = json_patch(metrics, ?) WHERE run_id = ? AND iteration = ?`),
      setAlgo: w(`UPDATE runs SET algo = ?, updated_at = ? WHERE id = ?`),
    };
    this.advantagesTx = db.transaction((runId, iteration, write) => {
      this.writing = `the advantages of iteration ${iteration} of run ${runId}`;
      if (adv.setAlgo.run(write.algo, Date.now(), runId).changes === 0) throw runNotFound(runId);
      if (adv.mergeMetrics.run(JSON.stringify(write.metrics), runId, iteration).changes === 0) {
        throw new StoreError('STORE_NOT_FOUND', `Run ${runId} has no iteration ${iteration}.`, { runId, iteration });
      }
      adv.dropReplayed.run(runId, iteration);
      adv.clearReplaced.run(runId, iteration);
      adv.clearSteps.run(runId, iteration);
      for (const u of write.steps) {
        const changed = adv.setStep.run(finiteOrNull(u.advantage), finiteOrNull(u.episodeAdvantage), finiteOrNull(u.stepAdvantage), u.anchorGroup, u.episodeId, u.t).changes;
        if (changed === 0) throw new StoreError('STORE_NOT_FOUND', `Episode ${u.episodeId} has no step t=${u.t}.`, { episodeId: u.episodeId, t: u.t });
      }
      for (const r of write.replaced) {
        if (adv.markReplaced.run(r.by, r.episodeId, runId, iteration).changes === 0) {
          throw new StoreError('STORE_NOT_FOUND', `Episode ${r.episodeId} is not an episode of iteration ${iteration} of run ${runId}.`);
        }
      }
      return write.added.map((e, i) => {
        this.writing = `replayed episode ${i} of iteration ${iteration} of run ${runId}`;
        return this.insertEpisode(runId, iteration, { ...e, replayed: true });
      });
    });
    this.deleteIterationsTx = db.transaction((runId, iteration) => {
      const n = this.stmt.deleteIterationsFrom.run(runId, iteration).changes;
      this.stmt.resetLastIteration.run(Date.now(), runId);
      return n;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Runs

  /** Starts a run (status 'running'). @returns the run id. */
  createRun(input: RunInput): number {
    this.writable();
    const parsed = runInputSchema.safeParse(input);
    if (!parsed.success) throw new OptionsError('createRun', formatIssues(parsed.error));
    const now = Date.now();
    const name = input.name ?? `${input.envId}__${input.kind}__${Math.floor(now / 1000)}`;
    const info = this.stmt.insertRun.run(
      name,
      input.kind,
      input.algo ?? null,
      input.envId,
      JSON.stringify(input.config ?? {}),
      input.backend ?? null,
      now,
      now,
      process.pid,
      HOST,
      now,
    );
    const runId = Number(info.lastInsertRowid);
    this.keepAlive(runId);
    return runId;
  }

  /**
   * Sets a run's status; leaving 'running' stamps `finishedAt`. `error` is kept for 'failed' runs.
   * Setting 'running' (a resumed run) stamps this process as the one recording it.
   */
  updateRunStatus(runId: number, status: StoredRunStatus, error?: string | null): void {
    this.writable();
    const parsed = runStatusSchema.safeParse(status);
    if (!parsed.success) throw new OptionsError('updateRunStatus', formatIssues(parsed.error));
    const now = Date.now();
    if (this.stmt.finishRun.run(status, error ?? null, now, status, now, runId).changes === 0) throw runNotFound(runId);
    if (status === 'running') {
      this.stmt.stampRun.run(process.pid, HOST, now, runId);
      this.keepAlive(runId);
    } else {
      this.recording.delete(runId);
    }
  }

  /** A run; a 'running' one whose process is gone reads as 'crashed' (see replay/run-liveness.ts). */
  getRun(runId: number): RunInfo | null {
    this.assertOpen();
    const row = this.stmt.getRun.get(runId) as RunRow | undefined;
    return row === undefined ? null : this.withLiveness(decodeRun(row));
  }

  /** Runs, newest first, optionally filtered ('running' and 'crashed' as `getRun` reports them). */
  listRuns(filter: { kind?: RunKind; envId?: string; status?: RunStatus } = {}): RunInfo[] {
    this.assertOpen();
    if (filter.status !== undefined) parseOrThrow(listRunsStatusSchema, filter.status, 'listRuns');
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.kind !== undefined) (where.push('kind = ?'), params.push(filter.kind));
    if (filter.envId !== undefined) (where.push('env_id = ?'), params.push(filter.envId));
    if (filter.status !== undefined) (where.push('status = ?'), params.push(filter.status === 'crashed' ? 'running' : filter.status));
    const sql = `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`;
    const runs = (this.prepared(sql).all(...params) as RunRow[]).map((row) => this.withLiveness(decodeRun(row)));
    return filter.status === undefined ? runs : runs.filter((r) => r.status === filter.status);
  }

  /** Deletes a run and everything it recorded (iterations, episodes, steps, checkpoints' index). */
  deleteRun(runId: number): boolean {
    this.writable();
    return this.stmt.deleteRun.run(runId).changes > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Writes of episodes

  /**
   * Records one whole iteration — its metrics, episodes and their steps — in one transaction, and
   * bumps the run's `lastIteration`. Nothing of it is visible until all of it is written.
   * @returns the new episode ids, in input order.
   * @throws StoreError 'STORE_NOT_FOUND' (unknown run), 'STORE_CONFLICT' (iteration already
   *   recorded), 'STORE_INVALID' (a record that does not fit; nothing is written).
   */
  recordIteration(runId: number, iteration: number, metrics: IterationMetrics, episodes: readonly EpisodeRecord[]): number[] {
    this.writable();
    if (!Number.isInteger(iteration) || iteration < 0) {
      throw new StoreError('STORE_INVALID', `The iteration index must be an integer >= 0; got ${iteration}.`);
    }
    return this.write(() => this.writeIteration.immediate(runId, iteration, metrics, episodes));
  }

  /** Records one episode outside any iteration (`ludus play --db`, evaluation). @returns its id. */
  recordEpisode(runId: number, episode: EpisodeRecord): number {
    this.writable();
    return this.write(() => this.writeEpisode.immediate(runId, episode));
  }

  /**
   * Deletes the run's iterations `>= iteration` with their episodes and steps, so that a run
   * resumed from an older checkpoint can record them again. @returns the iterations deleted.
   */
  deleteIterationsFrom(runId: number, iteration: number): number {
    this.writable();
    return this.deleteIterationsTx.immediate(runId, iteration);
  }

  /**
   * Rewrites the advantages of one recorded iteration (`ludus advantages`), in one transaction:
   * every step of the iteration loses its advantages, then gets those in `write.steps`; episodes
   * an earlier rewrite replayed in (ARPO) are deleted and the ones it replaced restored, then
   * `write.replaced` are marked (`info.replacedBy`) and `write.added` recorded (`replayed: true`);
   * `write.metrics` are merged into the iteration's metrics and the run's algo is set.
   * @returns the ids of the added episodes.
   */
  writeAdvantages(runId: number, iteration: number, write: AdvantageWrite): number[] {
    this.writable();
    return this.write(() => this.advantagesTx.immediate(runId, iteration, write));
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  listIterations(runId: number): IterationInfo[] {
    this.assertOpen();
    return (this.stmt.listIterations.all(runId) as IterationRow[]).map(decodeIteration);
  }

  /** Episode summaries (no steps) matching the filter, by id. */
  listEpisodes(filter: EpisodeFilter = {}, page: Pagination = {}): EpisodePage {
    this.assertOpen();
    const f = parseOrThrow(episodeFilterSchema, filter, 'listEpisodes filter');
    const pg = parseOrThrow(paginationSchema, page, 'listEpisodes pagination');
    const limit = pg.limit ?? 50;
    const order = pg.order ?? 'asc';
    const { where, params } = episodeWhere(f);
    if (pg.cursor != null) (where.push(order === 'asc' ? 'id > ?' : 'id < ?'), params.push(pg.cursor));
    const sql =
      `SELECT ${EPISODE_SUMMARY_COLUMNS} FROM episodes ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY id ${order.toUpperCase()} LIMIT ? OFFSET ?`;
    const rows = this.prepared(sql).all(...params, limit, pg.offset ?? 0) as EpisodeRow[];
    const episodes = rows.map(decodeEpisodeSummary);
    return { episodes, nextCursor: episodes.length === limit ? episodes[episodes.length - 1]!.id : null };
  }

  countEpisodes(filter: EpisodeFilter = {}): number {
    this.assertOpen();
    const { where, params } = episodeWhere(parseOrThrow(episodeFilterSchema, filter, 'countEpisodes filter'));
    const sql = `SELECT count(*) FROM episodes ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
    return this.prepared(sql).pluck().get(...params) as number;
  }

  /** One episode with all its steps in order; null when there is none with this id. */
  getEpisode(episodeId: number): StoredEpisode | null {
    this.assertOpen();
    const row = this.stmt.getEpisode.get(episodeId) as EpisodeRow | undefined;
    if (row === undefined) return null;
    const summary = decodeEpisodeSummary(row);
    const vocab = JSON.parse(row.action_vocab ?? '[]') as string[];
    const steps = decodeSteps(this.stmt.getSteps.all(episodeId) as StepRow[], row.goal, vocab);
    const finalObservation = row.final_observation == null ? null : JSON.parse(row.final_observation);
    return { ...summary, finalObservation, steps };
  }

  /** The trajectories of one episode group of an iteration, in recording order. */
  getGroup(runId: number, iteration: number, groupId: string): EpisodeSummary[] {
    this.assertOpen();
    return (this.stmt.getGroup.all(runId, iteration, groupId) as EpisodeRow[]).map(decodeEpisodeSummary);
  }

  /**
   * The steps that share a GiGPO anchor group: "the same state in the other trajectories of the
   * group". Name it by one of its steps or by its key. Null when the step has no anchor group (or
   * its episode belongs to no iteration / group).
   * @throws StoreError 'STORE_NOT_FOUND' when the step does not exist.
   */
  getAnchorGroup(ref: { episodeId: number; t: number } | AnchorGroupKey): AnchorGroup | null {
    this.assertOpen();
    let key: AnchorGroupKey;
    if ('episodeId' in ref) {
      const row = this.stmt.stepAnchor.get(ref.episodeId, ref.t) as
        | { run_id: number; iteration: number | null; group_id: string | null; anchor_group: string | null }
        | undefined;
      if (row === undefined) {
        throw new StoreError('STORE_NOT_FOUND', `Episode ${ref.episodeId} has no step t=${ref.t}.`, { ...ref });
      }
      if (row.iteration === null || row.group_id === null || row.anchor_group === null) return null;
      key = { runId: row.run_id, iteration: row.iteration, groupId: row.group_id, anchorGroup: row.anchor_group };
    } else {
      key = { runId: ref.runId, iteration: ref.iteration, groupId: ref.groupId, anchorGroup: ref.anchorGroup };
    }
    const rows = this.stmt.anchorMembers.all(key.runId, key.iteration, key.groupId, key.anchorGroup) as {
      episode_id: number;
      traj_id: string | null;
      t: number;
      action: string;
      reward: number;
      advantage: number | null;
      step_advantage: number | null;
    }[];
    const members: AnchorGroupMember[] = rows.map((r) => ({
      episodeId: r.episode_id,
      trajId: r.traj_id,
      t: r.t,
      action: r.action,
      reward: r.reward,
      advantage: r.advantage,
      stepAdvantage: r.step_advantage,
    }));
    return { ...key, members };
  }

  // -------------------------------------------------------------------------------------------
  // Checkpoints

  /** Indexes a checkpoint (replacing the run's entry for the same iteration). @returns its id. */
  addCheckpoint(input: CheckpointInput): number {
    this.writable();
    try {
      return this.stmt.upsertCheckpoint.get(input.runId, input.iteration, input.path, JSON.stringify(input.meta ?? {}), Date.now()) as number;
    } catch (err) {
      if (isSqliteError(err) && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw runNotFound(input.runId);
      throw toInvalid(err, `checkpoint of run ${input.runId}`);
    }
  }

  /** The run's checkpoints, by iteration. */
  listCheckpoints(runId: number): CheckpointInfo[] {
    this.assertOpen();
    return (this.stmt.listCheckpoints.all(runId) as CheckpointRow[]).map(decodeCheckpoint);
  }

  /** The run's checkpoint of the highest iteration (to resume from); null when there is none. */
  latestCheckpoint(runId: number): CheckpointInfo | null {
    this.assertOpen();
    const row = this.stmt.latestCheckpoint.get(runId) as CheckpointRow | undefined;
    return row === undefined ? null : decodeCheckpoint(row);
  }

  // -------------------------------------------------------------------------------------------
  // ARPO replay buffer

  /**
   * An ARPO replay buffer kept in this store. Buffers with different scopes are separate: use
   * `scope: \`run:${runId}\`` to keep a run's successes to itself, or the default shared scope ''.
   */
  replayBuffer(options: { scope?: string; capacity?: number } = {}): ReplayBuffer {
    const capacity = checkCapacity(options.capacity ?? this.options.replayCapacity);
    const scope = options.scope ?? '';
    const stmt = this.stmt;
    const store = this;
    return {
      capacity,
      add(item) {
        store.writable();
        try {
          return store.replayAddTx.immediate(scope, item, capacity);
        } catch (err) {
          if (isSqliteError(err) && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
            throw new StoreError('STORE_NOT_FOUND', `Replay entry refers to a run or episode that does not exist (run ${item.runId ?? null}, episode ${item.episodeId ?? null}).`);
          }
          throw toInvalid(err, `replay entry for task '${item.taskId}'`);
        }
      },
      sample(envId, taskId, random = Math.random) {
        store.assertOpen();
        const n = stmt.replayCount.get(scope, envId, taskId) as number;
        if (n === 0) return null;
        return decodeReplay(stmt.replayAt.get(scope, envId, taskId, pickIndex(n, random)) as ReplayRow);
      },
      size(envId, taskId) {
        store.assertOpen();
        return stmt.replayCount.get(scope, envId, taskId) as number;
      },
      list(envId, taskId) {
        store.assertOpen();
        return (stmt.replayList.all(scope, envId, taskId) as ReplayRow[]).map(decodeReplay);
      },
      evict(envId, taskId, keep = capacity) {
        store.writable();
        return stmt.replayEvict.run(scope, envId, taskId, checkKeep(keep)).changes;
      },
      clear() {
        store.writable();
        stmt.replayClear.run(scope);
      },
    };
  }

  // -------------------------------------------------------------------------------------------

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Closes the connection (idempotent). The last connection to close folds the WAL into the main file. */
  close(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.recording.clear();
    if (!this.db.open) return;
    if (!this.options.readonly) {
      try {
        this.db.pragma('analysis_limit = 400');
        this.db.pragma('optimize');
      } catch {
        // optimize is advisory
      }
    }
    this.db.close();
  }

  // -------------------------------------------------------------------------------------------

  private insertEpisode(runId: number, iteration: number | null, ep: EpisodeRecord): number {
    const goal = episodeGoal(ep);
    const steps = ep.steps;
    // Encode first: the episode row carries the action vocabulary its steps refer to.
    const vocab = new ActionVocab();
    const values: StepValues[] = new Array(steps.length);
    for (let j = 0; j < steps.length; j++) {
      try {
        values[j] = encodeStep(steps[j]!, goal, vocab, 0, j > 0 ? (steps[j - 1]!.tokens?.prompt ?? null) : null);
      } catch (err) {
        this.writing += `, step ${j}`;
        throw err;
      }
    }
    const info = this.stmt.insertEpisode.run(
      runId,
      iteration,
      ep.envId,
      ep.taskId,
      ep.taskType ?? null,
      ep.split ?? null,
      ep.taskIndex ?? null,
      ep.seed ?? null,
      ep.groupId ?? null,
      ep.trajId ?? null,
      ep.seat ?? null,
      ep.replayed ? 1 : 0,
      ep.return,
      ep.success ? 1 : 0,
      steps.length,
      ep.terminated ? 1 : 0,
      ep.truncated ? 1 : 0,
      ep.invalidActionPolicy,
      goal,
      JSON.stringify(vocab.list),
      ep.finalObservation == null ? null : JSON.stringify(ep.finalObservation),
      nonEmptyJson(ep.info),
      ep.startedAt,
      ep.finishedAt,
    );
    const episodeId = Number(info.lastInsertRowid);
    const insertStep = this.stmt.insertStep;
    for (let j = 0; j < values.length; j++) {
      const row = values[j]!;
      row[0] = episodeId;
      try {
        insertStep.run(...row);
      } catch (err) {
        this.writing += `, step ${j} (t=${String(steps[j]?.t)})`;
        throw err;
      }
    }
    return episodeId;
  }

  /** Runs a write transaction, turning binding and constraint failures into STORE_INVALID. */
  private write<T>(fn: () => T): T {
    this.writing = '';
    try {
      return fn();
    } catch (err) {
      throw toInvalid(err, this.writing);
    }
  }

  private withLiveness(run: RunInfo): RunInfo {
    if (run.status !== 'running' || this.recording.has(run.id)) return run;
    const reason = deadRunReason(run);
    return reason === null ? run : { ...run, status: 'crashed', crashReason: reason };
  }

  /** Refreshes the run's heartbeat every heartbeatMs while this handle is open (an unref'd timer). */
  private keepAlive(runId: number): void {
    this.recording.add(runId);
    if (this.heartbeatTimer !== undefined || this.options.heartbeatMs <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      if (!this.db.open) return;
      const now = Date.now();
      for (const id of this.recording) {
        try {
          this.stmt.heartbeat.run(now, id);
        } catch {
          // busy or read-only moment: the next beat tries again
        }
      }
    }, this.options.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private prepared(sql: string): Stmt {
    let s = this.dynamic.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.dynamic.set(sql, s);
    }
    return s;
  }

  private assertOpen(): void {
    if (!this.db.open) throw new StoreError('STORE_CLOSED', `The store '${this.path}' is closed: open it again with openStore().`);
  }

  private writable(): void {
    this.assertOpen();
    if (this.options.readonly) {
      throw new StoreError('STORE_READONLY', `The store '${this.path}' is open read-only: open it without { readonly: true } to write.`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

function episodeWhere(f: EpisodeFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.runId !== undefined) (where.push('run_id = ?'), params.push(f.runId));
  if (f.iteration !== undefined) {
    if (f.iteration === null) where.push('iteration IS NULL');
    else (where.push('iteration = ?'), params.push(f.iteration));
  }
  if (f.groupId !== undefined) (where.push('group_id = ?'), params.push(f.groupId));
  if (f.envId !== undefined) (where.push('env_id = ?'), params.push(f.envId));
  if (f.taskId !== undefined) (where.push('task_id = ?'), params.push(f.taskId));
  if (f.taskType !== undefined) (where.push('task_type = ?'), params.push(f.taskType));
  if (f.split !== undefined) (where.push('split = ?'), params.push(f.split));
  if (f.success !== undefined) (where.push('success = ?'), params.push(f.success ? 1 : 0));
  return { where, params };
}

function decodeCheckpoint(row: CheckpointRow): CheckpointInfo {
  return {
    id: row.id,
    runId: row.run_id,
    iteration: row.iteration,
    path: row.path,
    meta: JSON.parse(row.meta) as JsonObject,
    createdAt: row.created_at,
  };
}

function decodeReplay(row: ReplayRow): ReplayEntry {
  return {
    id: row.id,
    scope: row.scope,
    envId: row.env_id,
    taskId: row.task_id,
    return: row.episode_return,
    trajectory: JSON.parse(row.trajectory) as JsonValue,
    runId: row.run_id,
    episodeId: row.episode_id,
    createdAt: row.created_at,
  };
}

function runNotFound(runId: number): StoreError {
  return new StoreError('STORE_NOT_FOUND', `There is no run ${runId} in this store: create it with createRun() first.`, { runId });
}

/** SQLite constraint / type errors and binding errors (TypeError, RangeError) -> STORE_INVALID. */
function toInvalid(err: unknown, what: string): unknown {
  if (err instanceof StoreError) return err;
  if (isSqliteError(err) || err instanceof TypeError || err instanceof RangeError) {
    return new StoreError(
      'STORE_INVALID',
      `Cannot record ${what || 'the record'}: ${(err as Error).message}. Nothing of this write was stored.`,
      undefined,
      { cause: err },
    );
  }
  return err;
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new OptionsError(what, formatIssues(parsed.error));
  return parsed.data;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in o) if (o[key] !== undefined) out[key] = o[key];
  return out;
}

function readonlyStatement(): Stmt {
  const fail = (): never => {
    throw new StoreError('STORE_READONLY', 'The store is open read-only: open it without { readonly: true } to write.');
  };
  return { run: fail, get: fail, all: fail, iterate: fail, pluck: () => readonlyStatement() } as unknown as Stmt;
}

/**
 * The step columns to select: every column of STEP_COLUMNS but the episode id, with `NULL AS c`
 * for a column an older file opened read-only does not have yet (migrations only add nullable
 * step columns).
 */
function readableStepColumns(db: Database.Database): string[] {
  const present = new Set((db.pragma('table_info(steps)') as { name: string }[]).map((c) => c.name));
  return STEP_COLUMNS.slice(1).map((c) => (present.has(c) ? c : `NULL AS ${c}`));
}
