/**
 * The store's schema as an ordered list of migrations, tracked with `PRAGMA user_version`.
 *
 * Each migration runs in its own IMMEDIATE transaction together with the version bump, so a crash
 * mid-migration leaves the previous version intact. A file whose version is newer than the last
 * migration here is refused (older code must not write a schema it does not know).
 *
 * Append new migrations; never edit a released one.
 * @module
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';

export interface Migration {
  /** 1, 2, 3, ... in order; the file's user_version after the migration. */
  version: number;
  name: string;
  up: (db: Database.Database) => void;
  /**
   * True when code at this version still reads a file of the previous version read-only (the
   * migration only adds what readers can do without, e.g. nullable columns). The viewer then opens
   * an older store without having to migrate it.
   */
  readCompatible?: boolean;
}

/** 'LUDU' — marks the file as a ludus store (`PRAGMA application_id`). */
export const APPLICATION_ID = 0x4c554455;

const V1_INITIAL = `
CREATE TABLE runs (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  name           TEXT    NOT NULL,
  kind           TEXT    NOT NULL CHECK (kind IN ('train', 'play', 'eval')),
  algo           TEXT,
  env_id         TEXT    NOT NULL,
  config         TEXT    NOT NULL DEFAULT '{}',
  backend        TEXT,
  status         TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed', 'killed')),
  error          TEXT,
  last_iteration INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  finished_at    INTEGER
) STRICT;
CREATE INDEX runs_env ON runs (env_id, kind);

CREATE TABLE iterations (
  run_id           INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  iteration        INTEGER NOT NULL,
  success_rate     REAL,
  mean_return      REAL,
  loss             REAL,
  kl               REAL,
  entropy          REAL,
  clip_fraction    REAL,
  steps_per_second REAL,
  wall_time_ms     REAL,
  metrics          TEXT    NOT NULL DEFAULT '{}',
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (run_id, iteration)
) STRICT, WITHOUT ROWID;

CREATE TABLE episodes (
  id                    INTEGER PRIMARY KEY,
  run_id                INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  iteration             INTEGER,
  env_id                TEXT    NOT NULL,
  task_id               TEXT    NOT NULL,
  task_type             TEXT,
  split                 TEXT,
  task_index            INTEGER,
  seed                  INTEGER,
  group_id              TEXT,
  traj_id               TEXT,
  seat                  INTEGER,
  replayed              INTEGER NOT NULL DEFAULT 0,
  episode_return        REAL    NOT NULL,
  success               INTEGER NOT NULL,
  length                INTEGER NOT NULL,
  terminated            INTEGER NOT NULL,
  truncated             INTEGER NOT NULL,
  invalid_action_policy TEXT    NOT NULL,
  goal                  TEXT,
  action_vocab          TEXT    NOT NULL DEFAULT '[]',
  final_observation     TEXT,
  info                  TEXT,
  started_at            INTEGER NOT NULL,
  finished_at           INTEGER NOT NULL,
  FOREIGN KEY (run_id, iteration) REFERENCES iterations (run_id, iteration) ON DELETE CASCADE
) STRICT;
-- A run's episodes in id order (viewer pages, both directions, no sort); also the FK index.
CREATE INDEX episodes_run ON episodes (run_id);
-- A run's successes / failures in id order.
CREATE INDEX episodes_run_success ON episodes (run_id, success);
-- One iteration of a run, one episode group of it (getGroup, getAnchorGroup).
CREATE INDEX episodes_run_iteration ON episodes (run_id, iteration, group_id);
-- across runs: by env, task type, split, success.
CREATE INDEX episodes_env_type ON episodes (env_id, task_type, split, success);
-- one task's history (and ARPO provenance).
CREATE INDEX episodes_env_task ON episodes (env_id, task_id);

-- One row per step, kept compact (see codec.ts): candidates and obs_actions are uint16/uint32 LE
-- indices into the episode's action_vocab (each distinct action string once per episode);
-- obs_actions is NULL when equal to candidates, obs_anchor NULL when equal to obs_text; probs are
-- float32 LE; the goal lives on the episode; other observation fields (html, axtree, screenshot,
-- url, seat) go to obs_extra JSON; empty JSON objects are NULL.
CREATE TABLE steps (
  id                INTEGER PRIMARY KEY,
  episode_id        INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  t                 INTEGER NOT NULL,
  obs_text          TEXT    NOT NULL,
  obs_anchor        TEXT,
  obs_actions       BLOB,
  obs_extra         TEXT,
  candidates        BLOB    NOT NULL,
  action            TEXT    NOT NULL,
  logp              REAL,
  probs             BLOB,
  reward            REAL    NOT NULL,
  reward_components TEXT,
  terminated        INTEGER NOT NULL,
  truncated         INTEGER NOT NULL,
  invalid_code      TEXT,
  invalid_detail    TEXT,
  advantage         REAL,
  episode_advantage REAL,
  step_advantage    REAL,
  anchor_group      TEXT,
  state_key         TEXT,
  info              TEXT
) STRICT;
-- steps of an episode in order (and the FK index). Anchor-group lookups go episodes_run_iteration
-- -> this index: a group's steps are a few hundred rows, so no index of their own is needed.
CREATE UNIQUE INDEX steps_episode_t ON steps (episode_id, t);

-- ARPO: per (scope, env, task) FIFO of successful trajectories.
CREATE TABLE replay_buffer (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  scope          TEXT    NOT NULL DEFAULT '',
  env_id         TEXT    NOT NULL,
  task_id        TEXT    NOT NULL,
  episode_return REAL    NOT NULL,
  trajectory     TEXT    NOT NULL,
  run_id         INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  episode_id     INTEGER REFERENCES episodes (id) ON DELETE SET NULL,
  created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX replay_buffer_task ON replay_buffer (scope, env_id, task_id, id);
CREATE INDEX replay_buffer_run ON replay_buffer (run_id);
CREATE INDEX replay_buffer_episode ON replay_buffer (episode_id);

CREATE TABLE checkpoints (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  iteration  INTEGER NOT NULL,
  path       TEXT    NOT NULL,
  meta       TEXT    NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  UNIQUE (run_id, iteration)
) STRICT;
`;

