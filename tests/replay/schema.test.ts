import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LudusError } from '../../envs/core/errors.js';
import { StoreError } from '../../replay/errors.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, checkCompatible, migrate, type Migration } from '../../replay/schema.js';
import { openStore } from '../../replay/store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ludus-store-schema-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('migrations', () => {
  it('create every table from an empty database and stamp the version', () => {
    const store = openStore(':memory:');
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = store.db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(['checkpoints', 'episodes', 'iterations', 'latent_clusters', 'latent_policies', 'league_games', 'league_ratings', 'league_seats', 'leagues', 'replay_buffer', 'runs', 'steps', 'train_league_members', 'train_league_payoffs', 'train_league_ratings']);
    store.close();
  });

  it('reopen idempotently: same version, data kept, migrate() is a no-op', () => {
    const path = join(dir, 'ludus.db');
    const a = openStore(path);
    const runId = a.createRun({ kind: 'play', envId: 'household-v1' });
    a.close();
    const b = openStore(path);
    expect(b.getRun(runId)?.envId).toBe('household-v1');
    expect(migrate(b.db)).toBe(SCHEMA_VERSION);
    expect(b.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    b.close();
  });

  it('refuse a file written by a newer schema, with a typed error that says what to do', () => {
    const path = join(dir, 'newer.db');
    openStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const err = storeError(() => openStore(path));
    expect(err.code).toBe('STORE_VERSION');
    expect(err.message).toContain(`version ${SCHEMA_VERSION + 1}`);
    expect(err.message).toContain('Upgrade ludus');
    expect(err.data).toEqual({ version: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
  });

  it('roll a failing migration back completely (schema and version)', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, 'test', broken)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'`).pluck().get()).toBe(0);
    // The same list without the broken step goes through.
    expect(migrate(db, 'test', MIGRATIONS)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('v2 (run liveness) adds pid, host and heartbeat; a v1 file is read read-only as is, and migrated by a writer', () => {
    const path = join(dir, 'v1.db');
    const raw = new Database(path);
    migrate(raw, 'test', MIGRATIONS.slice(0, 1));
    raw.prepare(`INSERT INTO runs (name, kind, env_id, status, created_at, updated_at) VALUES ('old', 'train', 'household-v1', 'running', 0, 0)`).run();
    raw.close();
    const reader = openStore(path, { readonly: true });
    // written before liveness existed, not updated for ages: crashed
    expect(reader.getRun(1)).toMatchObject({ name: 'old', pid: null, host: null, heartbeatAt: null, status: 'crashed' });
    reader.close();
    const writer = openStore(path);
    expect(writer.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((writer.db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name)).toEqual(expect.arrayContaining(['pid', 'host', 'heartbeat_at']));
    writer.close();
  });

  it('refuse a read-only open of an older file when a later migration is not read-compatible', () => {
    const path = join(dir, 'old.db');
    const raw = new Database(path);
    migrate(raw, 'test', MIGRATIONS);
    raw.close();
    const next: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'reshape', up: () => undefined }];
    const db = new Database(path, { readonly: true });
    expect(() => checkCompatible(db, 'old.db', next, true)).toThrow(/older than .* read-only: open it read-write once to migrate it/);
    db.close();
  });

  it('apply later migrations to a file at an older version', () => {
    const db = new Database(':memory:');
    migrate(db, 'test', MIGRATIONS);
    const next: Migration[] = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'add column', up: (d) => d.exec('ALTER TABLE runs ADD COLUMN note TEXT') },
    ];
    expect(migrate(db, 'test', next)).toBe(SCHEMA_VERSION + 1);
    expect((db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name)).toContain('note');
    db.close();
  });

  it('refuse SQLite files of something else and files that are not SQLite', () => {
    const other = join(dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE accounts (id INTEGER)');
    raw.close();
    expect(storeError(() => openStore(other)).code).toBe('STORE_FOREIGN');

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello, this is not a database at all'.repeat(200));
    expect(storeError(() => openStore(text)).code).toBe('STORE_FOREIGN');
  });
});

describe('connection', () => {
  it('use WAL, foreign keys and synchronous=NORMAL on a file store', () => {
    const store = openStore(join(dir, 'wal.db'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    store.close();
  });

  it('let a read-only handle read while a writer has the file open, and refuse its writes', () => {
    const path = join(dir, 'shared.db');
    const writer = openStore(path);
    const runId = writer.createRun({ kind: 'train', envId: 'household-v1' });
    const reader = openStore(path, { readonly: true });
    expect(reader.getRun(runId)?.status).toBe('running');
    writer.updateRunStatus(runId, 'finished');
    expect(reader.getRun(runId)?.status).toBe('finished');
    expect(storeError(() => reader.createRun({ kind: 'play', envId: 'x-v1' })).code).toBe('STORE_READONLY');
    expect(storeError(() => reader.replayBuffer().clear()).code).toBe('STORE_READONLY');
    reader.close();
    writer.close();
  });

  it('report a missing file opened read-only as STORE_OPEN', () => {
    const err = storeError(() => openStore(join(dir, 'missing.db'), { readonly: true }));
    expect(err.code).toBe('STORE_OPEN');
  });

  it('validate options with specific messages', () => {
    expect(() => openStore(':memory:', { readOnly: true } as never)).toThrow(/unknown option\(s\) 'readOnly'/);
    try {
      openStore(':memory:', { replayCapacity: 0 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LudusError);
      expect((err as LudusError).code).toBe('OPTIONS_INVALID');
      expect((err as Error).message).toContain('replayCapacity');
    }
  });

  it('close idempotently; a closed store says so', () => {
    const store = openStore(':memory:');
    store.close();
    store.close();
    expect(store.isOpen).toBe(false);
    expect(storeError(() => store.listRuns()).code).toBe('STORE_CLOSED');
  });
});
