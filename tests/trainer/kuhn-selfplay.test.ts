import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import type { KuhnStrategy } from '../../agents/kuhn/strategy-agent.js';
import { exploitability } from '../../trainer/cfr/evaluation.js';
import { kuhnGame, kuhnPolicyOf } from '../../trainer/cfr/kuhn-game.js';
import { averageStrategy, kuhnStrategyOfPolicy } from '../../trainer/cfr/kuhn-policy-strategy.js';
import { train } from '../../trainer/train.js';
import { openStore } from '../../replay/store.js';

describe('self-play on kuhn-poker-v1', () => {
  it('the learned average policy is less exploitable than the uniform policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-kuhn-'));
    const strategies: KuhnStrategy[] = [];
    const result = await train(
      { env: 'kuhn-poker-v1', algo: 'grpo', init: 'scratch', demos: 0, iterations: 30, groups: 6, groupSize: 8, lr: 3e-3, seed: 1, db: join(dir, 'k.db'), checkpointDir: join(dir, 'ck'), checkpointEvery: 100 },
      { onPolicy: async (_it, policy) => void strategies.push(await kuhnStrategyOfPolicy(policy)) },
    );
    expect(result.status).toBe('finished');
    const uniform = exploitability(kuhnGame, new Map());
    const learned = exploitability(kuhnGame, kuhnPolicyOf(averageStrategy(strategies)));
    expect(learned).toBeLessThan(uniform);
    // Every seat of every game is recorded, with its seat.
    const store = openStore(join(dir, 'k.db'));
    try {
      const page = store.listEpisodes({ runId: result.runId }, { limit: 500 });
      expect(new Set(page.episodes.map((e) => e.seat))).toEqual(new Set([0, 1]));
      expect(page.episodes.every((e) => /\/seat[01]$/.test(e.groupId ?? ''))).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);
});
