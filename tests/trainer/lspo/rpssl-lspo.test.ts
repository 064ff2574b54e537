import { beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { selectBackend } from '../../../agents/policy/index.js';
import { LatentStore } from '../../../replay/latent-store.js';
import { openStore } from '../../../replay/store.js';
import { runLspo } from '../../../trainer/lspo/run-lspo.js';

describe('LSPO on rock-paper-scissors-Spock-lizard with words (the known answer)', () => {
  beforeAll(async () => {
    await selectBackend();
  });

  it('the lopsided speaker starts exploitable (~0.2) and is within 0.05 of the equilibrium within 3 iterations', async () => {
    const store = openStore(':memory:');
    const result = await runLspo({ envId: 'rpssl-v1', iterations: 3, games: 100, kmeansRestarts: 6, solverIterations: 5000, seed: 1 }, { store });
    const exploit = [result.initial.exploitability!, ...result.iterations.map((it) => it.metrics['speaker/exploitability']!)];
    expect(exploit[0]).toBeGreaterThan(0.15);
    expect(Math.min(...exploit.slice(1))).toBeLessThanOrEqual(0.05);
    expect(exploit[3]).toBeLessThanOrEqual(0.05);
    // DPO brings the speaker's mass on each latent strategy to the latent policy's.
    const first = result.iterations[0]!.metrics;
    expect(first['align/gap_before']).toBeGreaterThan(0.1);
    expect(first['align/gap_after']).toBeLessThan(first['align/gap_before']! / 3);
    for (const it of result.iterations) {
      expect(it.metrics['latent/clusters/player']).toBe(5);
      expect(it.metrics['latent/exploitability']).toBeLessThan(0.05);
    }
    // The run, its iterations (0 = the initial speaker) and its latent spaces are in the store.
    const runs = store.listRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ algo: 'lspo', status: 'finished', envId: 'rpssl-v1' });
    expect(store.listIterations(result.runId!).map((i) => i.iteration)).toEqual([0, 1, 2, 3]);
    const clusters = new LatentStore(store).clusters(result.runId!, { iteration: 3 });
    expect(clusters).toHaveLength(5);
    expect(clusters.every((c) => c.examples.length > 0 && c.representative.startsWith('say['))).toBe(true);
    expect(store.countEpisodes({ runId: result.runId! })).toBe(3 * 4 * 2);
    result.speaker.dispose();
    store.close();
  }, 60_000);
});
