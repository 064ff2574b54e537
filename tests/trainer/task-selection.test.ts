import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { Rng } from '../../envs/core/rng.js';
import { openStore } from '../../replay/store.js';
import { sampleGroups } from '../../trainer/collect.js';
import { TrainerError } from '../../trainer/errors.js';
import { solvedTasks } from '../../trainer/task-selection.js';
import { train } from '../../trainer/train.js';

const TINY = {
  envOptions: { difficulty: 'easy' },
  iterations: 1,
  groups: 3,
  groupSize: 3,
  maxSteps: 20,
  demos: 64,
  sftEpochs: 10,
  model: { featureDim: 256, hidden: 16, mlpHidden: 16 },
  checkpointEvery: 1,
};

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ludus-select-'));
}

const traj = (index: number | null, success: boolean) => ({ task: index === null ? null : { id: `t${index}`, split: 'train', index, type: 'x' }, success });

describe('solvedTasks', () => {
  it('keeps the task indices with at least minSuccesses successes, ascending', () => {
    const trajectories = [traj(5, true), traj(3, false), traj(3, true), traj(1, false), traj(1, false), traj(null, true), traj(3, true)];
    expect(solvedTasks(trajectories)).toEqual([3, 5]);
    expect(solvedTasks(trajectories, 2)).toEqual([3]);
    expect(solvedTasks(trajectories, 3)).toEqual([]);
    expect(solvedTasks([])).toEqual([]);
  });
});

describe('sampleGroups over a selected pool', () => {
  it('draws only the given task indices, each of them over enough draws, and the same stream as a pool size would', () => {
    const pool = [3, 17, 40];
    const groups = sampleGroups(new Rng('pool'), 0, 300, 'train', pool);
    const drawn = groups.map((g) => (g.task as { index: number }).index);
    expect(new Set(drawn)).toEqual(new Set(pool));
    // a pool of K indices consumes the rng exactly as drawing from 0..K-1 does: index k of the pool
    const bySize = sampleGroups(new Rng('pool'), 0, 300, 'train', pool.length);
    expect(drawn).toEqual(bySize.map((g) => pool[(g.task as { index: number }).index]));
    expect(groups.map((g) => g.seed)).toEqual(bySize.map((g) => g.seed));
  });
});

describe('train with selectTasks (ARPO task selection)', () => {
  it('trains only on the tasks the starting policy solved, records them, and keeps them across --resume', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'ludus.db');
    const ck = path.join(dir, 'ck');
    const logs: string[] = [];
    // a small SFT start solves some of the 8 easy tasks in 8 attempts, not all of them
    const config = { ...TINY, algo: 'arpo', trainTasks: 8, selectTasks: 8, db, checkpointDir: ck };
    const first = await train(config, { log: (l) => logs.push(l) });
    const pool = first.taskPool!;
    expect(pool.length).toBeGreaterThan(0);
    expect(pool.length).toBeLessThan(8);
    expect(pool.every((t) => Number.isInteger(t) && t >= 0 && t < 8)).toBe(true);
    expect([...pool].sort((a, b) => a - b)).toEqual(pool);
    expect(logs.some((l) => l.startsWith(`task selection: ${pool.length} of 8 tasks solved at least once in 8 attempts`))).toBe(true);

    const resumed = await train({ iterations: 3, db, checkpointDir: ck, resume: true });
    expect(resumed.runId).toBe(first.runId);
    expect(resumed.taskPool).toEqual(pool);
    const store = openStore(db);
    try {
      const its = store.listIterations(first.runId);
      expect(its).toHaveLength(3);
      for (const it of its) {
        expect(it.metrics['select/tasks_kept']).toBe(pool.length);
        expect(it.metrics['select/env_steps']).toBeGreaterThan(0);
      }
      const ids = new Set(store.listEpisodes({ runId: first.runId }, { limit: 1000 }).episodes.map((e) => e.taskId));
      expect(ids.size).toBeGreaterThan(0);
      const indices = [...ids].map((id) => Number(/(\d+)$/.exec(id as string)![1]));
      for (const i of indices) expect(pool).toContain(i);
    } finally {
      store.close();
    }
  });

  it('stops with NO_TASKS_SELECTED when the starting policy solves nothing, and marks the run failed', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'ludus.db');
    const run = train({ ...TINY, algo: 'grpo', init: 'scratch', maxSteps: 1, trainTasks: 2, selectTasks: 2, db, checkpointDir: path.join(dir, 'ck') });
    await expect(run).rejects.toBeInstanceOf(TrainerError);
    await expect(run).rejects.toMatchObject({ code: 'NO_TASKS_SELECTED', message: expect.stringContaining('none of the 2 tasks') });
    const store = openStore(db);
    try {
      expect(store.listRuns()[0]?.status).toBe('failed');
    } finally {
      store.close();
    }
  });

  it('is refused on a multi-agent env before any work', async () => {
    const dir = tempDir();
    await expect(train({ env: 'kuhn-poker-v1', selectTasks: 4, init: 'scratch', db: path.join(dir, 'l.db'), checkpointDir: path.join(dir, 'ck') })).rejects.toThrow(
      /selectTasks: kuhn-poker-v1 is a multi-agent env/,
    );
  });
});
