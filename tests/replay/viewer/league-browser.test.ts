/**
 * The league and game pages in a real browser (Chromium via playwright-core, as browser.test.ts):
 * hostile speech stays text, no script runs, and the seat selector switches views.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeagueStore } from '../../../replay/league-store.js';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { buildLeagueFixture, type LeagueFixture } from '../../league/fixture.js';

const CHROMIUM = process.env.LUDUS_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--headless'];

let fx: LeagueFixture;
let viewer: Viewer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set LUDUS_CHROMIUM.`);
  fx = await buildLeagueFixture(9);
  viewer = await startViewer({ db: fx.db, port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await context.route('**/*', (route) => (route.request().url().startsWith(viewer.url) ? route.continue() : route.abort()));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
});

describe('league and game pages in a browser', () => {
  it('show hostile speech as text, run no script, and switch seats with the selector', async () => {
    const leagues = new LeagueStore(viewer.store);
    const hostile = leagues.listGames(fx.leagueId, { agent: 'hostile' }).games.find((g) => g.village === 'hostile')!;
    await page.goto(`${viewer.url}/leagues/${fx.leagueId}`);
    await page.getByRole('link', { name: String(hostile.index), exact: true }).first().click();
    await page.waitForURL(new RegExp(`/games/${hostile.id}$`));
    const speech = page.locator('li.speech blockquote').first();
    await expect(speech.textContent()).resolves.toContain("<script>window.__pwned = 1; alert('xss')</script>");
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('li.speech img').count()).toBe(0);

    await page.getByRole('link', { name: /^player 3/ }).click();
    await page.waitForURL(new RegExp(`/games/${hostile.id}\\?seat=3$`));
    await expect(page.locator('h2').first().textContent()).resolves.toMatch(/^What player 3 /);
    expect(await page.locator('nav.seats a.tab.active').textContent()).toMatch(/^player 3/);
    expect(await page.locator('ol.record li.line').count()).toBeGreaterThan(5);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
