import { describe, expect, it } from 'vitest';
import { LatentStore } from '../../../replay/latent-store.js';
import { openStore } from '../../../replay/store.js';
import { createHandler } from '../../../replay/viewer/server.js';

function lspoStore() {
  const store = openStore(':memory:');
  const runId = store.createRun({ kind: 'train', envId: 'werewolf-v1', algo: 'lspo', name: 'lspo-run' });
  const latent = new LatentStore(store);
  const cluster = (role: string, id: number, rep: string, centroid: number[]) => ({
    role,
    cluster: id,
    size: 10 + id,
    distinct: 2,
    representative: rep,
    examples: [{ utterance: rep, count: 7, distance: 0.1 }, { utterance: '<script>alert(1)</script>', count: 3, distance: 0.4 }],
    centroid,
  });
  store.recordIteration(runId, 1, {}, []);
  latent.record(runId, 1, [cluster('werewolf', 0, 'say[I am a villager.]', [1, 0, 0]), cluster('werewolf', 1, 'say[Player 3 is a werewolf.]', [0, 1, 0])], [{ infoSet: 'werewolf|r1', role: 'werewolf', probs: [0.25, 0.75] }]);
  store.recordIteration(runId, 2, {}, []);
  latent.record(runId, 2, [cluster('werewolf', 0, 'say[I am a villager.]', [1, 0, 0]), cluster('werewolf', 1, 'say[I am the seer. I checked player 2: a werewolf.]', [0, 0, 1]), cluster('seer', 0, 'say[I am the seer.]', [1, 0, 0])], [{ infoSet: 'werewolf|r1', role: 'werewolf', probs: [0.4, 0.6] }]);
  const plain = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'gigpo' });
  return { store, runId, plain };
}

describe('viewer: latent strategies of an LSPO run', () => {
  it('lists each role’s clusters with examples, σ, and what is new since the previous iteration', () => {
    const { store, runId } = lspoStore();
    const handle = createHandler(store);
    const run = handle('GET', `/runs/${runId}`);
    expect(run.body).toContain(`/runs/${runId}/latent`);
    const page = handle('GET', `/runs/${runId}/latent`);
    expect(page.status).toBe(200);
    const body = String(page.body);
    expect(body).toContain('<h2>seer</h2>');
    expect(body).toContain('<h2>werewolf</h2>');
    expect(body).toContain('I checked player 2: a werewolf.');
    expect(body).toMatch(/1 <span class="badge info">new<\/span>/);
    expect(body).toContain('No longer present (iteration 1)');
    expect(body).toContain('Player 3 is a werewolf.');
    expect(body).toContain('0.4');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('&lt;script&gt;');
    const first = String(handle('GET', `/runs/${runId}/latent?iteration=1&role=werewolf`).body);
    expect(first).not.toContain('<h2>seer</h2>');
    expect(first).not.toContain('badge info">new');
    store.close();
  });

  it('a run without latent spaces has no such page; bad parameters are 400', () => {
    const { store, runId, plain } = lspoStore();
    const handle = createHandler(store);
    expect(handle('GET', `/runs/${plain}`).body).not.toContain('/latent');
    expect(handle('GET', `/runs/${plain}/latent`).status).toBe(404);
    expect(handle('GET', `/runs/${runId}/latent?iteration=x`).status).toBe(400);
    expect(handle('GET', `/runs/${runId}/latent?foo=1`).status).toBe(400);
    store.close();
  });
});
