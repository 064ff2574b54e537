/**
 * Faults: a page that spins forever, dialogs, popups and new tabs, navigation away from the task,
 * and a killed Chromium (in process and behind a server that keeps serving its other sessions).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { sharedBrowser } from '../../../envs/browser/chromium.js';
import { htmlPage } from '../../../envs/browser/tasks/html.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import { make } from '../../../envs/core/registry.js';
import type { Env } from '../../../envs/core/types.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { fixtureTask, registerFixtureEnv } from './fixtures.js';

let hits = 0;
let http: Server;
let port = 0;

const SUITE = {
  spin: fixtureTask('spin', {
    '/': htmlPage('spin', `<button onclick="while (true) {}">Spin</button><button data-key="win">Win</button>`),
  }),
  'spin-on-load': fixtureTask('spin-on-load', { '/': `<!doctype html><title>x</title><script>while (true) {}</script>` }),
  dialogs: fixtureTask('dialogs', {
    '/': htmlPage(
      'dialogs',
      `<button onclick="alert('hello there')">Alert</button>
<button onclick="document.getElementById('out').textContent = 'confirm: ' + confirm('Sure?')">Confirm</button>
<button onclick="document.getElementById('out').textContent = 'prompt: ' + prompt('Name?', 'x')">Prompt</button>
<p id="out">nothing yet</p><button data-key="win">Win</button>`,
      { script: `alert('at load')` },
    ),
  }),
  popups: fixtureTask('popups', () => ({
    status: 200,
    body: htmlPage(
      'popups',
      `<button onclick="window.open('/other')">Open</button>
<a href="https://www.example.invalid/" target="_blank">New tab</a>
<button onclick="window.open('http://127.0.0.1:${port}/popup')">Open outside</button><button data-key="win">Win</button>`,
    ),
  })),
  away: fixtureTask('away', () => ({
    status: 200,
    body: htmlPage(
      'away',
      `<a href="http://127.0.0.1:${port}/leave">Local port</a> <a href="https://tracker.invalid/x">Elsewhere</a>
<button onclick="location.href = 'http://127.0.0.1:${port}/js'">Script</button>
<form action="http://127.0.0.1:${port}/post" method="post"><input name="q" value="secret"><button>Post</button></form>
<button data-key="win">Win</button>`,
    ),
  })),
};
const FIXTURES = registerFixtureEnv(SUITE, 'browser-faults-v1');
const FAST = { actionTimeoutMs: 1500, observeTimeoutMs: 2000, navigationTimeoutMs: 4000 };

function idOf(text: string, name: string): string {
  const m = new RegExp(`\\[(\\d+)\\] \\w+ '${name}'`).exec(text);
  if (!m) throw new Error(`no '${name}' in\n${text}`);
  return m[1]!;
}

async function killChromium(): Promise<number> {
  const browser = sharedBrowser.current;
  if (!browser) throw new Error('no browser running');
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { type: string; id: number }[] };
  const pid = info.processInfo.find((p) => p.type === 'browser')!.id;
  const gone = new Promise<void>((resolve) => browser.once('disconnected', () => resolve()));
  process.kill(pid, 'SIGKILL');
  await gone;
  return pid;
}

let env: Env;
beforeAll(async () => {
  http = createServer((_req, res) => {
    hits++;
    res.end('reached');
  });
  http.on('connection', () => hits++);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  port = (http.address() as AddressInfo).port;
  env = make(FIXTURES, FAST);
});
afterAll(async () => {
  await env?.close();
  await sharedBrowser.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

describe('a page that spins forever', () => {
  it('cuts the episode (truncated, with a fault) within the timeouts; the next reset works', async () => {
    const { observation } = await env.reset({ task: 'spin/train/00000' });
    const t0 = performance.now();
    const r = await env.step(`click("${idOf(observation.text, 'Spin')}")`);
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(r).toMatchObject({ terminated: false, truncated: true, reward: 0, info: { fault: { code: 'PAGE_UNRESPONSIVE' }, success: false } });
    expect(r.observation.text).toMatch(/error: The episode was cut: The page stopped responding/);
    expect(r.observation.actions).toEqual([]);
    await expect(env.step('noop()')).rejects.toMatchObject({ code: 'EPISODE_OVER' });
    const again = await env.reset({ task: 'spin/train/00000' });
    const win = await env.step(`click("${idOf(again.observation.text, 'Win')}")`);
    expect(win).toMatchObject({ reward: 1, terminated: true });
  });

  it('a page that never finishes loading fails its reset with PAGE_UNRESPONSIVE; the env still works after', async () => {
    await expect(env.reset({ task: 'spin-on-load/train/00000' })).rejects.toMatchObject({ code: 'PAGE_UNRESPONSIVE', message: expect.stringMatching(/did not load, twice/) });
    const ok = await env.reset({ task: 'dialogs/train/00000' });
    expect(ok.observation.text).toMatch(/button 'Win'/);
  });
});

describe('dialogs', () => {
  it('are dismissed and reported, at load and after an action; the page goes on', async () => {
    const { observation, info } = await env.reset({ task: 'dialogs/train/00000' });
    expect(info.dialogs).toEqual([{ type: 'alert', message: 'at load' }]);
    expect(observation.text).toMatch(/notice: a alert dialog \('at load'\) was dismissed/);
    let r = await env.step(`click("${idOf(observation.text, 'Alert')}")`);
    expect(r.info.dialogs).toEqual([{ type: 'alert', message: 'hello there' }]);
    r = await env.step(`click("${idOf(observation.text, 'Confirm')}")`);
    expect(r.info.dialogs).toEqual([{ type: 'confirm', message: 'Sure?' }]);
    expect(r.observation.text).toContain("StaticText 'confirm: false'");
    r = await env.step(`click("${idOf(observation.text, 'Prompt')}")`);
    expect(r.observation.text).toContain("StaticText 'prompt: null'");
    r = await env.step('noop()');
    expect(r.info.dialogs).toBeUndefined();
    expect(r.observation.text).not.toMatch(/notice/);
  });
});

describe('popups and new tabs', () => {
  it('are not opened but reported (window.open returns null, as under a popup blocker); nothing reaches the outside', async () => {
    const before = hits;
    const { observation } = await env.reset({ task: 'popups/train/00000' });
    let r = await env.step(`click("${idOf(observation.text, 'Open')}")`);
    expect(r.info.popups).toEqual([{ url: 'https://browser-v1.ludus.invalid/other' }]);
    expect(r.observation.text).toMatch(/notice: a new window \(https:\/\/browser-v1\.ludus\.invalid\/other\) was blocked/);
    r = await env.step(`click("${idOf(observation.text, 'New tab')}")`);
    expect(r.info.popups).toEqual([{ url: 'https://www.example.invalid/' }]);
    expect(r.info.url).toBe('/');
    r = await env.step(`click("${idOf(observation.text, 'Open outside')}")`);
    expect(r.info.popups).toEqual([{ url: `http://127.0.0.1:${port}/popup` }]);
    expect((await env.step('noop()')).info.popups).toBeUndefined();
    expect(sharedBrowser.current!.contexts().flatMap((c) => c.pages())).toHaveLength(1);
    expect(hits).toBe(before);
    const win = await env.step(`click("${idOf(observation.text, 'Win')}")`);
    expect(win.reward).toBe(1);
  });
});

describe('navigation away from the task', () => {
  it('is blocked: the page stays where it was, the attempt is counted, nothing reaches the outside', async () => {
    const before = hits;
    const { observation } = await env.reset({ task: 'away/train/00000' });
    for (const name of ['Local port', 'Elsewhere', 'Script', 'Post']) {
      const r = await env.step(`click("${idOf(observation.text, name)}")`);
      expect(r.info.url).toBe('/');
      expect(r.observation.text).toContain("link 'Elsewhere'");
    }
    const r = await env.step('noop()');
    expect(r.info.blocked).toMatchObject({ navigation: 4, total: 4 });
    expect(hits).toBe(before);
    expect((await env.step(`click("${idOf(observation.text, 'Win')}")`)).reward).toBe(1);
  });
});

describe('a killed Chromium', () => {
  it('ends the running episode truncated with a clear fault; the next reset relaunches it', async () => {
    const { observation } = await env.reset({ task: 'dialogs/train/00000' });
    const launches = sharedBrowser.launches;
    await killChromium();
    const r = await env.step(`click("${idOf(observation.text, 'Win')}")`);
    expect(r).toMatchObject({ truncated: true, terminated: false, info: { fault: { code: 'BROWSER_CRASHED', message: expect.stringMatching(/Chromium exited during the episode/) } } });
    const again = await env.reset({ task: 'dialogs/train/00000' });
    expect(sharedBrowser.launches).toBe(launches + 1);
    expect((await env.step(`click("${idOf(again.observation.text, 'Win')}")`)).reward).toBe(1);
  });

  it('behind a server: the browser session is cut, every other session goes on, and the browser session plays again after reset', async () => {
    const server: EnvServer = await startServer({ port: 0 });
    const client = await RemoteEnvClient.connect(server.url);
    try {
      const [browser] = await client.open(FIXTURES, FAST);
      const [household] = await client.open('household-v1');
      const b0 = await browser!.reset({ task: 'dialogs/train/00000' });
      const h0 = await household!.reset({ seed: 1 });
      await killChromium();
      const cut = await browser!.step(`click("${idOf(b0.observation.text, 'Win')}")`);
      expect(cut).toMatchObject({ truncated: true, info: { fault: { code: 'BROWSER_CRASHED' } } });
      const h1 = await household!.step(h0.observation.actions[0]!);
      expect(h1.info.invalid).toBeUndefined();
      const b1 = await browser!.reset({ task: 'dialogs/train/00000' });
      expect((await browser!.step(`click("${idOf(b1.observation.text, 'Win')}")`)).reward).toBe(1);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
