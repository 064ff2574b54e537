/**
 * The training-league pages: the section on /leagues, one run's league (members, an unloadable
 * checkpoint with its error, ratings, the distribution), the JSON the chart reads — and the chart
 * itself drawn in Chromium with one series per member.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../replay/store.js';
import { TrainLeagueStore } from '../../../replay/train-league-store.js';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';

const CHROMIUM = process.env.LUDUS_CHROMIUM ?? '/usr/bin/chromium';
let dir: string;
let viewer: Viewer;
let runId: number;
let plainRun: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ludus-tl-'));
  const db = join(dir, 'v.db');
  const store = openStore(db);
  runId = store.createRun({ kind: 'train', envId: 'kuhn-poker-v1', algo: 'grpo', name: 'league-run', config: {} });
  plainRun = store.createRun({ kind: 'train', envId: 'kuhn-poker-v1', algo: 'grpo', name: 'plain', config: {} });
  const t = new TrainLeagueStore(store);
  const bot = { name: 'bot:nash', kind: 'bot' as const, iteration: -1, path: null, status: 'active' as const, error: null };
  for (let it = 0; it < 3; it++) {
    const members = [bot, ...(it >= 1 ? [{ name: 'it0', kind: 'checkpoint' as const, iteration: 0, path: '/x/it0', status: it === 2 ? ('unloadable' as const) : ('active' as const), error: it === 2 ? 'ENOENT <model.json>' : null }] : [])];
    t.recordIteration(runId, it, {
      members,
      ratings: [{ member: 'learner', mu: 25 + it, sigma: 8 - it, ordinal: 1 + it, games: 10 * (it + 1) }, { member: 'bot:nash', mu: 25 - it, sigma: 8, ordinal: 0, games: 10 * (it + 1) }, ...(it >= 1 ? [{ member: 'it0', mu: 26, sigma: 7, ordinal: 5, games: it }] : [])],
      payoffs: { learner: { 'bot:nash': { score: 3, games: 4 } } },
      distribution: it === 2 ? { 'bot:nash': 1 } : { 'bot:nash': 0.5, it0: 0.5 },
    });
  }
  store.close();
  viewer = await startViewer({ db, port: 0, host: '127.0.0.1' });
}, 30_000);

afterAll(async () => {
  await viewer?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await fetch(viewer.url + path);
  return { status: res.status, body: await res.text() };
};

describe('training-league pages', () => {
  it('list the runs with a league on /leagues and show one run\'s members', async () => {
    const list = await get('/leagues');
    expect(list.body).toContain('Training leagues');
    expect(list.body).toContain(`<a href="/leagues/train/${runId}">run ${runId}</a>`);
    expect(list.body).not.toContain(`/leagues/train/${plainRun}"`);
    const page = await get(`/leagues/train/${runId}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<div class="league-ratings" data-run="${runId}"></div>`);
    expect(page.body).toContain('unloadable: ENOENT &lt;model.json&gt;');
    expect(page.body).toMatch(/<td>learner<\/td><td>policy \(training\)<\/td>[\s\S]*?27 ± 6/);
    expect(page.body).toContain('0.75 (4)'); // the learner's score against bot:nash
  });

  it('serve the ratings as JSON and 404 a run without a league', async () => {
    const api = JSON.parse((await get(`/api/train-leagues/${runId}`)).body);
    expect(api.ratings.length).toBe(2 + 3 + 3);
    expect(api.members.map((m: { name: string }) => m.name)).toEqual(['bot:nash', 'it0']);
    const missing = await get(`/leagues/train/${plainRun}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('no training league');
  });

  it.skipIf(!existsSync(CHROMIUM))('draw one rating series per member in a browser', async () => {
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--headless'], headless: true });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${viewer.url}/leagues/train/${runId}`);
      const box = page.locator('.league-ratings');
      await box.and(page.locator('[data-ready="1"]')).waitFor({ timeout: 10_000 });
      expect(await box.getAttribute('data-series')).toBe('3');
      expect(await page.locator('.league-ratings canvas').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 30_000);
});
