import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LatentStore } from '../../replay/latent-store.js';
import { openStore } from '../../replay/store.js';

const CLUSTER = { role: 'seer', cluster: 0, size: 12, distinct: 3, representative: 'say[I am the seer.]', examples: [{ utterance: 'say[I am the seer.]', count: 9, distance: 0.25 }], centroid: [0.5, -0.25, 0] };

describe('latent spaces in the store', () => {
  it('round-trips an iteration’s clusters (float32 centroids) and latent policy', () => {
    const store = openStore(':memory:');
    const runId = store.createRun({ kind: 'train', envId: 'werewolf-v1', algo: 'lspo' });
    store.recordIteration(runId, 1, { loss: 0.5 }, []);
    const latent = new LatentStore(store);
    expect(latent.hasLatentSpace(runId)).toBe(false);
    latent.record(runId, 1, [CLUSTER, { ...CLUSTER, role: 'werewolf', cluster: 1 }], [{ infoSet: 'seer|r1', role: 'seer', probs: [0.75, 0.25] }]);
    expect(latent.hasLatentSpace(runId)).toBe(true);
    expect(latent.clusters(runId)).toEqual([
      { ...CLUSTER, runId, iteration: 1 },
      { ...CLUSTER, role: 'werewolf', cluster: 1, runId, iteration: 1 },
    ]);
    expect(latent.clusters(runId, { role: 'werewolf' })).toHaveLength(1);
    expect(latent.clusters(runId, { iteration: 2 })).toEqual([]);
    expect(latent.policies(runId)).toEqual([{ runId, iteration: 1, infoSet: 'seer|r1', role: 'seer', probs: [0.75, 0.25] }]);
    // Recording the iteration again replaces it.
    latent.record(runId, 1, [CLUSTER], []);
    expect(latent.clusters(runId)).toHaveLength(1);
    expect(latent.policies(runId)).toEqual([]);
    store.close();
  });

  it('needs the iteration recorded first, goes with it when deleted, and is refused on a read-only store', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ludus-latent-'));
    const file = path.join(dir, 'runs.db');
    const store = openStore(file);
    const runId = store.createRun({ kind: 'train', envId: 'rpssl-v1', algo: 'lspo' });
    const latent = new LatentStore(store);
    expect(() => latent.record(runId, 3, [CLUSTER], [])).toThrow(expect.objectContaining({ code: 'STORE_NOT_FOUND' }));
    store.recordIteration(runId, 3, {}, []);
    latent.record(runId, 3, [CLUSTER], []);
    store.close();
    const ro = openStore(file, { readonly: true });
    expect(new LatentStore(ro).clusters(runId)).toHaveLength(1);
    expect(() => new LatentStore(ro).record(runId, 3, [CLUSTER], [])).toThrow(expect.objectContaining({ code: 'STORE_READONLY' }));
    ro.close();
    const rw = openStore(file);
    rw.deleteIterationsFrom(runId, 3);
    expect(new LatentStore(rw).clusters(runId)).toEqual([]);
    rw.close();
  });
});
