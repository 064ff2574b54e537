/**
 * HTTP hardening shared by everything ludus serves over HTTP: the replay viewer, the shop site and
 * the env server's upgrade endpoint.
 *
 * - Security headers on every response: a Content-Security-Policy (per app: what it loads), no
 *   MIME sniffing, no framing, no referrer, same-origin isolation.
 * - A Host check (421 Misdirected Request for any other name): a page served by an attacker's
 *   domain that re-resolves to 127.0.0.1 (DNS rebinding) cannot read a local server's pages.
 * - An Origin check for WebSocket upgrades without a token: a page from a foreign origin cannot
 *   drive a local env server (cross-site WebSocket hijacking). Non-browser clients send no Origin.
 *
 * @example
 * const guard = new HostGuard('127.0.0.1');
 * const server = createServer((req, res) => {
 *   if (!guard.allows(req.headers.host)) return sendMisdirected(res, CSP.text);
 *   res.writeHead(200, { ...securityHeaders(CSP.shop), 'Content-Type': 'text/html; charset=utf-8' });
 * });
 * server.listen(0, '127.0.0.1', () => guard.setPort((server.address() as AddressInfo).port));
 * @module
 */
import type { ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/** Content-Security-Policy of each kind of page ludus serves. */
export const CSP = {
  /** The replay viewer: its own scripts (uPlot, viewer.js) and styles; inline style attributes for bars. */
  viewer:
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  /** The shop site: no scripts at all, one inline <style>, forms that stay on the site. */
  shop: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  /** Plain-text answers (errors, the env server's HTTP page): nothing may load. */
  text: "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/** The headers every response carries, with `csp` as its Content-Security-Policy. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `host` as it appears in a Host header: IPv6 literals in brackets, lower case. */
function hostName(host: string): string {
  const h = host.toLowerCase();
  return isIP(h.replace(/^\[|\]$/g, '')) === 6 && !h.startsWith('[') ? `[${h}]` : h;
}

/**
 * The Host header values a server bound to `bindHost` answers to: the bind address and the
 * loopback names, with or without the port. Anything else is refused (421).
 */
export class HostGuard {
  private allowed: ReadonlySet<string> = new Set();

  constructor(private readonly bindHost: string) {}

  /** Call once listening (the port may have been 0). */
  setPort(port: number): this {
    const names = new Set([hostName(this.bindHost), ...LOOPBACK_NAMES]);
    this.allowed = new Set([...names].flatMap((n) => [n, `${n}:${port}`]));
    return this;
  }

  /** True for a Host header naming this server; a request without one (HTTP/1.0) is allowed. */
  allows(hostHeader: string | undefined): boolean {
    return hostHeader === undefined || this.allowed.has(hostHeader.toLowerCase());
  }

  /**
   * True when a WebSocket upgrade may proceed: no Origin (not a browser), or an Origin on one of
   * this server's own names or on loopback (http/https, any port).
   */
  allowsOrigin(originHeader: string | undefined): boolean {
    if (originHeader === undefined) return true;
    let origin: URL;
    try {
      origin = new URL(originHeader);
    } catch {
      return false;
    }
    if (origin.protocol !== 'http:' && origin.protocol !== 'https:') return false;
    const name = hostName(origin.hostname);
    return LOOPBACK_NAMES.includes(name) || name === hostName(this.bindHost);
  }
}

/** Answers 421 Misdirected Request (a foreign Host header), with the security headers. */
export function sendMisdirected(res: ServerResponse, head = false): void {
  const body = 'Unexpected Host header: open this server at its own address (e.g. http://127.0.0.1:PORT).\n';
  res.writeHead(421, {
    ...securityHeaders(CSP.text),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : body);
}
