/**
 * browser-v1 episodes in the replay viewer: each step's screenshot with the accessibility tree
 * beside it, and a hostile page's text (script tags, event handlers in element names, a hostile
 * title and goal) shown as text — nothing runs, under the viewer's unchanged CSP.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../agents/agent.js';
import { runEpisode } from '../../../agents/run-episode.js';
import { recordPlayedEpisode } from '../../../cli/play-recording.js';
import { sharedBrowser } from '../../../envs/browser/chromium.js';
import { esc, htmlPage } from '../../../envs/browser/tasks/html.js';
import { make } from '../../../envs/core/registry.js';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { CHROMIUM, fixtureTask, registerFixtureEnv } from './fixtures.js';

const SCRIPT = `<script>window.__pwned = 1; alert('xss')</script>`;
const IMG = `<img src=x onerror="window.__pwned = 2">`;
const SUITE = {
  hostile: fixtureTask(
    'hostile',
    { '/': htmlPage(`title ${SCRIPT}`, `<p>${esc(SCRIPT)}</p><button data-key="lose">${esc(IMG)}</button><label>Say <input type="text"></label><button data-key="win">Win</button>`) },
    { goal: () => `Goal ${SCRIPT}`, fillValues: () => [IMG] },
  ),
};
const FIXTURES = registerFixtureEnv(SUITE, 'browser-viewer-v1');

let viewer: Viewer;
let episodeId: number;
let stepCount: number;

beforeAll(async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ludus-browser-viewer-')), 'runs.db');
  const env = make(FIXTURES, { screenshots: 'step' });
  // Fill the box with the hostile value, wait a step, then click Win.
  const script: Agent = {
    name: 'script',
    act: async (inputs) =>
      inputs.map((input) => {
        const t = input.history.length;
        const win = /\[(\d+)\] button 'Win'/.exec(input.observation.text)?.[1];
        const action = t === 0 ? input.observation.actions.find((a) => a.startsWith('fill('))! : t === 1 ? 'noop()' : `click("${win}")`;
        return { action, logp: null, probs: null };
      }),
  };
  const episode = await runEpisode(env, script, { reset: { task: 'hostile/train/00000', seed: 0 }, maxSteps: 3 });
  await env.close();
  stepCount = episode.steps.length;
  episodeId = recordPlayedEpisode(db, { envId: FIXTURES, seed: 0, options: { screenshots: 'step' } }, episode);
  viewer = await startViewer({ db, port: 0 });
}, 60_000);

afterAll(async () => {
  await viewer?.close();
  await sharedBrowser.close();
});

describe('browser episodes in the viewer', () => {
  it('shows every step with its screenshot and the tree beside it; hostile text stays text', async () => {
    // Its own Chromium: browser-v1's resolves no name, not even 127.0.0.1 (confinement).
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'], headless: true });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const dialogs: string[] = [];
    try {
      await context.route('**/*', (route) => (route.request().url().startsWith(viewer.url) ? route.continue() : route.abort()));
      const page = await context.newPage();
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const response = await page.goto(`${viewer.url}/episodes/${episodeId}`);
      expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
      // Every step and the final observation: a screenshot with the tree beside it.
      expect(await page.locator('.shot-tree').count()).toBe(stepCount + 1);
      const widths = await page.locator('.shot-tree img.screenshot').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
      expect(widths).toEqual(Array(stepCount + 1).fill(800));
      const layout = await page.locator('.shot-tree').first().evaluate((el) => {
        const [a, b] = (el as unknown as { children: { getBoundingClientRect(): { left: number; top: number } }[] }).children;
        return { sideBySide: b!.getBoundingClientRect().left > a!.getBoundingClientRect().left, sameTop: Math.abs(b!.getBoundingClientRect().top - a!.getBoundingClientRect().top) < 40 };
      });
      expect(layout).toEqual({ sideBySide: true, sameTop: true });
      await page.screenshot({ path: join(tmpdir(), 'ludus-browser-viewer.png'), fullPage: false });
      const tree = await page.locator('.shot-tree pre.axtree').first().innerText();
      const q = (x: string) => x.replace(/'/g, "\\'");
      expect(tree).toContain(`StaticText '${q(SCRIPT)}'`);
      expect(tree).toContain(`button '${q(IMG)}'`);
      expect(tree).toContain(`RootWebArea 'title ${q(SCRIPT)}'`);
      expect(await page.locator('main').innerText()).toContain(`goal: Goal ${SCRIPT}`);
      // Nothing ran: no script element, no handler attribute, no dialog, no global set.
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main script, main img[onerror], main [onerror]').count()).toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
