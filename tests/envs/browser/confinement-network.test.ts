/**
 * Confinement, proved against real listeners: an HTTP server and a WebSocket server on 127.0.0.1
 * ports this test opens, and fake hostnames. A page tries every way out — navigation, fetch, XHR,
 * images, scripts, style sheets, fonts, iframes, WebSockets, EventSource, beacons, service and web
 * workers, WebRTC, prefetch and preconnect hints — and nothing arrives: no request, not even a TCP
 * connection. Every attempt is counted in `info.blocked`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedBrowser } from '../../../envs/browser/chromium.js';
import { BLOCKED_KINDS } from '../../../envs/browser/confinement.js';
import { htmlPage } from '../../../envs/browser/tasks/html.js';
import { make } from '../../../envs/core/registry.js';
import type { Env, StepResult } from '../../../envs/core/types.js';
import { fixtureTask, registerFixtureEnv } from './fixtures.js';

let http: Server;
let wss: WebSocketServer;
let httpPort = 0;
let wsPort = 0;
const seen = { requests: [] as string[], connections: 0, wsConnections: 0 };

function leakPage(): string {
  const out = `http://127.0.0.1:${httpPort}`;
  const ws = `ws://127.0.0.1:${wsPort}`;
  const body = `<link rel="preconnect" href="${out}"><link rel="dns-prefetch" href="http://prefetch.invalid"><link rel="prefetch" href="${out}/prefetch">
<link rel="stylesheet" href="${out}/style.css"><style>@font-face{font-family:F;src:url(${out}/font.woff)} .bg{background:url(${out}/bg.png);font-family:F}</style>
<img src="${out}/img.png" alt="img"><img src="http://images.invalid/x.png" alt="img2">
<script src="${out}/script.js"></script>
<iframe src="${out}/frame" title="frame"></iframe><iframe src="https://frames.invalid/" title="frame2"></iframe>
<div class="bg">background</div>
<button id="fetch" onclick="fetch('${out}/fetch').catch(() => {}); fetch('https://api.invalid/x').catch(() => {})">fetch</button>
<button id="xhr" onclick="const x = new XMLHttpRequest(); x.open('GET', '${out}/xhr'); x.send()">xhr</button>
<button id="ws" onclick="try { new WebSocket('${ws}') } catch (e) {} try { new WebSocket('wss://socket.invalid/') } catch (e) {}">ws</button>
<button id="es" onclick="new EventSource('${out}/events')">eventsource</button>
<button id="beacon" onclick="navigator.sendBeacon('${out}/beacon', 'x')">beacon</button>
<button id="sw" onclick="navigator.serviceWorker.register('/sw.js').catch(() => {})">service worker</button>
<button id="worker" onclick="try { new Worker('/w.js') } catch (e) {} try { new SharedWorker('/w.js') } catch (e) {}">worker</button>
<button id="rtc" onclick="try { new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:${httpPort}' }] }) } catch (e) {}">webrtc</button>
<button id="img" onclick="const i = new Image(); i.src = '${out}/late.png'">image</button>
<button id="nav" onclick="location.href = '${out}/nav'">navigate</button>
<a href="http://tracker.invalid/">away</a>`;
  return htmlPage('leak', body);
}

const SUITE = { leak: fixtureTask('leak', () => ({ status: 200, body: leakPage() })) };
const FIXTURES = registerFixtureEnv(SUITE, 'browser-confinement-v1');
let env: Env;

beforeAll(async () => {
  http = createServer((req, res) => {
    seen.requests.push(req.url ?? '');
    res.end('reached');
  });
  http.on('connection', () => seen.connections++);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  httpPort = (http.address() as AddressInfo).port;
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', () => seen.wsConnections++);
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wsPort = (wss.address() as AddressInfo).port;
  env = make(FIXTURES);
});

afterAll(async () => {
  await env?.close();
  await sharedBrowser.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

describe('a session is confined to its own pages', () => {
  it('blocks and counts every way out; nothing reaches a local port or leaves for a hostname', async () => {
    const reset = await env.reset({ task: 'leak/train/00000' });
    const ids = new Map([...reset.observation.text.matchAll(/\[(\d+)\] (?:button|link) '([^']+)'/g)].map((m) => [m[2]!, m[1]!]));
    let last: StepResult | null = null;
    for (const name of ['fetch', 'xhr', 'ws', 'eventsource', 'beacon', 'service worker', 'worker', 'webrtc', 'image', 'navigate', 'away']) {
      last = await env.step(`click("${ids.get(name)}")`);
      expect(last.info.invalid, name).toBeUndefined();
      expect(last.info.url, name).toBe('/');
    }
    // Late requests (an event source retrying, a beacon) get a moment to show up.
    await new Promise((r) => setTimeout(r, 500));
    last = await env.step('noop()');
    const blocked = last.info.blocked as Record<string, number>;
    for (const kind of ['navigation', 'iframe', 'fetch', 'xhr', 'image', 'script', 'stylesheet', 'websocket', 'eventsource', 'beacon', 'serviceworker', 'worker', 'webrtc']) {
      expect(blocked[kind], `${kind} in ${JSON.stringify(blocked)}`).toBeGreaterThanOrEqual(1);
    }
    expect(blocked.fetch).toBeGreaterThanOrEqual(2);
    expect(blocked.websocket).toBeGreaterThanOrEqual(2);
    expect(blocked.iframe).toBeGreaterThanOrEqual(2);
    expect(blocked.total).toBe(Object.entries(blocked).filter(([k]) => k !== 'total').reduce((s, [, v]) => s + v, 0));
    expect(Object.keys(blocked).every((k) => k === 'total' || (BLOCKED_KINDS as readonly string[]).includes(k))).toBe(true);
    expect(seen).toEqual({ requests: [], connections: 0, wsConnections: 0 });
    // The page itself kept working.
    expect(last.observation.text).toContain("button 'fetch'");
  });

  it('reports what it blocked in the text, briefly', async () => {
    const reset = await env.reset({ task: 'leak/train/00000' });
    expect(reset.observation.text).toMatch(/notice: \d+ requests outside the task blocked \(\w+ http:\/\/127\.0\.0\.1:\d+\//);
    expect(reset.info.blocked).toMatchObject({ total: expect.any(Number) });
    expect(seen.requests).toEqual([]);
  });
});
