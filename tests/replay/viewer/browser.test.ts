/**
 * The viewer in a real browser: playwright-core driving Chromium (Debian's `chromium` by default;
 * set LUDUS_CHROMIUM to another executable). No Chromium is a failure with a clear message, not a
 * skip: CI installs it (.ci/run).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { buildFixture, HOSTILE_IMG, HOSTILE_SCRIPT, type Fixture } from './fixture.js';

const CHROMIUM = process.env.LUDUS_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--headless'];
/** The bits of a 2D canvas the test reads (the project compiles without the DOM lib). */
type Canvas2d = {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
};

export const SHOTS = join(tmpdir(), 'ludus-viewer-screenshots');

let fx: Fixture;
let viewer: Viewer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the viewer's browser tests need it. Install it (apt-get install -y chromium) or set LUDUS_CHROMIUM to a Chromium/Chrome executable.`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  fx = await buildFixture();
  viewer = await startViewer({ db: fx.db, port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Offline: any request that is not to the viewer fails the test.
  await context.route('**/*', (route) => (route.request().url().startsWith(viewer.url) ? route.continue() : route.abort()));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
});

afterEach(() => {
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
});

describe('viewer in Chromium', () => {
  it('shows the runs list', async () => {
    await page.goto(`${viewer.url}/`);
    await expect(page.title()).resolves.toBe('runs · ludus replay');
    expect(await page.locator('table.runs tbody tr').count()).toBe(3);
    await expect(page.getByRole('link', { name: 'fixture-gigpo' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SHOTS, 'runs.png'), fullPage: true });
  });

  it("draws a run's curves with uPlot", async () => {
    await page.goto(`${viewer.url}/runs/${fx.gigpoRun}`);
    await page.waitForSelector('.charts[data-ready="1"]', { timeout: 10_000 });
    const charts = page.locator('.chart');
    expect(await charts.count()).toBe(7);
    expect(await page.locator('.chart canvas').count()).toBe(7);
    const points = await charts.evaluateAll((els) => els.map((e) => Number((e as unknown as { dataset: { points?: string } }).dataset.points)));
    expect(points).toEqual([3, 3, 3, 3, 3, 3, 3]);
    // The canvas really has ink on it.
    const inked = await page.locator('.chart canvas').first().evaluate((c) => {
      const canvas = c as unknown as Canvas2d;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);
    await page.screenshot({ path: join(SHOTS, 'run.png'), fullPage: true });
  });

  it('overlays two runs for comparison', async () => {
    await page.goto(`${viewer.url}/`);
    await page.check(`input[name="runs"][value="${fx.gigpoRun}"]`);
    await page.check(`input[name="runs"][value="${fx.grpoRun}"]`);
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/compare\?runs=\d+&runs=\d+$/);
    await page.waitForSelector('.charts[data-ready="1"]');
    const legend = await page.locator('.chart').first().locator('.u-legend .u-series').allTextContents();
    expect(legend.join(' ')).toContain(`run ${fx.gigpoRun} gigpo`);
    expect(legend.join(' ')).toContain(`run ${fx.grpoRun} grpo`);
    expect(await page.locator('.chart').first().getAttribute('data-points')).toBe('7');
    // both runs recorded their env steps: the curves are drawn against them, not the iteration
    expect(await page.locator('.charts').getAttribute('data-x')).toBe('envSteps');
    expect(legend.join(' ')).toContain('env steps');
    await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  });

  it('filters the episodes table and pages through it', async () => {
    await page.goto(`${viewer.url}/episodes`);
    await page.selectOption('select[name="run"]', String(fx.gigpoRun));
    await page.fill('input[name="iteration"]', '2');
    await page.click('form.filters button[type="submit"]');
    await page.waitForURL(/iteration=2/);
    expect(await page.locator('table.episodes tbody tr').count()).toBe(6);
    await page.goto(`${viewer.url}/episodes?run=${fx.gigpoRun}&limit=4`);
    await page.click('a.next');
    await page.waitForURL(/cursor=/);
    const ids = await page.locator('table.episodes tbody tr td:first-child').allTextContents();
    expect(ids).toEqual(['14', '13', '12', '11']);
  });

  it('shows an episode timeline and follows an anchor-group link to the same state', async () => {
    const id = fx.gigpoEpisodes[4]!;
    await page.goto(`${viewer.url}/episodes/${id}`);
    expect(await page.locator('section.step[id^="t-"]').count()).toBe(10);
    const first = page.locator('section#t-0');
    expect(await first.locator('table.candidates tr.chosen').count()).toBe(1);
    expect(await first.locator('table.candidates .bar').count()).toBeGreaterThan(1);
    await expect(first.locator('.numbers').innerText()).resolves.toMatch(/advantage -?[\d.]+ = episode -?[\d.]+ \+ step -?[\d.]+/);
    await page.screenshot({ path: join(SHOTS, 'episode.png'), fullPage: false });

    const anchor = await first.getAttribute('data-anchor-group');
    const text = await first.locator('pre.obs').innerText();
    const link = first.locator('a.anchor-link').first();
    const href = (await link.getAttribute('href'))!;
    await link.click();
    await page.waitForURL((u) => u.pathname + u.hash === href);
    const target = page.locator('section.step:target');
    expect(await target.count()).toBe(1);
    expect(await target.getAttribute('data-anchor-group')).toBe(anchor);
    expect(await target.locator('pre.obs').innerText()).toBe(text);
    await page.screenshot({ path: join(SHOTS, 'anchor-target.png') });

    await target.locator('a.group-link').click();
    await page.waitForURL(/\/group\?/);
    expect(await page.locator('.traj').count()).toBe(3);
    expect(await page.locator('li.gstep.highlight').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SHOTS, 'group.png'), fullPage: true });
  });

  it('renders hostile episode text as text: no script runs, no alert', async () => {
    await page.goto(`${viewer.url}/episodes/${fx.hostileEpisode}`);
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img[onerror], svg, main b:text("win")').count()).toBe(0);
    const body = await page.locator('main').innerText();
    expect(body).toContain(HOSTILE_SCRIPT);
    expect(body).toContain(HOSTILE_IMG);
    expect(body).toContain(`<svg onload="alert('xss-task')">`);
    await expect(page.locator('pre.obs').first().isVisible()).resolves.toBe(true);
    // The screenshot slot shows the recorded PNG.
    const img = page.locator('img.screenshot');
    expect(await img.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBe(24);
    await page.screenshot({ path: join(SHOTS, 'hostile.png'), fullPage: true });
    // The runs list shows the hostile run name as text too.
    await page.goto(`${viewer.url}/`);
    expect(await page.locator('table.runs').innerText()).toContain(`hostile ${HOSTILE_SCRIPT}`);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
