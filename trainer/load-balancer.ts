/**
 * Load-aware spreading of groups over env servers: before groups are opened, each server's
 * `GET /healthz` is read (at most once per `refreshMs`, with a short timeout), and each group goes
 * to the least-loaded server — the one with the lowest (open sessions + sessions this trainer just
 * placed there) / capacity (its `maxSessions`), a saturated event loop (utilization above 0.9)
 * counting as half a server more. Servers that are draining, unreachable or that do not answer the
 * probe in time (a hung process) come last, so groups go elsewhere while any server is healthy and
 * the old failover still applies when none is. Ties go round-robin from the group's slot, so equal
 * servers share groups evenly, as before.
 *
 * What a trainer gains: groups avoid servers other trainers (or a noisy job) keep busy, bigger
 * servers (a higher `--max-sessions`) get more, and a server that hangs or drains gets none.
 * @module
 */

/** One server's load as its `/healthz` reported it. */
export interface ServerLoadSample {
  url: string;
  /** Answered the probe (any HTTP answer: a server without /healthz counts as reachable, load unknown). */
  reachable: boolean;
  draining: boolean;
  sessions: number;
  capacity: number;
  eventLoopUtilization: number;
  stepsPerSecond: number;
  /** Why it is unreachable or unknown, for logs. */
  note?: string;
}

export interface LoadBalancerOptions {
  /** Sent as Bearer (servers answer /healthz without it; harmless either way). */
  token?: string;
  /** Minimum time between two probes of the fleet. Default 1000 ms. */
  refreshMs?: number;
  /** A server that does not answer /healthz within this counts as unreachable. Default 2000 ms. */
  probeTimeoutMs?: number;
  /** How to read one server's load (tests may pass their own). */
  probe?: (url: string, options: { token?: string; timeoutMs: number }) => Promise<ServerLoadSample>;
  /** `load` (default) or `round-robin`: rotation from the group's slot, no probes (the old behaviour, a baseline). */
  mode?: 'load' | 'round-robin';
}

/** `ws://host:port/x?token=…` → `http://host:port/healthz` (wss → https). */
export function healthUrl(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '/healthz';
  u.search = '';
  return u.toString();
}

/** Reads `GET /healthz` of the server behind a ws:// URL. Never throws. */
export async function probeServer(url: string, options: { token?: string; timeoutMs: number }): Promise<ServerLoadSample> {
  const unknown = (reachable: boolean, note: string): ServerLoadSample => ({ url, reachable, draining: false, sessions: 0, capacity: 0, eventLoopUtilization: 0, stepsPerSecond: 0, note });
  try {
    const res = await fetch(healthUrl(url), {
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.token === undefined ? {} : { headers: { Authorization: `Bearer ${options.token}` } }),
    });
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (body === null || typeof body.sessions !== 'number') return unknown(true, `no load at /healthz (HTTP ${res.status})`);
    return {
      url,
      reachable: true,
      draining: body.status === 'draining' || res.status === 503,
      sessions: body.sessions,
      capacity: typeof body.capacity === 'number' ? body.capacity : 0,
      eventLoopUtilization: typeof body.eventLoopUtilization === 'number' ? body.eventLoopUtilization : 0,
      stepsPerSecond: typeof body.stepsPerSecond === 'number' ? body.stepsPerSecond : 0,
    };
  } catch (err) {
    const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return unknown(false, timeout ? `no answer within ${options.timeoutMs} ms` : err instanceof Error ? err.message : String(err));
  }
}

/** Load score of a sample with `placed` sessions added; Infinity for servers to avoid. Pure. */
export function loadScore(sample: ServerLoadSample, placed: number): number {
  if (!sample.reachable || sample.draining) return Infinity;
  const capacity = sample.capacity > 0 ? sample.capacity : 1024;
  return (sample.sessions + placed) / capacity + (sample.eventLoopUtilization > 0.9 ? 0.5 : 0);
}