/**
 * LSPO's latent spaces: per run, iteration and role, each cluster (latent strategy) with its size,
 * representative utterance, examples (JSON [{utterance, count, distance}]) and centroid (float32
 * LE); and the latent policy per information set (JSON probabilities over the role's clusters).
 */
const V4_LATENT_SPACES = `
CREATE TABLE latent_clusters (
  run_id         INTEGER NOT NULL,
  iteration      INTEGER NOT NULL,
  role           TEXT    NOT NULL,
  cluster        INTEGER NOT NULL,
  size           INTEGER NOT NULL,
  distinct_count INTEGER NOT NULL,
  representative TEXT    NOT NULL,
  examples       TEXT    NOT NULL DEFAULT '[]',
  centroid       BLOB    NOT NULL,
  PRIMARY KEY (run_id, iteration, role, cluster),
  FOREIGN KEY (run_id, iteration) REFERENCES iterations (run_id, iteration) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE latent_policies (
  run_id    INTEGER NOT NULL,
  iteration INTEGER NOT NULL,
  info_set  TEXT    NOT NULL,
  role      TEXT    NOT NULL,
  probs     TEXT    NOT NULL,
  PRIMARY KEY (run_id, iteration, info_set),
  FOREIGN KEY (run_id, iteration) REFERENCES iterations (run_id, iteration) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
`;

// Leagues (league/, `ludus league --db`): a league, its games (with what re-simulates each one),
// every seat of every game, and the entrants' ratings. Standings (win rates with intervals per
// side and role, the pairing matrix) are kept as the JSON the league computed.
const V3_LEAGUES = `
CREATE TABLE leagues (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT    NOT NULL,
  env_id      TEXT    NOT NULL,
  config      TEXT    NOT NULL DEFAULT '{}',
  entrants    TEXT    NOT NULL DEFAULT '[]',
  status      TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed', 'killed')),
  error       TEXT,
  games       INTEGER NOT NULL DEFAULT 0,
  standings   TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;

CREATE TABLE league_games (
  id         INTEGER PRIMARY KEY,
  league_id  INTEGER NOT NULL REFERENCES leagues (id) ON DELETE CASCADE,
  game_index INTEGER NOT NULL,
  env_id     TEXT    NOT NULL,
  task_id    TEXT    NOT NULL,
  split      TEXT    NOT NULL,
  task_index INTEGER NOT NULL,
  seed       INTEGER NOT NULL,
  wolves     TEXT,
  village    TEXT,
  winner     TEXT    NOT NULL CHECK (winner IN ('wolves', 'village', 'draw')),
  rounds     INTEGER NOT NULL,
  steps      INTEGER NOT NULL,
  end_reason TEXT    NOT NULL,
  replay     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (league_id, game_index)
) STRICT;
CREATE INDEX league_games_winner ON league_games (league_id, winner);

CREATE TABLE league_seats (
  game_id  INTEGER NOT NULL REFERENCES league_games (id) ON DELETE CASCADE,
  seat     INTEGER NOT NULL,
  agent    TEXT    NOT NULL,
  role     TEXT    NOT NULL,
  side     TEXT    NOT NULL CHECK (side IN ('wolves', 'village')),
  reward   REAL    NOT NULL,
  survived INTEGER NOT NULL,
  PRIMARY KEY (game_id, seat)
) STRICT, WITHOUT ROWID;
CREATE INDEX league_seats_agent ON league_seats (agent, role);

CREATE TABLE league_ratings (
  league_id INTEGER NOT NULL REFERENCES leagues (id) ON DELETE CASCADE,
  agent     TEXT    NOT NULL,
  games     INTEGER NOT NULL,
  elo       REAL    NOT NULL,
  mu        REAL    NOT NULL,
  sigma     REAL    NOT NULL,
  ordinal   REAL    NOT NULL,
  PRIMARY KEY (league_id, agent)
) STRICT, WITHOUT ROWID;
`;

