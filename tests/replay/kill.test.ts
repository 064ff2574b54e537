/**
 * A writer process SIGKILLed in the middle of recordIteration leaves a store that opens cleanly
 * and holds only whole iterations: every committed one complete, the interrupted one absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type RunStore } from '../../replay/store.js';
import { KILL_SHAPE, makeIteration } from './fixtures/records.js';

const WRITER = fileURLToPath(new URL('./fixtures/kill-writer.ts', import.meta.url));
const EPISODES_PER_ITERATION = KILL_SHAPE.groups * KILL_SHAPE.groupSize;

let dir: string;
let child: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ludus-store-kill-'));
});
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the writer; `onLine` returns true to SIGKILL it. Resolves with the lines seen once it is dead. */
function runWriter(path: string, args: string[], onLine: (line: string) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', WRITER, path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const lines: string[] = [];
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += String(d)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      lines.push(line);
      if (onLine(line)) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`writer exited with code ${code} before it was killed:\n${stderr}`));
    });
  });
}

/** Every recorded iteration has all its episodes, and every episode all its steps. */
function expectWholeIterations(store: RunStore, runId: number): number[] {
  expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(store.db.pragma('foreign_key_check')).toEqual([]);
  const iterations = store.listIterations(runId).map((i) => i.iteration);
  expect(iterations).toEqual(iterations.map((_, k) => k)); // 0..n-1, no holes
  const perIteration = store.db
    .prepare(
      `SELECT e.iteration, count(DISTINCT e.id) AS episodes, count(s.id) AS steps, sum(s.t IS NULL) AS empty
       FROM episodes e LEFT JOIN steps s ON s.episode_id = e.id WHERE e.run_id = ? GROUP BY e.iteration ORDER BY e.iteration`,
    )
    .all(runId);
  expect(perIteration).toEqual(
    iterations.map((iteration) => ({
      iteration,
      episodes: EPISODES_PER_ITERATION,
      steps: EPISODES_PER_ITERATION * KILL_SHAPE.steps,
      empty: 0,
    })),
  );
  const lengths = store.db.prepare(`SELECT DISTINCT length FROM episodes WHERE run_id = ?`).pluck().all(runId);
  expect(lengths.length === 0 || (lengths.length === 1 && lengths[0] === KILL_SHAPE.steps)).toBe(true);
  return iterations;
}

describe('a writer killed with SIGKILL', () => {
  it('mid-transaction (stalled half-way through an iteration, uncommitted pages in the WAL) leaves only whole iterations', async () => {
    const path = join(dir, 'ludus.db');
    let lastCommittedWal = 0;
    let midwayWal = 0;
    const lines = await runWriter(path, ['stall', '3'], (line) => {
      const wal = Number(/wal=(\d+)/.exec(line)?.[1] ?? 0);
      if (line.startsWith('committed')) lastCommittedWal = wal;
      if (line.startsWith('midway')) {
        midwayWal = wal;
        return true;
      }
      return false;
    });
    expect(lines.filter((l) => l.startsWith('committed')).map((l) => l.split(' ')[1])).toEqual(['0', '1', '2']);
    // Half of iteration 3 had already spilled into the WAL when the process died.
    expect(midwayWal).toBeGreaterThan(lastCommittedWal);

    const store = openStore(path);
    const runId = Number(lines[0]!.split(' ')[1]);
    expect(expectWholeIterations(store, runId)).toEqual([0, 1, 2]);
    const run = store.getRun(runId)!;
    expect(run.lastIteration).toBe(2);
    // Its process is gone: the run reads as crashed, not 'running' forever.
    expect(run.status).toBe('crashed');
    expect(run.crashReason).toMatch(/its process \d+ on .* is gone/);
    // The store takes the interrupted iteration again.
    store.recordIteration(runId, 3, {}, makeIteration(3, KILL_SHAPE));
    expect(expectWholeIterations(store, runId)).toEqual([0, 1, 2, 3]);
    store.close();
  });

  it('at an arbitrary moment of a write loop leaves only whole iterations, all committed ones kept', async () => {
    const path = join(dir, 'ludus.db');
    let committed = -1;
    let killAfter = Number.POSITIVE_INFINITY;
    const lines = await runWriter(path, ['loop'], (line) => {
      if (!line.startsWith('committed')) return false;
      committed = Number(line.split(' ')[1]);
      if (committed === 2) killAfter = performance.now() + Math.random() * 20;
      // Busy-wait a random few ms so the kill lands anywhere inside the next iteration's write.
      if (committed >= 2) {
        while (performance.now() < killAfter);
        return true;
      }
      return false;
    });
    const store = openStore(path);
    const runId = Number(lines[0]!.split(' ')[1]);
    const iterations = expectWholeIterations(store, runId);
    // Every iteration the writer reported as committed survived the kill (WAL + synchronous=NORMAL).
    expect(iterations.length).toBeGreaterThanOrEqual(committed + 1);
    store.close();
  });
});
