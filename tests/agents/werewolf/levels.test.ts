/**
 * The bot levels are ordered on win rate per side: strong > basic > naive > random, each level
 * holding one side against every level (the league's sides schedule). The benchmark
 * (`npm run bench:werewolf`) measures it on 1,000 games per level and side with intervals; this
 * test checks the direction on fewer games (96 per pairing, 384 per level and side).
 */
import { describe, expect, it } from 'vitest';
import { makeBuiltinAgent } from '../../../agents/builtin-agents.js';
import { playLeague } from '../../../league/play-league.js';

const LEVELS = ['bot:random', 'bot:naive', 'bot:basic', 'bot:strong'];

describe('bot levels', () => {
  it('are ordered on win rate per side: strong > basic > naive > random', async () => {
    const entrants = LEVELS.map((name, i) => ({ name, agent: makeBuiltinAgent('werewolf-v1', name, i) }));
    const { standings } = await playLeague({ entrants, games: 16 * 96, split: 'valid', seed: 0 });
    const rate = (name: string, side: 'wolves' | 'village') => standings.entrants.find((e) => e.entrant === name)!.sides[side].rate;
    for (const side of ['wolves', 'village'] as const) {
      const rates = LEVELS.map((l) => rate(l, side));
      for (let i = 1; i < rates.length; i++) expect(rates[i], `${side}: ${LEVELS.map((l, j) => `${l} ${rates[j]!.toFixed(3)}`).join(', ')}`).toBeGreaterThan(rates[i - 1]!);
    }
  }, 180_000);
});
