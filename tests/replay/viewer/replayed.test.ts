import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../replay/store.js';
import { startViewer } from '../../../replay/viewer/server.js';
import { makeEpisode } from '../fixtures/records.js';

describe('viewer: ARPO replayed trajectories', () => {
  it('marks a replayed trajectory in the episode list, on its page and in its group', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ludus-viewer-replayed-')), 'replayed.db');
    const store = openStore(db);
    const runId = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'arpo', name: 'arpo-run' });
    const fresh = makeEpisode({ groupId: 'i0g0', trajId: 'i0g0/1' });
    const replayed = { ...makeEpisode({ groupId: 'i0g0', trajId: 'i0g0/replay3', success: true }), replayed: true };
    const [replayedId, freshId] = store.recordIteration(runId, 0, { 'charts/success_rate': 0 }, [replayed, fresh]);
    store.close();
    const viewer = await startViewer({ db, port: 0, host: '127.0.0.1' });
    try {
      const text = async (p: string) => (await fetch(viewer.url + p)).text();
      const list = await text(`/episodes?run=${runId}`);
      expect(list.match(/badge info">replayed/g)).toHaveLength(1);
      expect(await text(`/episodes/${replayedId}`)).toMatch(/badge info">replayed[\s\S]*replayed from the buffer/);
      expect(await text(`/episodes/${freshId}`)).not.toContain('badge info">replayed');
      const group = await text(`/group?run=${runId}&iteration=0&group=i0g0`);
      expect(group.match(/badge info">replayed/g)).toHaveLength(1);
    } finally {
      await viewer.close();
    }
  });
});
