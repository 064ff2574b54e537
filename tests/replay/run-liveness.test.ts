import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STALE_AFTER_MS, HOST, deadRunReason, processAlive, resumeAdvice } from '../../replay/run-liveness.js';
import { openStore } from '../../replay/store.js';
import { createHandler } from '../../replay/viewer/server.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('deadRunReason', () => {
  const now = 1_700_000_000_000;
  it('on this host, a run is dead exactly when its process is gone', () => {
    const gone = deadPid();
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(gone)).toBe(false);
    expect(deadRunReason({ pid: process.pid, host: HOST, heartbeatAt: 0, updatedAt: 0 }, now)).toBeNull();
    expect(deadRunReason({ pid: gone, host: HOST, heartbeatAt: now, updatedAt: now }, now)).toBe(`its process ${gone} on ${HOST} is gone`);
  });

  it('from another host (or before pids were recorded), a run is dead once its heartbeat is stale', () => {
    const other = { pid: 4242, host: 'elsewhere', updatedAt: 0 };
    expect(deadRunReason({ ...other, heartbeatAt: now - 1000 }, now)).toBeNull();
    expect(deadRunReason({ ...other, heartbeatAt: now - DEFAULT_STALE_AFTER_MS - 60_000 }, now)).toBe('process 4242 on elsewhere sent no heartbeat for 11 min');
    expect(deadRunReason({ pid: null, host: null, heartbeatAt: null, updatedAt: now - 3_600_000 }, now)).toBe('its process sent no heartbeat for 60 min');
    expect(deadRunReason({ pid: null, host: null, heartbeatAt: null, updatedAt: now - 1000 }, now)).toBeNull();
  });
});

describe('resumeAdvice', () => {
  it('says --resume cannot continue a run without a checkpoint, and what is kept', () => {
    const text = resumeAdvice({ runId: 3, lastIteration: 1, checkpoint: null, checkpointDir: 'ck', db: 'x.db' });
    expect(text).toMatch(/iterations 0\.\.1 stay in the store/);
    expect(text).toMatch(/saved no checkpoint, so `--resume` cannot continue it/);
  });

  it('gives the resume command, and says which recorded iterations are redone', () => {
    const text = resumeAdvice({ runId: 3, lastIteration: 6, checkpoint: { iteration: 4, path: 'ck/iter-000004' }, checkpointDir: 'ck', db: 'x.db' });
    expect(text).toMatch(/`ludus train --resume --checkpoint-dir ck --db x\.db` continues it from its last checkpoint \(iteration 4\)/);
    expect(text).toMatch(/Iterations 5\.\.6 were recorded after it and are dropped/);
  });
});

describe('the store tracks who records a run', () => {
  it('stamps pid, host and a heartbeat that the open handle refreshes', async () => {
    const store = openStore(':memory:', { heartbeatMs: 20 });
    try {
      const runId = store.createRun({ kind: 'train', envId: 'household-v1' });
      const first = store.getRun(runId)!;
      expect(first).toMatchObject({ status: 'running', pid: process.pid, host: HOST, crashReason: null });
      await new Promise((r) => setTimeout(r, 120));
      expect(store.getRun(runId)!.heartbeatAt!).toBeGreaterThan(first.heartbeatAt!);
    } finally {
      store.close();
    }
  });

  it('reads a run whose process died as crashed (also read-only, in lists and filters), and --resume revives it', () => {
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'ludus-liveness-')), 'runs.db');
    const writer = openStore(db);
    const crashed = writer.createRun({ kind: 'train', envId: 'household-v1', name: 'dies', config: { checkpointDir: 'ck-dies' } });
    const alive = writer.createRun({ kind: 'train', envId: 'household-v1', name: 'lives' });
    writer.recordIteration(crashed, 0, { successRate: 0.5 }, []);
    writer.db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(deadPid(), crashed);
    writer.close();

    const reader = openStore(db, { readonly: true });
    try {
      const run = reader.getRun(crashed)!;
      expect(run.status).toBe('crashed');
      expect(run.crashReason).toMatch(/^its process \d+ on .+ is gone$/);
      // the second run's process (this one) is alive
      expect(reader.getRun(alive)!.status).toBe('running');
      expect(reader.listRuns({ status: 'crashed' }).map((r) => r.id)).toEqual([crashed]);
      expect(reader.listRuns({ status: 'running' }).map((r) => r.id)).toEqual([alive]);
      expect(reader.listIterations(crashed)).toHaveLength(1);

      const handle = createHandler(reader);
      const list = handle('GET', '/');
      expect(list.body).toMatch(/<span class="badge bad" title="its process \d+ on [^"]+ is gone">crashed<\/span>/);
      const page = String(handle('GET', `/runs/${crashed}`).body);
      expect(page).toMatch(/This run crashed: its process \d+ on .+ is gone, without finishing\./);
      expect(page).toMatch(/saved no checkpoint, so <code>--resume<\/code> cannot continue it/);
    } finally {
      reader.close();
    }

    const resumer = openStore(db);
    try {
      resumer.updateRunStatus(crashed, 'running');
      expect(resumer.getRun(crashed)).toMatchObject({ status: 'running', pid: process.pid, crashReason: null });
      expect(() => resumer.updateRunStatus(crashed, 'crashed' as never)).toThrow(/updateRunStatus/);
    } finally {
      resumer.close();
    }
  });
});
