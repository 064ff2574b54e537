import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../replay/store.js';
import { formatVerifyReport, recordedEnvOptions, verifyEpisode } from '../../replay/verify.js';
import { runCli } from '../cli/helpers.js';
import { buildFixture, type Fixture } from './viewer/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await buildFixture();
});

/** A copy of the fixture store to tamper with. */
function tamperedCopy(name: string, sql: string, ...params: unknown[]): string {
  const db = join(fx.db, '..', `${name}.db`);
  copyFileSync(fx.db, db);
  const raw = new Database(db);
  try {
    const changes = raw.prepare(sql).run(...params).changes;
    expect(changes).toBe(1);
  } finally {
    raw.close();
  }
  return db;
}

describe('replay --verify', () => {
  it('re-simulates every recorded train episode identically', async () => {
    const store = openStore(fx.db, { readonly: true });
    try {
      for (const id of fx.gigpoEpisodes) {
        const report = await verifyEpisode(store, id);
        expect(report.drift, `episode ${id}`).toBeNull();
        expect(report).toMatchObject({ identical: true, options: { difficulty: 'easy', maxEpisodeSteps: 10 }, stepsReplayed: report.steps });
      }
    } finally {
      store.close();
    }
  });

  it('uses config.options for play runs and verifies a `ludus play --db` recording', async () => {
    const db = join(fx.db, '..', 'play.db');
    const played = await runCli(['play', 'household-v1', '--task', 'valid_seen:5', '--seed', '7', '--db', db, '--option', 'difficulty=medium'], 'look\ninventory\ngo to nowhere\n');
    expect(played.exitCode).toBe(0);
    const store = openStore(db, { readonly: true });
    try {
      const run = store.listRuns()[0]!;
      expect(recordedEnvOptions(run)).toEqual({ difficulty: 'medium' });
      const episode = store.listEpisodes({ runId: run.id }).episodes[0]!;
      const report = await verifyEpisode(store, episode.id);
      expect(report.identical).toBe(true);
      expect(report.task).toEqual({ split: 'valid_seen', index: 5 });
      expect(formatVerifyReport(report).at(-1)).toBe('identical: 3 steps re-simulated, no drift');
      // With other options the same actions drift.
      const other = await verifyEpisode(store, episode.id, { envOptions: { difficulty: 'full' } });
      expect(other.identical).toBe(false);
    } finally {
      store.close();
    }
  });

  it('reports the first drift when an observation was tampered with', async () => {
    const id = fx.gigpoEpisodes[3]!;
    const db = tamperedCopy('obs', `UPDATE steps SET obs_text = 'You see a <b>tampered</b> room.', obs_anchor = NULL WHERE episode_id = ? AND t = 4`, id);
    const store = openStore(db, { readonly: true });
    try {
      const report = await verifyEpisode(store, id);
      expect(report.identical).toBe(false);
      expect(report.drift).toMatchObject({ t: 4, field: 'observation.text', recorded: 'You see a <b>tampered</b> room.' });
      expect(report.stepsReplayed).toBe(4);
      expect(formatVerifyReport(report)).toContain('DRIFT at step t=4: observation.text differs (4/10 steps matched before it)');
    } finally {
      store.close();
    }
  });

  it('reports drift when an action was tampered with, and the CLI exits 1', async () => {
    const id = fx.gigpoEpisodes[7]!;
    const db = tamperedCopy('action', `UPDATE steps SET action = 'inventory' WHERE episode_id = ? AND t = 2`, id);
    const store = openStore(db, { readonly: true });
    let t: unknown;
    try {
      const report = await verifyEpisode(store, id);
      expect(report.identical).toBe(false);
      t = report.drift!.t;
      // The env answers the other action differently: its reply (or the state) no longer matches.
      expect(t === 2 || t === 3).toBe(true);
      expect(report.drift!.field).toMatch(/^(observation\.|stateKey|rewardComponents|info\.|reward)/);
    } finally {
      store.close();
    }
    const cli = await runCli(['replay', '--verify', String(id), '--db', db]);
    expect(cli.exitCode).toBe(1);
    expect(cli.out.join('\n')).toMatch(/DRIFT at step t=[23]: /);
    const ok = await runCli(['replay', '--verify', String(id), '--db', fx.db, '--json']);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.out.join('\n'))).toMatchObject({ episodeId: id, identical: true, drift: null });
  });

  it('reports a tampered reward and a missing episode', async () => {
    const id = fx.gigpoEpisodes[0]!;
    const db = tamperedCopy('reward', `UPDATE steps SET reward = 5 WHERE episode_id = ? AND t = 0`, id);
    const store = openStore(db, { readonly: true });
    try {
      expect((await verifyEpisode(store, id)).drift).toMatchObject({ t: 0, field: 'reward', recorded: 5, replayed: 0 });
      await expect(verifyEpisode(store, 9999)).rejects.toThrow(/There is no episode 9999/);
    } finally {
      store.close();
    }
  });
});
