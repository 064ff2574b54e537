/**
 * Where rollout envs come from: in-process `make` (the default) or one or several env servers.
 * A group is N copies that are identical after a reset with the same task and seed.
 * @module
 */
import { RemoteEnvClient, type RemoteEnvClientOptions } from '../envs/client/remote-env-client.js';
import { make, makeAny, makeMulti, spec } from '../envs/core/registry.js';
import { summarizeSpec, type EnvSummary } from '../envs/core/spec.js';
import type { Env, MultiAgentEnv } from '../envs/core/types.js';
import { LudusError, UnknownEnvError } from '../envs/core/errors.js';
import { EnvDiscovery, type EnvResolver } from './env-discovery.js';
import { LoadBalancer } from './load-balancer.js';

export interface EnvProvider {
  /** Opens `copies` fresh envs for one group (`slot` spreads groups over servers). */
  openGroup(copies: number, slot: number): Promise<Env[]>;
  /** The same for a multi-agent env: `copies` games the trainer steps for every seat. */
  openGameGroup(copies: number, slot: number): Promise<MultiAgentEnv[]>;
  /** The env's summary (splits, limits), as `envs.list` reports it. */
  describe(): Promise<EnvSummary>;
  /** Human-readable: "in process" or the server URLs. */
  readonly where: string;
  close(): Promise<void>;
}

/**
 * Errors that mean "the env's transport failed" (a dropped connection, a server that did not
 * answer in time, an env crash reported by the server): the work is redone, elsewhere if possible.
 */
export function isTransportError(err: unknown): err is LudusError {
  return err instanceof LudusError && (err.code === 'CONNECTION_CLOSED' || err.code === 'TIMEOUT' || err.code === 'REMOTE_ERROR');
}

/** How long a server that failed is tried only after the others. */
export const SERVER_COOLDOWN_MS = 30_000;

export class LocalEnvProvider implements EnvProvider {
  readonly where = 'in process';

  constructor(
    private readonly envId: string,
    private readonly options: Record<string, unknown>,
  ) {
    void makeAny(envId, options).env.close(); // validate the id and options once, before any work
  }

  async describe(): Promise<EnvSummary> {
    return summarizeSpec(spec(this.envId));
  }

  async openGroup(copies: number): Promise<Env[]> {
    return Array.from({ length: copies }, () => make(this.envId, this.options));
  }

  async openGameGroup(copies: number): Promise<MultiAgentEnv[]> {
    return Array.from({ length: copies }, () => makeMulti(this.envId, this.options));
  }

  async close(): Promise<void> {}
}

/** Errors after which a group is opened on the next server, though the connection is fine: the server is draining or full. */
function refusedHere(err: unknown): err is LudusError {
  return err instanceof LudusError && (err.code === 'SERVER_DRAINING' || err.code === 'SESSION_LIMIT');
}

/**
 * Opens groups with `session.open {copies}` on the least-loaded server (load-balancer.ts: open
 * sessions per capacity from each server's /healthz; draining, hung or unreachable servers last;
 * round-robin among equals). A server whose connection dropped, or that did not answer in time, is
 * tried last for SERVER_COOLDOWN_MS (so groups fail over to the others at once); it is reconnected
 * when its turn comes again. A server that is draining or full is skipped for the next one.
 */
export class RemoteEnvProvider implements EnvProvider {
  /** One connection (or connection attempt) per URL: concurrent callers share it, so none leaks. */
  private readonly clients = new Map<string, Promise<RemoteEnvClient>>();
  /** Every connection ever made, closed by `close()` even if replaced after a drop. */
  private readonly made = new Set<RemoteEnvClient>();
  /** URL → until when it counts as failed. */
  private readonly failedUntil = new Map<string, number>();
  private closed = false;
  /** Ranks the servers for each group by their load. */
  readonly balancer: LoadBalancer;

  /** The servers behind the `--env-url` entries (DNS names looked up again every `refreshMs`). */
  private readonly discovery: EnvDiscovery;

  constructor(
    private readonly envId: string,
    private readonly options: Record<string, unknown>,
    /** Server URLs, or DNS names that list them (`dns+ws://HOST:PORT`, `srv+ws://NAME`: env-discovery.ts). */
    private readonly urls: readonly string[],
    private readonly token?: string,
    /** Client timeouts and heartbeat (defaults: see RemoteEnvClientOptions). */
    readonly clientOptions: Omit<RemoteEnvClientOptions, 'token'> = {},
    /** Discovery: the DNS resolver (default node:dns) and how often names are looked up again (default 10 s). */
    discovery: { resolver?: EnvResolver; refreshMs?: number } = {},
  ) {
    if (urls.length === 0) throw new RangeError('RemoteEnvProvider needs at least one server URL');
    this.discovery = new EnvDiscovery(urls, discovery.resolver, discovery.refreshMs);
    this.balancer = new LoadBalancer(urls, token === undefined ? {} : { token });
  }