/**
 * Ranks servers for one group: least loaded first, ties in round-robin order from `slot`, servers
 * to avoid (Infinity) last in round-robin order. Pure.
 */
export function rankServers(urls: readonly string[], samples: ReadonlyMap<string, ServerLoadSample>, placed: ReadonlyMap<string, number>, slot: number, copies: number): string[] {
  const n = urls.length;
  const rotated = urls.map((_, k) => urls[(((slot + k) % n) + n) % n] as string);
  const score = (url: string) => {
    const s = samples.get(url);
    return s === undefined ? (placed.get(url) ?? 0) + copies : loadScore(s, (placed.get(url) ?? 0) + copies);
  };
  const scored = rotated.map((url, k) => ({ url, k, score: score(url) }));
  scored.sort((a, b) => (a.score === b.score ? a.k - b.k : a.score < b.score ? -1 : 1));
  return scored.map((s) => s.url);
}

export class LoadBalancer {
  private samples = new Map<string, ServerLoadSample>();
  /** Sessions this trainer placed on each server since the last probe. */
  private placed = new Map<string, number>();
  private probedAt = -Infinity;
  private probing?: Promise<void>;
  private readonly refreshMs: number;
  private readonly probeTimeoutMs: number;
  private readonly probe: NonNullable<LoadBalancerOptions['probe']>;
  /** How groups are spread; may be changed between rollouts. */
  mode: 'load' | 'round-robin';

  private servers: readonly string[];

  constructor(
    urls: readonly string[],
    private readonly options: LoadBalancerOptions = {},
  ) {
    if (urls.length === 0) throw new RangeError('LoadBalancer needs at least one server URL');
    this.servers = [...urls];
    this.refreshMs = options.refreshMs ?? 1000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 2000;
    this.probe = options.probe ?? probeServer;
    this.mode = options.mode ?? 'load';
  }

  /** The servers groups are spread over. */
  get urls(): readonly string[] {
    return this.servers;
  }

  /**
   * Replaces the servers (discovery found a scaled fleet); a changed set is probed before the next
   * group is placed. Servers that left get no more groups; the groups already on them go on.
   */
  setUrls(urls: readonly string[]): void {
    if (urls.length === 0) throw new RangeError('LoadBalancer needs at least one server URL');
    if (urls.length === this.servers.length && urls.every((u, i) => u === this.servers[i])) return;
    this.servers = [...urls];
    this.probedAt = -Infinity;
  }

  /** The last probe's samples, by URL. */
  get loads(): ReadonlyMap<string, ServerLoadSample> {
    return this.samples;
  }

  /**
   * The servers to try for a group of `copies`, best first; the group is counted on the first
   * one at once (so groups opened together spread). Call `moved` when it fails over.
   */
  async order(slot: number, copies: number): Promise<string[]> {
    if (this.mode === 'round-robin') return rankServers(this.urls, new Map(), new Map(), slot, 0);
    await this.refresh();
    const ranked = rankServers(this.urls, this.samples, this.placed, slot, copies);
    this.place(ranked[0] as string, copies);
    return ranked;
  }

  /** The group went to `to` instead of `from`. */
  moved(from: string, to: string, copies: number): void {
    this.place(from, -copies);
    this.place(to, copies);
  }

  private place(url: string, copies: number): void {
    this.placed.set(url, Math.max(0, (this.placed.get(url) ?? 0) + copies));
  }

  private refresh(): Promise<void> {
    if (performance.now() - this.probedAt < this.refreshMs) return Promise.resolve();
    this.probing ??= (async () => {
      const samples = await Promise.all(this.urls.map((url) => this.probe(url, { timeoutMs: this.probeTimeoutMs, ...(this.options.token === undefined ? {} : { token: this.options.token }) })));
      this.samples = new Map(samples.map((s) => [s.url, s]));
      this.placed = new Map();
      this.probedAt = performance.now();
    })().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }
}
