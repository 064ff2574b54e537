import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeagueStore } from '../../../replay/league-store.js';
import { openStore } from '../../../replay/store.js';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { buildLeagueFixture, HOSTILE_SPEECH, type LeagueFixture } from '../../league/fixture.js';

let fx: LeagueFixture;
let viewer: Viewer;
let gameIds: number[];
let hostileGame: number;

beforeAll(async () => {
  fx = await buildLeagueFixture();
  viewer = await startViewer({ db: fx.db, port: 0, host: '127.0.0.1' });
  const leagues = new LeagueStore(viewer.store);
  const games = leagues.listGames(fx.leagueId, { limit: 100 }).games;
  gameIds = games.map((g) => g.id);
  hostileGame = games.find((g) => g.village === 'hostile')!.id;
}, 60_000);

afterAll(async () => {
  await viewer?.close();
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(viewer.url + path);
  return { status: res.status, body: await res.text() };
}

describe('league pages', () => {
  it('lists the leagues and links them from the header', async () => {
    const { status, body } = await get('/leagues');
    expect(status).toBe(200);
    expect(body).toContain('<a href="/leagues">leagues</a>');
    expect(body).toContain(`<a href="/leagues/${fx.leagueId}">fixture-league</a>`);
    expect(body).toContain('bot:basic, bot:strong, hostile');
  });

  it('shows standings with intervals per side and role, ratings, the pairing matrix and the games', async () => {
    const { status, body } = await get(`/leagues/${fx.leagueId}`);
    expect(status).toBe(200);
    for (const h of ['Ratings and win rates per side', 'Win rate per role', "Werewolves' win rate by pairing", 'Games']) expect(body).toContain(h);
    expect(body).toMatch(/\d+\.\d% <span class="small">\[\d+\.\d, \d+\.\d\] n=12<\/span>/);
    expect(body.match(/href="\/games\/\d+"/g)?.length).toBe(18);
    const filtered = await get(`/leagues/${fx.leagueId}?agent=hostile&winner=wolves`);
    expect(filtered.status).toBe(200);
    expect(filtered.body).toMatch(/\d+ games?, 1–\d+ shown|0 games\./);
    const paged = await get(`/leagues/${fx.leagueId}?limit=5&offset=5`);
    expect(paged.body).toContain('6–10 shown');
    expect(paged.body).toContain('next »');
  });

  it('answers bad league requests with clear errors', async () => {
    expect((await get('/leagues/999')).status).toBe(404);
    expect((await get('/leagues/x')).status).toBe(400);
    expect((await get(`/leagues/${fx.leagueId}?winner=nobody`)).body).toContain('must be wolves, village or draw');
    expect((await get(`/leagues/${fx.leagueId}?colour=red`)).status).toBe(400);
  });
});

describe('the game page', () => {
  it('shows the omniscient timeline: cast with roles, nights with every night action, speeches and votes', async () => {
    const { status, body } = await get(`/games/${gameIds[0]}`);
    expect(status).toBe(200);
    for (const text of ['<h2>Cast</h2>', 'Night 1</h3>', 'Day 1</h3>', 'checks', 'protects', 'the werewolves attack', 'Game over']) expect(body).toContain(text);
    expect(body).toMatch(/class="ballots"/);
    expect(body).toContain('everything (omniscient)');
  });

  it('shows exactly what one seat saw, with its own private lines and not another seat\'s', async () => {
    const leagues = new LeagueStore(viewer.store);
    const game = leagues.getGame(gameIds[1]!)!;
    const wolf = game.seats.find((s) => s.role === 'werewolf')!.seat;
    const villager = game.seats.find((s) => s.role === 'villager')!.seat;
    const w = await get(`/games/${game.id}?seat=${wolf}`);
    expect(w.status).toBe(200);
    expect(w.body).toContain(`What player ${wolf}`);
    expect(w.body).toContain(`private to player ${wolf}: your role is &quot;werewolf&quot;`);
    expect(w.body).toContain('The exact observation player');
    const v = await get(`/games/${game.id}?seat=${villager}`);
    expect(v.body).toContain(`private to player ${villager}: your role is &quot;villager&quot;`);
    expect(v.body).not.toMatch(new RegExp(`private to player (?!${villager}:)\\d`));
    expect(v.body).not.toContain('the werewolves attack');
    expect((await get(`/games/${game.id}?seat=7`)).status).toBe(400);
    expect((await get('/games/999999')).status).toBe(404);
  });

  it('renders hostile speech as inert text', async () => {
    for (const path of [`/games/${hostileGame}`, `/games/${hostileGame}?seat=0`]) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body).not.toContain('<script>window.__pwned');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script&gt;window.__pwned = 1; alert(&#39;xss&#39;)&lt;/script&gt;');
      expect(body).not.toContain('\u202E');
    }
    expect(HOSTILE_SPEECH).toContain('<script>');
  });

  it('serves the league and game as JSON', async () => {
    const league = JSON.parse((await get(`/api/leagues/${fx.leagueId}`)).body);
    expect(league.ratings).toHaveLength(3);
    const game = JSON.parse((await get(`/api/games/${gameIds[0]}`)).body);
    expect(game.replay.actions.length).toBe(game.steps);
  });
});

describe('the store the viewer reads', () => {
  it('is opened read-only', () => {
    expect(viewer.store.options.readonly).toBe(true);
    const s = openStore(fx.db, { readonly: true });
    s.close();
  });
});

describe('re-simulating a game for the page', () => {
  it('sets make\'s own options aside and replays the env options', async () => {
    const { replayWerewolfGame } = await import('../../../replay/viewer/werewolf-game-page.js');
    const { makeMulti } = await import('../../../envs/core/registry.js');
    const { runGame } = await import('../../../agents/run-game.js');
    const { makeWerewolfBot } = await import('../../../agents/werewolf/bots.js');
    const envOptions = { discussion: 'bidding', maxEpisodeSteps: 400, invalidActionPolicy: 'penalty' } as const;
    const bot = makeWerewolfBot('basic', 1);
    const game = await runGame(makeMulti('werewolf-v1', envOptions), () => bot, { reset: { seed: 3 } });
    const replay = replayWerewolfGame({ envId: 'werewolf-v1', envOptions, reset: { seed: 3 }, actions: game.log.map((e) => e.actions) });
    expect(replay.steps).toHaveLength(game.log.length);
    expect(replay.steps.at(-1)!.result.info.winner).toBe(game.info.winner);
    expect(replay.steps.some((s) => (s.result.info.events as unknown as { type: string }[]).some((e) => e.type === 'floor'))).toBe(true);
  });
});