  get where(): string {
    return this.urls.join(', ');
  }

  /** The servers now: looks the DNS names up again when due, and hands a changed set to the balancer. */
  async servers(): Promise<readonly string[]> {
    if (this.discovery.dynamic) this.balancer.setUrls(await this.discovery.urls());
    return this.balancer.urls;
  }

  async describe(): Promise<EnvSummary> {
    const envs = await (await this.client((await this.servers())[0] as string)).listEnvs();
    const found = envs.find((e) => e.id === this.envId);
    if (!found) throw new UnknownEnvError(this.envId, envs.map((e) => e.id).filter((id) => id.replace(/-v\d+$/, '') === this.envId.replace(/-v\d+$/, '')));
    return found;
  }

  /**
   * Opens the group on the least-loaded server (ties: round-robin from `slot`; servers that failed
   * recently last); a server that cannot be reached, does not answer in time, drains or is full is
   * skipped for the next one.
   */
  async openGroup(copies: number, slot: number): Promise<Env[]> {
    return this.onServer(slot, copies, (client) => client.open(this.envId, this.options, copies));
  }

  async openGameGroup(copies: number, slot: number): Promise<MultiAgentEnv[]> {
    return this.onServer(slot, copies, (client) => client.openMulti(this.envId, this.options, copies));
  }

  private async onServer<T>(slot: number, copies: number, open: (client: RemoteEnvClient) => Promise<T>): Promise<T> {
    let lastError: LudusError | undefined;
    const order = await this.order(slot, copies);
    for (const [k, url] of order.entries()) {
      if (k > 0) this.balancer.moved(order[k - 1] as string, url, copies);
      try {
        const client = await this.client(url);
        const envs = await open(client);
        this.failedUntil.delete(url);
        return envs;
      } catch (err) {
        if (isTransportError(err)) this.markFailed(url);
        else if (!refusedHere(err)) throw err;
        lastError = err;
      }
    }
    throw new LudusError('CONNECTION_CLOSED', `No env server could be reached or would take the group (${this.where}): ${lastError?.message ?? 'no servers'}. Start one with \`ludus serve\`, or wait for draining ones to be replaced.`);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(pending.map((p) => p.then(undefined, () => undefined)));
    await Promise.all([...this.made].map((c) => c.close()));
    this.made.clear();
  }

  private async client(url: string): Promise<RemoteEnvClient> {
    for (;;) {
      const existing = this.clients.get(url);
      if (existing === undefined) break;
      const client = await existing.catch(() => undefined);
      if (client && !client.closed) return client;
      if (this.clients.get(url) === existing) {
        this.clients.delete(url);
        if (client) this.made.delete(client);
        break;
      }
    }
    const options = this.token === undefined ? this.clientOptions : { ...this.clientOptions, token: this.token };
    const connecting = RemoteEnvClient.connect(url, options).then((client) => {
      this.made.add(client);
      void client.whenClosed.then(() => {
        if (!this.closed) this.markFailed(url);
      });
      return client;
    });
    this.clients.set(url, connecting);
    try {
      return await connecting;
    } catch (err) {
      if (this.clients.get(url) === connecting) this.clients.delete(url);
      throw err;
    }
  }

  /** The URLs by load (the balancer's ranking), those that failed within the cooldown moved to the end. */
  private async order(slot: number, copies: number): Promise<string[]> {
    await this.servers();
    const ranked = await this.balancer.order(slot, copies);
    const now = Date.now();
    const failed = (url: string) => (this.failedUntil.get(url) ?? 0) > now;
    const order = [...ranked.filter((u) => !failed(u)), ...ranked.filter(failed)];
    if (order[0] !== ranked[0]) this.balancer.moved(ranked[0] as string, order[0] as string, copies);
    return order;
  }

  private markFailed(url: string): void {
    this.failedUntil.set(url, Date.now() + SERVER_COOLDOWN_MS);
  }
}

export function envProviderFor(config: {
  env: string;
  envOptions: Record<string, unknown>;
  maxSteps: number;
  envUrl: string[];
  token?: string | undefined;
  /** Client timeouts and heartbeat for env servers. */
  client?: Omit<RemoteEnvClientOptions, 'token'>;
  /** The training config's deadlines (`--request-timeout`, `--connect-timeout`); they override `client`'s. */
  requestTimeoutMs?: number | undefined;
  connectTimeoutMs?: number | undefined;
}): EnvProvider {
  const options = { ...config.envOptions, maxEpisodeSteps: config.maxSteps };
  const client: Omit<RemoteEnvClientOptions, 'token'> = { ...config.client };
  if (config.requestTimeoutMs !== undefined) client.requestTimeoutMs = config.requestTimeoutMs;
  if (config.connectTimeoutMs !== undefined) client.connectTimeoutMs = config.connectTimeoutMs;
  return config.envUrl.length > 0
    ? new RemoteEnvProvider(config.env, options, config.envUrl, config.token, client)
    : new LocalEnvProvider(config.env, options);
}
