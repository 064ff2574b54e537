import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { makeMulti } from '../../envs/core/registry.js';
import { openStore } from '../../replay/store.js';
import { opponentForGame, opponentNames } from '../../trainer/collectors.js';
import { train } from '../../trainer/train.js';

describe('training one side of a game with teams (werewolf-v1)', () => {
  it('holds the seats the deal gives the team, warm-started on a bot, and records only those seats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-team-'));
    const lines: string[] = [];
    const result = await train(
      { env: 'werewolf-v1', algo: 'grpo', seats: 'team:wolves', opponent: 'bot:basic', demoAgent: 'bot:basic', demos: 6, sftEpochs: 1, iterations: 1, groups: 2, groupSize: 2, maxSteps: 200, db: join(dir, 'w.db'), checkpointDir: join(dir, 'ck') },
      { log: (l) => lines.push(l) },
    );
    expect(result.status).toBe('finished');
    expect(lines.some((l) => /SFT warm start: 6 bot:basic episodes/.test(l))).toBe(true);
    const store = openStore(join(dir, 'w.db'));
    try {
      const page = store.listEpisodes({ runId: result.runId }, { limit: 100 });
      // Two werewolves per game, 2 games × 2 copies: 8 trajectories, every one a werewolf's.
      expect(page.episodes).toHaveLength(8);
      for (const e of page.episodes) {
        const episode = store.getEpisode(e.id)!;
        expect(episode.steps[0]!.observation.text).toContain(`You are player ${e.seat}; your role is "werewolf".`);
      }
      // A group is one role's view of the copies of one deal.
      const groups = new Map<string, number>();
      for (const e of page.episodes) groups.set(e.groupId!, (groups.get(e.groupId!) ?? 0) + 1);
      expect([...groups.values()].every((n) => n === 2)).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);

  it('refuses a team on an env that deals none, and an unknown demo agent, with clear errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-team-'));
    await expect(train({ env: 'kuhn-poker-v1', init: 'scratch', seats: 'team:first', iterations: 1, groups: 1, groupSize: 1, db: join(dir, 'k.db'), checkpointDir: join(dir, 'ck') })).rejects.toThrow(/does not deal teams/);
    await expect(train({ env: 'werewolf-v1', seats: 'team:wolf', opponent: 'bot:basic', demoAgent: 'bot:basic', demos: 2, sftEpochs: 1, iterations: 1, groups: 1, groupSize: 1, db: join(dir, 'x.db'), checkpointDir: join(dir, 'ck3') })).rejects.toThrow(
      /deals no team 'wolf'.*team:(wolves|village), team:(wolves|village)/,
    );
    await expect(train({ env: 'werewolf-v1', demoAgent: 'bot:genius', iterations: 1, db: join(dir, 'w.db'), checkpointDir: join(dir, 'ck2') })).rejects.toThrow(/no built-in agent 'bot:genius'/);
  }, 60_000);

  it('trains against a mix of bots: each group meets one, the same in every copy, drawn from its deal', async () => {
    expect(opponentNames({ env: 'werewolf-v1', opponent: 'bot:basic, bot:strong,bot:basic' })).toEqual(['bot:basic', 'bot:strong']);
    expect(opponentNames({ env: 'werewolf-v1', opponent: 'bot:strong,' })).toEqual(['bot:strong']);
    expect(() => opponentNames({ env: 'werewolf-v1', opponent: ' , ' })).toThrow(/name at least one built-in agent of werewolf-v1/);
    expect(() => opponentNames({ env: 'werewolf-v1', opponent: 'bot:basic,bot:genius' })).toThrow(/no built-in agent 'bot:genius' \(it has .*bot:strong/);
    const env = makeMulti('werewolf-v1');
    const drawn: string[] = [];
    for (let seed = 0; seed < 24; seed++) {
      const first = await env.reset({ seed });
      const again = await env.reset({ seed });
      const name = opponentForGame(['bot:basic', 'bot:strong'], first);
      expect(opponentForGame(['bot:basic', 'bot:strong'], again)).toBe(name);
      drawn.push(name);
    }
    await env.close();
    expect(new Set(drawn)).toEqual(new Set(['bot:basic', 'bot:strong']));
    const dir = mkdtempSync(join(tmpdir(), 'ludus-team-'));
    const result = await train(
      { env: 'werewolf-v1', algo: 'grpo', seats: 'team:village', opponent: 'bot:basic,bot:strong', demoAgent: 'bot:basic', demos: 4, sftEpochs: 1, iterations: 1, groups: 4, groupSize: 2, maxSteps: 200, db: join(dir, 'm.db'), checkpointDir: join(dir, 'ck') },
      { log: () => {} },
    );
    expect(result.status).toBe('finished');
  }, 120_000);
});
