/**
 * One set of HTTP hardening for every page ludus serves: the replay viewer, the shop site, and the
 * env server's HTTP endpoint. Each gets the same checks.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import '../../../envs/builtin.js';
import { openCatalog } from '../../../envs/shop/catalog.js';
import { startShopSite } from '../../../envs/shop/site.js';
import { CSP, HostGuard, securityHeaders } from '../../../envs/server/http-hardening.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { openStore } from '../../../replay/store.js';
import { startViewer } from '../../../replay/viewer/server.js';

interface Served {
  name: string;
  url: string;
  csp: string;
  /** Whether a foreign Host header is refused with 421 (pages; the env server only upgrades). */
  checksHost: boolean;
  close: () => Promise<void>;
}

const served: Served[] = [];
let envServer: EnvServer;

beforeAll(async () => {
  const store = openStore(':memory:');
  const viewer = await startViewer({ store, port: 0 });
  const shop = await startShopSite(openCatalog({ seed: 0, products: 1000 }), { port: 0 });
  envServer = await startServer({ port: 0 });
  served.push(
    { name: 'replay viewer', url: viewer.url, csp: CSP.viewer, checksHost: true, close: () => viewer.close().then(() => store.close()) },
    { name: 'shop site', url: shop.url, csp: CSP.shop, checksHost: true, close: () => shop.close() },
    { name: 'env server', url: envServer.url.replace('ws://', 'http://'), csp: CSP.text, checksHost: false, close: () => envServer.close() },
  );
});
afterAll(async () => {
  await Promise.all(served.map((s) => s.close()));
});

/** A raw GET with any Host header (fetch does not let a test forge it). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/', headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP hardening of every server', () => {
  it('sends the security headers on every response (CSP, nosniff, frame denial, referrer policy)', async () => {
    for (const s of served) {
      const res = await get(s.url);
      expect(res.headers['content-security-policy'], s.name).toBe(s.csp);
      expect(res.headers['x-content-type-options'], s.name).toBe('nosniff');
      expect(res.headers['x-frame-options'], s.name).toBe('DENY');
      expect(res.headers['referrer-policy'], s.name).toBe('no-referrer');
      expect(res.headers['content-security-policy'], s.name).toMatch(/frame-ancestors 'none'/);
    }
  });

  it('answers a foreign Host header with 421 (DNS rebinding), and its own names normally', async () => {
    for (const s of served.filter((x) => x.checksHost)) {
      const port = new URL(s.url).port;
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.2:${port}`]) {
        const res = await get(s.url, { host });
        expect(res.status, `${s.name} ${host}`).toBe(421);
        expect(res.headers['x-frame-options']).toBe('DENY');
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, '127.0.0.1']) {
        expect((await get(s.url, { host })).status, `${s.name} ${host}`).toBe(200);
      }
    }
  });

  it('the shop site allows no script at all', () => {
    expect(CSP.shop).not.toMatch(/script-src/);
    expect(CSP.shop).toMatch(/^default-src 'none'/);
  });
});

describe('env server WebSocket upgrades', () => {
  const open = (origin?: string, url = envServer.url): Promise<number> =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, origin === undefined ? {} : { origin });
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        resolve(res.statusCode ?? 0);
      });
      ws.once('error', () => undefined);
    });

  it('refuses a browser page of a foreign origin without a token (403), and serves non-browser and local pages', async () => {
    expect(await open('https://evil.example')).toBe(403);
    expect(await open('null')).toBe(403);
    expect(await open()).toBe(101);
    expect(await open('http://localhost:5173')).toBe(101);
    expect(await open('http://127.0.0.1:8080')).toBe(101);
  });

  it('with a token, the token decides, whatever the origin', async () => {
    const secured = await startServer({ port: 0, token: 't0k3n' });
    try {
      expect(await open('https://evil.example', `${secured.url}/?token=t0k3n`)).toBe(101);
      expect(await open('https://evil.example', secured.url)).toBe(401);
    } finally {
      await secured.close();
    }
  });
});

describe('HostGuard', () => {
  it('knows the bind address and the loopback names, with and without the port', () => {
    const guard = new HostGuard('::1').setPort(8080);
    for (const ok of [undefined, '[::1]:8080', '[::1]', 'localhost:8080', '127.0.0.1']) expect(guard.allows(ok), ok).toBe(true);
    for (const bad of ['::1:8080', 'localhost:8081', 'example.com', '']) expect(guard.allows(bad), bad).toBe(false);
    expect(securityHeaders('x')['Content-Security-Policy']).toBe('x');
  });
});