/**
 * Training leagues (`ludus train --league`, league/training/): the members a run plays against
 * (rule bots and its own checkpoints, with the error of one that no longer loads), their OpenSkill
 * ratings after every iteration (the viewer's chart), and the payoff table with the meta-strategy's
 * distribution after every iteration.
 */
const V6_TRAINING_LEAGUES = `
CREATE TABLE train_league_members (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name       TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('bot', 'checkpoint')),
  iteration  INTEGER NOT NULL,
  path       TEXT,
  status     TEXT    NOT NULL CHECK (status IN ('active', 'unloadable')),
  error      TEXT,
  PRIMARY KEY (run_id, name)
) STRICT, WITHOUT ROWID;
CREATE TABLE train_league_ratings (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  iteration  INTEGER NOT NULL,
  member     TEXT    NOT NULL,
  mu         REAL    NOT NULL,
  sigma      REAL    NOT NULL,
  ordinal    REAL    NOT NULL,
  games      INTEGER NOT NULL,
  PRIMARY KEY (run_id, iteration, member)
) STRICT, WITHOUT ROWID;
CREATE TABLE train_league_payoffs (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  iteration    INTEGER NOT NULL,
  payoffs      TEXT    NOT NULL,
  distribution TEXT    NOT NULL,
  PRIMARY KEY (run_id, iteration)
) STRICT, WITHOUT ROWID;
`;

/** Every migration, in order. The last one's version is the schema version this code writes. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    up: (db) => {
      db.exec(V1_INITIAL);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    },
  },
  {
    // Dead-run detection (replay/run-liveness.ts): who records the run, and when it last said so.
    version: 2,
    name: 'run liveness',
    readCompatible: true,
    up: (db) => {
      db.exec(`
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host TEXT;
        ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
      `);
    },
  },
  {
    // Leagues (league/, replay/league-store.ts). Readers of version 2 do without them: the
    // viewer shows no leagues for a store that has none.
    version: 3,
    name: 'leagues',
    readCompatible: true,
    up: (db) => db.exec(V3_LEAGUES),
  },
  {
    // LSPO's latent spaces (replay/latent-store.ts); readers of older stores find no such tables.
    version: 4,
    name: 'latent spaces (LSPO)',
    readCompatible: true,
    up: (db) => db.exec(V4_LATENT_SPACES),
  },
  {
    // A language model's turn: prompt (as a delta on the step before), completion, token ids and
    // per-token log-probs (replay/turn-tokens-codec.ts). Older readers select NULL for it.
    version: 5,
    name: 'turn tokens',
    readCompatible: true,
    up: (db) => db.exec(`ALTER TABLE steps ADD COLUMN tokens TEXT;`),
  },
  {
    // Training leagues (replay/league-store.ts, TrainLeagueStore); older readers find no such tables.
    version: 6,
    name: 'training leagues',
    readCompatible: true,
    up: (db) => db.exec(V6_TRAINING_LEAGUES),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses files this code must not touch: a newer schema, or an SQLite file of something else.
 * `readonly`: an older schema cannot be migrated either.
 */
export function checkCompatible(
  db: Database.Database,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
  readonly = false,
): number {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const version = schemaVersion(db);
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new StoreError('STORE_FOREIGN', `${where} is not a ludus store (application_id ${appId}). Pick another file with --db.`, {
      applicationId: appId,
    });
  }
  if (version === 0 && appId === 0) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number };
    if (tables.n > 0) {
      throw new StoreError('STORE_FOREIGN', `${where} is an SQLite database of something else, not a ludus store. Pick another file with --db.`);
    }
  }
  if (version > latest) {
    throw new StoreError(
      'STORE_VERSION',
      `${where} has store schema version ${version}, but this ludus knows versions up to ${latest}: it was written by a newer ludus. Upgrade ludus to open it.`,
      { version, supported: latest },
    );
  }
  const unreadable = migrations.some((m) => m.version > version && m.readCompatible !== true);
  if (readonly && version < latest && (version === 0 || unreadable)) {
    throw new StoreError(
      'STORE_VERSION',
      version === 0
        ? `${where} is not an initialised ludus store. Open it read-write once (e.g. by a run) to create it.`
        : `${where} has store schema version ${version}, older than ${latest}, and is opened read-only: open it read-write once to migrate it.`,
      { version, supported: latest },
    );
  }
  return version;
}

/**
 * Applies the pending migrations, each in one IMMEDIATE transaction with its version bump.
 * Safe against a concurrent opener: the version is re-read inside the write lock.
 * @returns the schema version after migrating.
 */
export function migrate(db: Database.Database, where = 'the store', migrations: readonly Migration[] = MIGRATIONS): number {
  checkMigrationList(migrations);
  checkCompatible(db, where, migrations);
  for (const m of migrations) {
    const apply = db.transaction(() => {
      const current = checkCompatible(db, where, migrations);
      if (current >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    });
    apply.immediate();
  }
  return schemaVersion(db);
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration '${m.name}' has version ${m.version}; expected ${i + 1} (versions are 1, 2, 3, ... in order).`);
  });
}
