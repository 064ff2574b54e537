import { beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { ActionScorer, selectBackend } from '../../../agents/policy/index.js';
import { lspoDomainFor } from '../../../trainer/lspo/domains/index.js';
import { selfPlay } from '../../../trainer/lspo/self-play.js';
import { runLspo } from '../../../trainer/lspo/run-lspo.js';
import { LatentStore } from '../../../replay/latent-store.js';
import { openStore } from '../../../replay/store.js';

describe('the werewolf-v1 LSPO domain', () => {
  beforeAll(async () => {
    await selectBackend();
  });

  it('self-play reads every discussion turn: role, information set, the speech pool and its embedding texts', async () => {
    const domain = lspoDomainFor('werewolf-v1');
    const speaker = ActionScorer.create({ featurizer: { dim: 512 }, hidden: 8, mlpHidden: 8, seed: 1 });
    const r = await selfPlay(domain, speaker, { games: 6, concurrency: 6, proposals: 3, seed: 4, keepGames: 1 });
    expect(r.played).toBe(6);
    expect(r.failed).toBe(0);
    expect(new Set(r.speech.map((s) => s.role))).toEqual(new Set(['werewolf', 'seer', 'doctor', 'villager']));
    for (const s of r.speech) {
      expect(s.infoSet).toMatch(new RegExp(`^${s.role}\\|d[123]\\|claim[01]\\|accused[01]${s.role === 'seer' ? '\\|found[01]' : ''}$`));
      expect(s.pool.every((a) => a.startsWith('say['))).toBe(true);
      expect(s.embedTexts).toHaveLength(s.pool.length);
      expect(s.proposals).toHaveLength(3);
    }
    // Night actions and votes went to the action bot; only speeches were proposed.
    const game = r.games[0]!;
    const said = game.seats.flatMap((seat) => seat.steps.map((st) => st.decision.action));
    expect(said.some((a) => a.startsWith('vote['))).toBe(true);
    expect(said.filter((a) => a.startsWith('say[')).length).toBe(r.speech.filter((s) => s.game === game.key).length);
    speaker.dispose();
  });

  it('one small LSPO iteration end to end: four roles clustered, a latent policy per information set, DPO pairs, all recorded', async () => {
    const store = openStore(':memory:');
    const r = await runLspo(
      { envId: 'werewolf-v1', iterations: 1, games: 8, concurrency: 8, solverIterations: 1, kmeansRestarts: 2, dpoEpochs: 1, recordGames: 1, scorer: { dim: 512, hidden: 8, mlpHidden: 8 } },
      { store },
    );
    const it = r.iterations[0]!;
    expect(Object.keys(it.space.roles).sort()).toEqual(['doctor', 'seer', 'villager', 'werewolf']);
    expect(it.latent.infoSets).toBeGreaterThan(3);
    expect(it.metrics['align/pairs']).toBeGreaterThan(0);
    expect(it.metrics['dpo/steps']).toBeGreaterThan(0);
    const latent = new LatentStore(store);
    expect(new Set(latent.clusters(r.runId!).map((c) => c.role)).size).toBe(4);
    expect(latent.policies(r.runId!).every((p) => /^(werewolf|seer|doctor|villager)\|/.test(p.infoSet))).toBe(true);
    expect(store.countEpisodes({ runId: r.runId! })).toBe(7);
    // The speaker sees what the self-play baseline sees: the entity features are on for werewolf.
    expect(r.speaker.config.featurizer.entityContext).toBe(true);
    expect(r.config.scorer.entityContext).toBe(true);
    r.speaker.dispose();
    store.close();
  }, 60_000);
});
