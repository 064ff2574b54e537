import { beforeAll, describe, expect, it } from 'vitest';
import { makeBuiltinAgent } from '../../agents/builtin-agents.js';
import { parseEntrantList, resolveEntrants } from '../../league/entrants.js';
import { playLeague } from '../../league/play-league.js';
import { standingsMarkdown } from '../../league/report.js';
import { verifyLeagueGame } from '../../replay/game-replay.js';
import { LeagueStore } from '../../replay/league-store.js';
import { openStore } from '../../replay/store.js';
import { buildLeagueFixture, type LeagueFixture } from './fixture.js';

let fx: LeagueFixture;
beforeAll(async () => {
  fx = await buildLeagueFixture();
}, 60_000);

describe('playLeague', () => {
  it('plays the scheduled games, one side per entrant, and reports standings with intervals and ratings', () => {
    const { games, standings } = fx.result;
    expect(games).toHaveLength(18);
    expect(games.map((g) => g.plan.index)).toEqual([...Array(18).keys()]);
    for (const g of games) {
      expect(['wolves', 'village', 'draw']).toContain(g.winner);
      for (const s of g.seats) expect(s.entrant).toBe(s.role === 'werewolf' ? g.plan.wolves : g.plan.village);
      const wolvesWon = g.winner === 'wolves';
      for (const s of g.seats) expect(s.reward).toBe(g.winner === 'draw' ? 0 : (s.role === 'werewolf') === wolvesWon ? 1 : -1);
    }
    expect(standings.games).toBe(18);
    expect(standings.pairings).toHaveLength(9);
    for (const e of standings.entrants) {
      expect(e.sides.wolves.trials).toBe(6);
      expect(e.sides.village.trials).toBe(6);
      expect(e.sides.wolves.low).toBeLessThanOrEqual(e.sides.wolves.rate);
      expect(e.rating).not.toBeNull();
    }
    const md = standingsMarkdown(standings).join('\n');
    expect(md).toContain('| agent | win rate [95% CI] | as werewolves | as village | Elo | OpenSkill μ ± σ (ordinal) |');
    expect(md).toMatch(/\| bot:strong \| \d+\.\d% \[\d+\.\d, \d+\.\d\] \(n=12\)/);
  });

  it('is reproducible: the same entrants, seed and games give the same games and standings', async () => {
    const run = async () => {
      const entrants = ['bot:naive', 'bot:basic'].map((n, i) => ({ name: n, agent: makeBuiltinAgent('werewolf-v1', n, i) }));
      const r = await playLeague({ entrants, games: 8, seed: 3, concurrency: 3 });
      return JSON.stringify({ games: r.games.map((g) => g.replay), standings: r.standings });
    };
    expect(await run()).toBe(await run());
  });

  it('refuses a duplicate entrant, no entrants and a bad game count', async () => {
    const agent = makeBuiltinAgent('werewolf-v1', 'bot:basic', 1);
    await expect(playLeague({ entrants: [{ name: 'a', agent }, { name: 'a', agent }], games: 2 })).rejects.toThrow(/listed twice/);
    await expect(playLeague({ entrants: [], games: 2 })).rejects.toThrow(/at least one entrant/);
    await expect(playLeague({ entrants: [{ name: 'a', agent }], games: 0 })).rejects.toThrow(/games must be/);
    expect(() => parseEntrantList('bot:basic,bot:basic')).toThrow(/listed twice/);
    await expect(resolveEntrants('werewolf-v1', ['bot:expert'], 0)).rejects.toMatchObject({ code: 'AGENT_UNKNOWN' });
    await expect(resolveEntrants('werewolf-v1', ['llm:gpt'], 0)).rejects.toMatchObject({ code: 'LLM_AGENT_NAME_INVALID' });
  });

  it('stops after the current batch when aborted', async () => {
    const abort = new AbortController();
    const entrants = [{ name: 'bot:random', agent: makeBuiltinAgent('werewolf-v1', 'bot:random', 1) }];
    const r = await playLeague({ entrants, games: 10, concurrency: 2, signal: abort.signal, onBatch: () => abort.abort() });
    expect(r.stopped).toBe(true);
    expect(r.games).toHaveLength(2);
  });
});

describe('a recorded league', () => {
  it('keeps the league, its games, seats, standings and ratings in the store', () => {
    const store = openStore(fx.db, { readonly: true });
    try {
      const leagues = new LeagueStore(store);
      const league = leagues.getLeague(fx.leagueId)!;
      expect(league).toMatchObject({ name: 'fixture-league', envId: 'werewolf-v1', status: 'finished', games: 18, entrants: ['bot:basic', 'bot:strong', 'hostile'] });
      expect((league.standings as { games: number }).games).toBe(18);
      expect(leagues.ratings(fx.leagueId).map((r) => r.agent).sort()).toEqual(['bot:basic', 'bot:strong', 'hostile']);
      const page = leagues.listGames(fx.leagueId, { limit: 5, offset: 5 });
      expect(page.total).toBe(18);
      expect(page.games.map((g) => g.index)).toEqual([5, 6, 7, 8, 9]);
      expect(leagues.listGames(fx.leagueId, { agent: 'hostile' }).total).toBe(10); // 5 pairings of 9 involve it, twice
      const game = leagues.getGame(page.games[0]!.id)!;
      expect(game.seats).toHaveLength(7);
      expect(game.replay).toMatchObject({ envId: 'werewolf-v1', reset: { seed: expect.any(Number) } });
      expect(() => leagues.createLeague({ envId: 'werewolf-v1', entrants: [] })).toThrow(/read-only/);
    } finally {
      store.close();
    }
  });

  it('re-simulates every game to the recorded outcome (replay --verify game:ID)', async () => {
    const store = openStore(fx.db, { readonly: true });
    try {
      const leagues = new LeagueStore(store);
      for (const g of leagues.listGames(fx.leagueId, { limit: 100 }).games) {
        const report = await verifyLeagueGame(leagues, g.id);
        expect(report.identical, JSON.stringify(report.drift)).toBe(true);
      }
      await expect(verifyLeagueGame(leagues, 99_999)).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    } finally {
      store.close();
    }
  });

  it('reports drift when a recorded game does not re-simulate to its outcome', async () => {
    const store = openStore(fx.db);
    try {
      const leagues = new LeagueStore(store);
      const g = leagues.listGames(fx.leagueId, { limit: 1 }).games[0]!;
      store.db.prepare(`UPDATE league_games SET winner = CASE winner WHEN 'wolves' THEN 'village' ELSE 'wolves' END WHERE id = ?`).run(g.id);
      const report = await verifyLeagueGame(leagues, g.id);
      expect(report.identical).toBe(false);
      expect(report.drift!.field).toBe('winner');
      store.db.prepare(`UPDATE league_games SET winner = ? WHERE id = ?`).run(g.winner, g.id);
    } finally {
      store.close();
    }
  });
});
