/**
 * Env servers found by DNS, so a fleet that is scaled is used without restarting the trainer:
 *
 * - `dns+ws://HOST:PORT` — every address HOST resolves to (A and AAAA records). A Kubernetes
 *   headless Service (`clusterIP: None`) resolves to the address of each *ready* pod, so pods
 *   that are added appear and pods that drain (readiness fails) disappear.
 * - `srv+ws://NAME` — the SRV records of NAME (host and port each), e.g. the named port of a
 *   headless Service: `_ws._tcp.ludus-env-pods.default.svc.cluster.local`.
 * - `ws://…` / `wss://…` — one server, as is (`dns+wss://`, `srv+wss://` for TLS).
 *
 * The resolver is injected (node:dns/promises by default), so tests use a stub, not the network.
 * @module
 */
import { promises as dns } from 'node:dns';
import { LudusError } from '../envs/core/errors.js';

/** The two DNS look-ups discovery needs (the shape of node:dns/promises). */
export interface EnvResolver {
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
  resolveSrv(name: string): Promise<{ name: string; port: number; priority: number; weight: number }[]>;
}

const DISCOVERY = /^(dns|srv)\+(wss?):\/\/(.+)$/;

/** True for the `dns+ws://` and `srv+ws://` forms. */
export function isDiscoveryUrl(url: string): boolean {
  return DISCOVERY.test(url);
}

/** `ws://HOST:PORT`, with IPv6 addresses bracketed. */
function wsUrl(scheme: string, host: string, port: number | string, path: string): string {
  const h = host.includes(':') ? `[${host}]` : host.replace(/\.$/, '');
  return `${scheme}://${h}:${port}${path}`;
}

/** The server URLs one entry of `--env-url` stands for now (sorted, without duplicates). */
export async function resolveEnvUrl(url: string, resolver: EnvResolver = dns): Promise<string[]> {
  const m = DISCOVERY.exec(url);
  if (m === null) return [url];
  const [, kind, scheme, rest] = m as unknown as [string, 'dns' | 'srv', string, string];
  if (kind === 'srv') {
    const name = rest.replace(/\/.*$/, '');
    const path = rest.slice(name.length);
    const records = await resolver.resolveSrv(name);
    return [...new Set(records.map((r) => wsUrl(scheme, r.name, r.port, path)))].sort();
  }
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${rest}`);
  } catch {
    throw new RangeError(`'${url}' is not dns+ws://HOST:PORT`);
  }
  if (parsed.port === '') throw new RangeError(`'${url}' needs a port: dns+ws://HOST:PORT (a DNS name's records carry no port; srv+ws:// records do)`);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const path = `${parsed.pathname === '/' ? '' : parsed.pathname}${parsed.search}`;
  const settled = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
  if (addresses.length === 0 && settled[0].status === 'rejected') throw settled[0].reason;
  return [...new Set(addresses.map((a) => wsUrl(scheme, a, parsed.port, path)))].sort();
}

/**
 * The current server set of a list of `--env-url` entries, looked up again at most every
 * `refreshMs`. A look-up that fails (DNS down for a moment) keeps the last set; with no set yet,
 * it fails with CONNECTION_CLOSED naming the name.
 */
export class EnvDiscovery {
  private current: string[] = [];
  private resolvedAt = -Infinity;
  private resolving?: Promise<string[]>;

  constructor(
    readonly entries: readonly string[],
    private readonly resolver: EnvResolver = dns,
    private readonly refreshMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (entries.length === 0) throw new RangeError('EnvDiscovery needs at least one --env-url');
  }

  /** True when some entry is looked up in DNS (else the set never changes). */
  get dynamic(): boolean {
    return this.entries.some(isDiscoveryUrl);
  }

  /** The servers now (looked up again when the last look-up is older than refreshMs). */
  urls(): Promise<string[]> {
    if (!this.dynamic) return Promise.resolve([...this.entries]);
    if (this.now() - this.resolvedAt < this.refreshMs && this.current.length > 0) return Promise.resolve(this.current);
    this.resolving ??= this.lookUp().finally(() => {
      this.resolving = undefined;
    });
    return this.resolving;
  }

  private async lookUp(): Promise<string[]> {
    const settled = await Promise.allSettled(this.entries.map((e) => resolveEnvUrl(e, this.resolver)));
    const found = [...new Set(settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : [])))];
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined && this.current.length > 0) return this.current; // keep the last set through a DNS hiccup
    if (found.length === 0) {
      const why = failed === undefined ? 'no records' : failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
      throw new LudusError('CONNECTION_CLOSED', `No env server found behind ${this.entries.join(', ')} (${why}): check the Service's name and that its pods are ready.`);
    }
    this.current = found;
    this.resolvedAt = this.now();
    return found;
  }
}
