import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../envs/core/rng.js';
import { MemoryReplayBuffer, type ReplayBuffer } from '../../replay/replay-buffer.js';
import { openStore, type RunStore } from '../../replay/store.js';
import type { ReplayInput } from '../../replay/types.js';

function traj(taskId: string, n: number, envId = 'household-v1'): ReplayInput {
  return { envId, taskId, return: 1 + n / 100, trajectory: { actions: [`a${n}`], seed: n } };
}

/** The same contract for every implementation (style.md item 7). */
function runReplayContract(name: string, newBuffer: (capacity?: number) => ReplayBuffer, cleanup: () => void): void {
  describe(`ReplayBuffer contract: ${name}`, () => {
    afterEach(cleanup);

    it('default to ARPO capacity 8 and start empty', () => {
      const buf = newBuffer();
      expect(buf.capacity).toBe(8);
      expect(buf.size('household-v1', 'task-0')).toBe(0);
      expect(buf.sample('household-v1', 'task-0')).toBeNull();
      expect(buf.list('household-v1', 'task-0')).toEqual([]);
    });

    it('evict FIFO at capacity: the oldest go first', () => {
      const buf = newBuffer(3);
      const evictions = [0, 1, 2, 3, 4].map((n) => buf.add(traj('task-0', n)).evicted);
      expect(evictions).toEqual([0, 0, 0, 1, 1]);
      expect(buf.size('household-v1', 'task-0')).toBe(3);
      const kept = buf.list('household-v1', 'task-0');
      expect(kept.map((e) => e.trajectory)).toEqual([2, 3, 4].map((n) => ({ actions: [`a${n}`], seed: n })));
      expect(kept.map((e) => e.return)).toEqual([1.02, 1.03, 1.04]);
      expect(kept[0]).toMatchObject({ envId: 'household-v1', taskId: 'task-0', runId: null, episodeId: null, scope: '' });
    });

    it('keep tasks (and envs) apart: one task filling up never evicts another', () => {
      const buf = newBuffer(2);
      buf.add(traj('task-a', 1));
      for (let n = 0; n < 5; n++) buf.add(traj('task-b', n));
      buf.add(traj('task-a', 1, 'shop-v1'));
      expect(buf.size('household-v1', 'task-a')).toBe(1);
      expect(buf.size('household-v1', 'task-b')).toBe(2);
      expect(buf.size('shop-v1', 'task-a')).toBe(1);
      expect(buf.sample('household-v1', 'task-a')!.trajectory).toEqual({ actions: ['a1'], seed: 1 });
      expect(buf.sample('household-v1', 'task-c')).toBeNull();
    });

    it('sample uniformly with replacement from the task, reproducibly with a seeded source', () => {
      const buf = newBuffer(4);
      for (let n = 0; n < 4; n++) buf.add(traj('task-0', n));
      const draw = (seed: number) => {
        const rng = new Rng(seed);
        return Array.from({ length: 400 }, () => (buf.sample('household-v1', 'task-0', () => rng.next())!.trajectory as { seed: number }).seed);
      };
      const a = draw(1);
      expect(draw(1)).toEqual(a);
      const counts = [0, 1, 2, 3].map((k) => a.filter((x) => x === k).length);
      for (const c of counts) expect(c).toBeGreaterThan(60); // 100 expected each
      // Edge values of the source map to the first and the last entry.
      expect((buf.sample('household-v1', 'task-0', () => 0)!.trajectory as { seed: number }).seed).toBe(0);
      expect((buf.sample('household-v1', 'task-0', () => 0.999999)!.trajectory as { seed: number }).seed).toBe(3);
      expect((buf.sample('household-v1', 'task-0', () => 1)!.trajectory as { seed: number }).seed).toBe(3);
    });

    it('evict explicitly down to keep, and clear', () => {
      const buf = newBuffer(5);
      for (let n = 0; n < 5; n++) buf.add(traj('task-0', n));
      buf.add(traj('task-1', 0));
      expect(buf.evict('household-v1', 'task-0', 2)).toBe(3);
      expect(buf.list('household-v1', 'task-0').map((e) => (e.trajectory as { seed: number }).seed)).toEqual([3, 4]);
      expect(buf.evict('household-v1', 'task-0')).toBe(0);
      expect(() => buf.evict('household-v1', 'task-0', -1)).toThrow(RangeError);
      buf.clear();
      expect(buf.size('household-v1', 'task-0') + buf.size('household-v1', 'task-1')).toBe(0);
    });

    it('return copies: mutating a sample does not change the buffer', () => {
      const buf = newBuffer();
      buf.add(traj('task-0', 1));
      const s = buf.sample('household-v1', 'task-0')!;
      (s.trajectory as { seed: number }).seed = 99;
      expect((buf.sample('household-v1', 'task-0')!.trajectory as { seed: number }).seed).toBe(1);
    });

    it('refuse a capacity that is not a positive integer', () => {
      expect(() => newBuffer(0)).toThrow(RangeError);
      expect(() => newBuffer(1.5)).toThrow(RangeError);
    });
  });
}

runReplayContract(
  'MemoryReplayBuffer',
  (capacity) => new MemoryReplayBuffer({ capacity }),
  () => {},
);

let memStore: RunStore | undefined;
runReplayContract(
  'SQLite (RunStore.replayBuffer)',
  (capacity) => {
    memStore ??= openStore(':memory:');
    return memStore.replayBuffer({ capacity });
  },
  () => {
    memStore?.close();
    memStore = undefined;
  },
);

describe('SQLite replay buffer', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('persist across reopen, keep scopes apart, record provenance, and use the store default capacity', () => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-replay-'));
    const path = join(dir, 'ludus.db');
    const a = openStore(path, { replayCapacity: 2 });
    const runId = a.createRun({ kind: 'train', envId: 'household-v1', algo: 'arpo' });
    const shared = a.replayBuffer();
    const mine = a.replayBuffer({ scope: `run:${runId}` });
    expect(shared.capacity).toBe(2);
    for (let n = 0; n < 3; n++) shared.add(traj('task-0', n));
    const added = mine.add({ ...traj('task-0', 7), runId });
    expect(added.entry).toMatchObject({ scope: `run:${runId}`, runId, return: 1.07, createdAt: expect.any(Number) });
    expect(mine.size('household-v1', 'task-0')).toBe(1);
    expect(shared.size('household-v1', 'task-0')).toBe(2);
    mine.clear();
    expect(shared.size('household-v1', 'task-0')).toBe(2);
    expect(() => mine.add({ ...traj('task-0', 1), runId: 404 })).toThrow(/does not exist/);
    a.close();

    const b = openStore(path);
    expect(b.replayBuffer().list('household-v1', 'task-0').map((e) => (e.trajectory as { seed: number }).seed)).toEqual([1, 2]);
    b.close();
  });
});
