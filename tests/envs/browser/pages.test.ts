/**
 * browser-v1 on a directory of MiniWoB++-style task pages (`tasks: { dir }`), on pages written for
 * these tests with a stand-in core.js that follows MiniWoB's page protocol
 * (tests/fixtures/miniwob): the episode start hook, the utterance, the raw reward (success only at
 * 1), confinement to the directory, the generic expert, bad pages, and the conformance kit.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserExpert } from '../../../agents/browser-expert.js';
import '../../../envs/builtin.js';
import { sharedBrowser } from '../../../envs/browser/chromium.js';
import { BrowserEnv } from '../../../envs/browser/env.js';
import { fileUnder, pageSuite } from '../../../envs/browser/pages/suite.js';
import { quotedValues } from '../../../envs/browser/pages/solve.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import type { ConformanceOptions } from '../../../envs/conformance/index.js';
import { OptionsError } from '../../../envs/core/errors.js';
import { make } from '../../../envs/core/registry.js';
import type { StepResult } from '../../../envs/core/types.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { describeConformance } from '../../helpers/conformance.js';

const DIR = path.resolve('tests/fixtures/miniwob');
const tmp: string[] = [];
let env: BrowserEnv;
let server: EnvServer;
let client: RemoteEnvClient;
beforeAll(async () => {
  env = new BrowserEnv({ tasks: { dir: DIR } });
  server = await startServer({ port: 0 });
  client = await RemoteEnvClient.connect(server.url);
});
afterAll(async () => {
  await env?.close();
  await client?.close();
  await server?.close();
  await sharedBrowser.close();
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('task-page suite', () => {
  it('every page that follows the protocol is a task; the others are reported', () => {
    const s = pageSuite(DIR);
    expect(Object.keys(s.tasks)).toEqual(['press-button', 'tick-boxes', 'type-word']);
    expect(s.skipped).toEqual([{ file: 'miniwob/not-a-task.html', reason: 'it does not load core.js (MiniWoB task pages load ../core/core.js)' }]);
    expect(quotedValues('Select "red" and "blue" and click Submit.')).toEqual(['red', 'blue']);
  });
  it('serves files under the directory only', () => {
    expect(fileUnder(DIR, '/core/core.js')).toBe(path.join(DIR, 'core/core.js'));
    expect(fileUnder(DIR, '/../pages.test.ts')).toBeNull();
    expect(fileUnder(DIR, '/%2e%2e/%2e%2e/package.json')).toBeNull();
    expect(fileUnder(DIR, '/miniwob')).toBeNull();
    const d = mkdtempSync(path.join(tmpdir(), 'ludus-pages-'));
    tmp.push(d);
    symlinkSync(path.resolve('package.json'), path.join(d, 'leak.json'));
    expect(fileUnder(d, '/leak.json')).toBeNull();
  });
});

describe('browser-v1 on task pages', () => {
  it("starts the page's episode, reads the utterance, and the expert succeeds", async () => {
    for (const name of env.taskNames) {
      for (const k of [0]) {
        let { observation, info } = await env.reset({ task: `${name}/test/0000${k}` });
        expect(observation.goal).toMatch(/"/);
        expect(info.task).toEqual(expect.objectContaining({ type: name, pages: DIR }));
        const expert = new BrowserExpert();
        expert.reset(observation, info);
        let r: StepResult;
        let n = 0;
        do {
          r = await env.step(expert.act(observation, info));
          ({ observation, info } = r);
        } while (!r.terminated && !r.truncated && ++n < 10);
        expect(r.reward, `${name}/${k}: ${observation.goal}`).toBe(1);
        expect(r.info.success).toBe(true);
        expect(r.info.rewardComponents.raw_reward).toBe(1);
      }
    }
  });
  it('the same seed gives the same page; success only at the full raw reward', async () => {
    const a = await env.reset({ task: 'tick-boxes/test/00003' });
    const b = await env.reset({ task: 'tick-boxes/test/00003' });
    expect(b.observation.text).toBe(a.observation.text);
    const submit = b.observation.actions.find((x) => /Submit/.test(x))!;
    const r = await env.step(submit.split(' ')[0]!.replace(/\s*#.*$/, ''));
    expect(r.terminated).toBe(true);
    expect(r.reward).toBeCloseTo(0.6); // three of five boxes right: partial raw reward
    expect(r.info.success).toBe(false);
    const p = await env.reset({ task: 'press-button/test/00000' });
    const want = /"(.+)"/.exec(p.observation.goal!)![1]!;
    const wrong = p.observation.actions.find((x) => x.startsWith('click(') && /button '/.test(x) && !x.includes(`'${want}'`))!;
    const w = await env.step(wrong.replace(/\s*#.*$/, ''));
    expect(w.reward).toBe(-1);
    expect(w.info.success).toBe(false);
  });
  it('bad directories and pages are clear errors', async () => {
    expect(() => new BrowserEnv({ tasks: { dir: '/nonexistent/pages' } })).toThrow(expect.objectContaining({ code: 'DATA_MISSING' }));
    const only = mkdtempSync(path.join(tmpdir(), 'ludus-pages-'));
    tmp.push(only);
    writeFileSync(path.join(only, 'x.html'), '<html><body>nothing</body></html>');
    expect(() => new BrowserEnv({ tasks: { dir: only } })).toThrow(OptionsError);
    expect(() => new BrowserEnv({ tasks: { dir: DIR, extra: 1 } as never })).toThrow(OptionsError);
    const broken = mkdtempSync(path.join(tmpdir(), 'ludus-pages-'));
    tmp.push(broken);
    cpSync(DIR, broken, { recursive: true });
    writeFileSync(path.join(broken, 'miniwob/throws.html'), '<html><head><script src="../core/core.js"></script><script>var genProblem = function () { throw new Error("no luck"); }; window.onload = function () { core.startEpisode(); };</script></head><body><div id="query"></div></body></html>');
    const e = new BrowserEnv({ tasks: { dir: broken } });
    try {
      await expect(e.reset({ task: 'throws/test/00000' })).rejects.toThrow(/miniwob\/throws\.html: the page did not start its episode: no luck/);
    } finally {
      await e.close();
    }
  });
});

describe('task pages are confined', () => {
  it('a page reaching out (fetch, image, navigation) is blocked and counted', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'ludus-pages-'));
    tmp.push(d);
    cpSync(DIR, d, { recursive: true });
    writeFileSync(
      path.join(d, 'miniwob/leaky.html'),
      '<html><head><script src="../core/core.js"></script><script>var genProblem = function () { fetch("http://127.0.0.1:9/x").catch(function () {}); var i = new Image(); i.src = "https://example.com/p.png"; document.getElementById("query").textContent = "Click on the \\"ok\\" button."; var b = document.createElement("button"); b.textContent = "ok"; b.onclick = function () { location.href = "https://example.com/"; core.endEpisode(1); }; document.getElementById("area").appendChild(b); }; window.onload = function () { core.startEpisode(); };</script></head><body><div id="query"></div><div id="area"></div></body></html>',
    );
    const e = new BrowserEnv({ tasks: { dir: d } });
    try {
      const r = await e.reset({ task: 'leaky/test/00000' });
      const ok = r.observation.actions.find((a) => a.includes("button 'ok'"))!;
      const s = await e.step(ok.replace(/\s*#.*$/, ''));
      expect(s.reward).toBe(1);
      const blocked = s.info.blocked as { total: number; fetch?: number; image?: number; navigation?: number };
      expect(blocked.total).toBeGreaterThanOrEqual(2);
      expect((blocked.fetch ?? 0) + (blocked.image ?? 0)).toBeGreaterThanOrEqual(1);
      expect(s.info.url).toBe('/miniwob/leaky.html');
    } finally {
      await e.close();
    }
  });
});

const SMALL: Partial<ConformanceOptions> = { episodes: 1, maxSteps: 4, admissibleProbeStates: 1, admissibleProbeActions: 4, tasks: ['type-word/train/00001'] };
describeConformance('browser-v1 on task pages in process', (o) => make('browser-v1', { tasks: { dir: DIR }, ...(o ?? {}) }), SMALL);
describeConformance('browser-v1 on task pages over WebSocket', async (o) => (await client.open('browser-v1', { tasks: { dir: DIR }, ...(o ?? {}) }))[0]!, { ...SMALL, tasks: ['tick-boxes/test/00002'] });
