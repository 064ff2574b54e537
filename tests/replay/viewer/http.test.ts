import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { buildFixture, HOSTILE_IMG, HOSTILE_SCRIPT, type Fixture } from './fixture.js';

let fx: Fixture;
let viewer: Viewer;

beforeAll(async () => {
  fx = await buildFixture();
  viewer = await startViewer({ db: fx.db, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await viewer?.close();
});

async function get(path: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(viewer.url + path);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** The text of the page's error paragraph, unescaped. */
function errorText(body: string): string {
  const m = /class="error">([^<]*)</.exec(body);
  return (m?.[1] ?? '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe('viewer over HTTP', () => {
  it('listens on 127.0.0.1 with a free port', () => {
    expect(viewer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(viewer.url).not.toMatch(/:8080$/);
  });

  it('lists the runs with config, backend and status', async () => {
    const { status, body, headers } = await get('/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/text\/html/);
    expect(headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(body).toContain('fixture-gigpo');
    expect(body).toContain('fixture-grpo');
    expect(body).toMatch(/G×N 2×3/);
    expect(body).toMatch(/<td>cpu<\/td>/);
    expect(body).toMatch(/badge ok">finished/);
    // Nothing from the network: every script and stylesheet is local.
    expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('renders a run page and serves its curves as JSON', async () => {
    const page = await get(`/runs/${fx.gigpoRun}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`data-runs="${fx.gigpoRun}"`);
    expect(page.body).toContain('/static/uPlot.iife.min.js');
    const api = await get(`/api/iterations?runs=${fx.gigpoRun},${fx.grpoRun}`);
    expect(api.status).toBe(200);
    const payload = JSON.parse(api.body);
    expect(payload.metrics.map((m: { key: string }) => m.key)).toEqual(['successRate', 'meanReturn', 'loss', 'kl', 'entropy', 'clipFraction', 'stepsPerSecond']);
    expect(payload.runs.map((r: { algo: string }) => r.algo)).toEqual(['gigpo', 'grpo']);
    expect(payload.runs[1].iterations).toHaveLength(4);
    expect(payload.runs[0].iterations[2]).toMatchObject({ iteration: 2, loss: 0.3, stepsPerSecond: 1200 });
  });

  it('serves uPlot from node_modules', async () => {
    const js = await get('/static/uPlot.iife.min.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.body).toMatch(/uPlot/);
    expect((await get('/static/uPlot.min.css')).status).toBe(200);
    expect((await get('/static/nope.js')).status).toBe(404);
    expect((await get('/static/../server.ts')).status).toBe(404);
  });

  it('filters and pages the episodes table with a cursor', async () => {
    const first = await get(`/episodes?run=${fx.gigpoRun}&limit=5`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('18 matching episodes');
    const ids = [...first.body.matchAll(/<td class="num"><a href="\/episodes\/(\d+)">/g)].map((m) => Number(m[1]));
    expect(ids).toEqual([18, 17, 16, 15, 14]);
    const next = /<a class="next" href="([^"]+)"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    expect(next).toContain('cursor=14');
    const second = await get(next);
    const ids2 = [...second.body.matchAll(/<td class="num"><a href="\/episodes\/(\d+)">/g)].map((m) => Number(m[1]));
    expect(ids2).toEqual([13, 12, 11, 10, 9]);

    const it1 = await get(`/episodes?run=${fx.gigpoRun}&iteration=1&split=train&success=false`);
    expect(it1.body).toContain('6 matching episodes');
    const wins = await get(`/episodes?success=true`);
    expect(wins.body).toMatch(/\d+ matching episode/);
    const api = JSON.parse((await get(`/api/episodes?run=${fx.gigpoRun}&group=i0g1&order=asc`)).body);
    expect(api.episodes.map((e: { trajId: string }) => e.trajId)).toEqual(['i0g1/0', 'i0g1/1', 'i0g1/2']);
  });

  it('answers bad query params with 400 and a message', async () => {
    const cases: [string, RegExp][] = [
      ['/episodes?success=maybe', /'success' must be true or false/],
      ['/episodes?run=abc', /'run' must be an integer/],
      ['/episodes?limit=5000', /'limit' must be between 1 and 1000/],
      ['/episodes?iteration=-1', /'iteration' must be an integer >= 0 or 'none'/],
      ['/episodes?order=sideways', /'order' must be asc or desc/],
      ['/episodes?colour=red', /Unknown query parameter 'colour'/],
      ['/episodes?run=1&run=2', /given 2 times/],
      ['/runs/abc', /Run id must be an integer/],
      ['/compare', /'runs' is required/],
      ['/group?run=1', /named by run, iteration and group/],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(errorText(res.body), path).toMatch(message);
    }
    const api = await get('/api/iterations?runs=x');
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body).error).toMatch(/run ids/);
  });

  it('answers numbers beyond 2^53 in any parameter or path with 400, on pages and the API', async () => {
    const big = '9007199254740993';
    const paths = [
      `/episodes?iteration=${big}`,
      `/api/episodes?iteration=${big}`,
      `/episodes?run=${big}`,
      `/api/episodes?cursor=${big}`,
      `/episodes?limit=${big}`,
      `/group?run=1&iteration=${big}&group=i0g0`,
      `/group?run=${big}&iteration=0&group=i0g0`,
      `/runs/${big}`,
      `/episodes/${big}`,
      `/api/episodes/${big}`,
      `/compare?runs=${big}`,
      `/api/iterations?runs=1,${big}`,
    ];
    for (const path of paths) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const message = path.startsWith('/api/') ? JSON.parse(res.body).error : errorText(res.body);
      expect(message, path).toMatch(/must|integer/);
    }
  });

  it('answers unknown ids with 404', async () => {
    for (const path of ['/runs/999', '/episodes/99999', '/api/episodes/99999', '/compare?runs=1,999', '/group?run=1&iteration=0&group=nope', '/nowhere']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
    }
    expect(errorText((await get('/episodes/99999')).body)).toBe('There is no episode 99999 in this store.');
  });

  it('is read-only and refuses foreign Host headers', async () => {
    const post = await fetch(`${viewer.url}/episodes`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    const port = Number(new URL(viewer.url).port);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('renders an episode: observations, probabilities, advantages split, anchor links', async () => {
    const id = fx.gigpoEpisodes[1]!;
    const { status, body } = await get(`/episodes/${id}`);
    expect(status).toBe(200);
    expect(body.match(/<section class="step" id="t-\d+"/g)).toHaveLength(10);
    expect(body).toContain('Welcome to TextWorld');
    expect(body).toMatch(/advantage <b>[-\d.]+<\/b> = episode <b>[-\d.]+<\/b> \+ step <b>[-\d.]+<\/b>/);
    expect(body).toMatch(/<tr class="chosen"><td class="act">▶ /);
    // t=0: the three copies of the group start in the same state.
    expect(body).toMatch(/same state in \d+ other step/);
    expect(body).toMatch(/<a class="anchor-link" href="\/episodes\/1#t-0">i0g0\/0 t=0<\/a>/);
    expect(body).toContain('ludus replay --verify');
  });

  it('renders a group side by side', async () => {
    const { status, body } = await get(`/group?run=${fx.gigpoRun}&iteration=0&group=i0g0&anchor=0`);
    expect(status).toBe(200);
    expect(body.match(/<div class="traj">/g)).toHaveLength(3);
    expect(body).toMatch(/Highlighted: anchor group <code>0<\/code>, 3 steps/);
    expect(body.match(/class="gstep highlight"/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it('escapes hostile episode text everywhere', async () => {
    for (const path of [`/episodes/${fx.hostileEpisode}`, `/episodes?run=${fx.playRun}`, '/', `/runs/${fx.playRun}`]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(200);
      expect(body, path).not.toContain(HOSTILE_SCRIPT);
      expect(body, path).not.toContain(HOSTILE_IMG);
      for (const tag of ['<b>win</b>', '<svg onload', '<i>type</i>']) expect(body, path).not.toContain(tag);
      expect(body.match(/<script\b/g)?.length ?? 0, path).toBe(0); // these pages have no charts: no script at all
    }
    const { body } = await get(`/episodes/${fx.hostileEpisode}`);
    expect(body).toContain('&lt;script&gt;window.__pwned = 1; alert(&#39;xss-script&#39;)&lt;/script&gt;');
    expect(body).toContain('&lt;img src=x onerror=&quot;window.__pwned = 2; alert(&#39;xss-img&#39;)&quot;&gt;');
    expect(body).toMatch(/<img class="screenshot" alt="screenshot at t=0" src="data:image\/png;base64,[A-Za-z0-9+/]+=*">/);
    expect(body).toMatch(/badge info">seat 1</);
    expect(body).not.toMatch(/href="javascript:/);
  });
});
