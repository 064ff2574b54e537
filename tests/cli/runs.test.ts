/**
 * A training run killed before its first checkpoint: the store shows it as crashed (not 'running'
 * forever) in `ludus runs` and says what `--resume` can and cannot do; its committed iterations
 * stay whole.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../replay/store.js';
import { BIN } from '../helpers/processes.js';
import { runCli } from './helpers.js';

describe('ludus runs', () => {
  it('shows a run SIGKILLed before its first checkpoint as crashed, with what --resume can do', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ludus-runs-'));
    const db = path.join(dir, 'ludus.db');
    const ck = path.join(dir, 'ck');
    const args = [BIN, 'train', '--iterations', '500', '--groups', '2', '--group-size', '2', '--max-steps', '6', '--demos', '2', '--checkpoint-every', '400', '--db', db, '--checkpoint-dir', ck, '--option', 'difficulty="easy"'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const deadline = Date.now() + 40_000;
      while (!/iter 2\//.test(stderr) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toMatch(/iter 2\//);
      // While it runs, it is running.
      const live = await runCli(['runs', '--db', db, '--json']);
      expect(JSON.parse(live.out.join('\n'))[0]).toMatchObject({ status: 'running', pid: child.pid, crashReason: null, resume: null });
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }

    const table = await runCli(['runs', '--db', db]);
    expect(table.exitCode).toBe(0);
    expect(table.out[0]).toMatch(/^id\s+name\s+kind\s+algo\s+env\s+status\s+iterations$/);
    expect(table.out[1]).toMatch(/^1\s+household-v1__gigpo__0__\d+\s+train\s+gigpo\s+household-v1\s+crashed\s+\d+$/);
    const text = table.out.join('\n');
    expect(text).toMatch(new RegExp(`run 1 crashed: its process ${child.pid} on .+ is gone\\.`));
    expect(text).toMatch(/saved no checkpoint, so `--resume` cannot continue it/);

    const store = openStore(db, { readonly: true });
    try {
      const run = store.getRun(1)!;
      expect(run.status).toBe('crashed');
      const iterations = store.listIterations(1).map((i) => i.iteration);
      expect(iterations.length).toBeGreaterThanOrEqual(2);
      expect(iterations).toEqual(iterations.map((_, i) => i));
    } finally {
      store.close();
    }
    expect((await runCli(['runs', '--db', db, '--status', 'running'])).out).toEqual([`no runs in ${db} with status running`]);
    expect((await runCli(['runs', '--db', db, '--status', 'zombie'])).exitCode).toBe(2);
  });
});
