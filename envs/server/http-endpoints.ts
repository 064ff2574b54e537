/**
 * The env server's plain-HTTP endpoints, beside the WebSocket upgrade on the same port:
 *
 * | path | | |
 * |---|---|---|
 * | `GET /healthz` | readiness | 200 and the load (`status`, `sessions`, `capacity`, `stepsPerSecond`, `eventLoopUtilization`, ...) while serving; 503 `{"status": "draining"}` while draining. No token needed. |
 * | `GET /livez` | liveness | 200 while the process answers HTTP at all (also while draining). No token needed. |
 * | `GET /metrics` | Prometheus | the text exposition (server-metrics.ts); needs the token when the server has one |
 *
 * Anything else is `426 Upgrade Required`: the server speaks JSON-RPC over WebSocket.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerMetrics } from './server-metrics.js';

export interface HttpEndpointContext {
  metrics: ServerMetrics;
  /** Added to every response (the shared security headers). */
  headers?: Record<string, string>;
  /** Whether the request carries the server's token (true when it has none). */
  authorized(req: IncomingMessage): boolean;
}

export function serveHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpEndpointContext): void {
  const path = (req.url ?? '/').split('?')[0] as string;
  const known = path === '/healthz' || path === '/livez' || path === '/metrics';
  if (!known) {
    res.writeHead(426, { ...ctx.headers, 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'close' });
    res.end('ludus env server: connect with a WebSocket and speak JSON-RPC 2.0 (see docs/protocol.md); GET /healthz, /livez and /metrics are plain HTTP.\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain', `${req.method ?? '?'} is not allowed on ${path}: use GET.\n`, { ...ctx.headers, Allow: 'GET, HEAD' });
    return;
  }
  if (path === '/livez') {
    send(res, 200, 'application/json', JSON.stringify({ status: 'alive' }), ctx.headers);
    return;
  }
  if (path === '/healthz') {
    const load = ctx.metrics.load();
    send(res, load.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(load), ctx.headers);
    return;
  }
  if (!ctx.authorized(req)) {
    send(res, 401, 'text/plain', 'Missing or wrong token: send "Authorization: Bearer <token>" (Prometheus: authorization.credentials in the scrape config).\n', { ...ctx.headers, 'WWW-Authenticate': 'Bearer' });
    return;
  }
  ctx.metrics.text().then(
    (text) => send(res, 200, ctx.metrics.contentType, text, ctx.headers),
    (err: unknown) => send(res, 500, 'text/plain', `metrics failed: ${err instanceof Error ? err.message : String(err)}\n`, ctx.headers),
  );
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}
