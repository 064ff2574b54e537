/**
 * The viewer's access rule: on a loopback host it needs nothing; on any other host it refuses to
 * start without a token (as `ludus serve` does), and then every request must carry it — as
 * `Authorization: Bearer <token>`, as the cookie a first `?token=<token>` visit sets (so a browser
 * can open the link once and navigate), or as `?token=` itself.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OptionsError } from '../../envs/core/errors.js';
import { isLoopbackHost } from '../../envs/server/options.js';

export const VIEWER_TOKEN_COOKIE = 'ludus_viewer_token';

/** Throws OPTIONS_INVALID when `host` is not loopback and there is no token; an empty token is no token. */
export function checkViewerBind(host: string, token: string | undefined): void {
  if (token !== undefined && token.length === 0) throw new OptionsError('Viewer', ['token must not be empty']);
  if (!isLoopbackHost(host) && token === undefined) {
    throw new OptionsError('Viewer', [
      `refusing to bind non-loopback host '${host}' without authentication: pass a token (--token or $LUDUS_VIEWER_TOKEN) or bind 127.0.0.1`,
    ]);
  }
}

/** How a request stands against the token: allowed, allowed via `?token=` (set the cookie, drop it from the URL), or refused. */
export type ViewerAccess = { ok: true; setCookie?: string; cleanUrl?: string } | { ok: false };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function viewerAccess(req: Pick<IncomingMessage, 'headers' | 'url'>, token: string | undefined): ViewerAccess {
  if (token === undefined) return { ok: true };
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ') && same(auth.slice(7), token)) return { ok: true };
  const cookie = cookieValue(req.headers.cookie, VIEWER_TOKEN_COOKIE);
  if (cookie !== undefined && same(cookie, token)) return { ok: true };
  const url = new URL(req.url ?? '/', 'http://viewer');
  const given = url.searchParams.get('token');
  if (given !== null && same(given, token)) {
    url.searchParams.delete('token');
    return {
      ok: true,
      setCookie: `${VIEWER_TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      cleanUrl: `${url.pathname}${url.search}`,
    };
  }
  return { ok: false };
}
