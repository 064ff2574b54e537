import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lspoInputFromFlags } from '../../cli/commands/lspo.js';
import { LatentStore } from '../../replay/latent-store.js';
import { openStore } from '../../replay/store.js';
import { runCli } from './helpers.js';

describe('ludus lspo', () => {
  it('runs the iterations on rpssl-v1, reports each, and records the run with its clusters', async () => {
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'ludus-lspo-')), 'runs.db');
    const r = await runCli(['lspo', '--env', 'rpssl-v1', '--iterations', '2', '--games', '40', '--solver-iterations', '2000', '--db', db, '--name', 'toy']);
    expect(r.exitCode).toBe(0);
    expect(r.err.filter((l) => l.startsWith('iteration '))).toHaveLength(2);
    const summary = JSON.parse(r.out.join('\n'));
    expect(summary).toMatchObject({ env: 'rpssl-v1', iterations: 2 });
    expect(summary.clusters.player).toHaveLength(5);
    expect(summary.initial.exploitability).toBeGreaterThan(0.15);
    const store = openStore(db, { readonly: true });
    expect(store.getRun(summary.run)).toMatchObject({ name: 'toy', algo: 'lspo', status: 'finished' });
    expect(new LatentStore(store).clusters(summary.run, { iteration: 2 })).toHaveLength(5);
    store.close();
  }, 60_000);

  it('names the supported envs, and refuses bad flags before any work', async () => {
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'ludus-lspo-')), 'runs.db');
    const unknown = await runCli(['lspo', '--env', 'kuhn-poker-v1', '--db', db]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.err.join('\n')).toMatch(/LSPO_ENV_UNSUPPORTED.*rpssl-v1/);
    const bad = await runCli(['lspo', '--env', 'rpssl-v1', '--labels', 'fuzzy', '--db', db]);
    expect(bad.err.join('\n')).toMatch(/LSPO_CONFIG_INVALID.*labels/);
    expect(() => lspoInputFromFlags({ games: '0' })).toThrow(/--games/);
    expect(() => lspoInputFromFlags({ beta: 'x' })).toThrow(/--beta/);
    expect(lspoInputFromFlags({ env: 'rpssl-v1', beta: '0.5', games: '7' })).toMatchObject({ envId: 'rpssl-v1', beta: 0.5, games: 7 });
  });
});
