/**
 * Where rollout envs come from: in-process `make` (the default) or one or several env servers.
 * A group is N copies that are identical after a reset with the same task and seed.
 * @module
 */
import { RemoteEnvClient } from '../envs/client/remote-env-client.js';
import { make, makeAny, makeMulti, spec } from '../envs/core/registry.js';
import { summarizeSpec, type EnvSummary } from '../envs/core/spec.js';
import type { Env, MultiAgentEnv } from '../envs/core/types.js';
import { LudusError, UnknownEnvError } from '../envs/core/errors.js';
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

/** Errors after which a group is opened on the next server instead: it is down, draining or full. */
function tryNextServer(err: unknown): err is LudusError {
  return err instanceof LudusError && (err.code === 'CONNECTION_CLOSED' || err.code === 'SERVER_DRAINING' || err.code === 'SESSION_LIMIT');
}

/**
 * Opens groups with `session.open {copies}` on the least-loaded server (load-balancer.ts: open
 * sessions per capacity from each server's /healthz; draining, hung or unreachable servers last;
 * round-robin among equals); a server that is down, draining or full is skipped for the next one;
 * reconnects a dropped server.
 */
export class RemoteEnvProvider implements EnvProvider {
  private readonly clients = new Map<string, RemoteEnvClient>();
  readonly balancer: LoadBalancer;

  constructor(
    private readonly envId: string,
    private readonly options: Record<string, unknown>,
    private readonly urls: readonly string[],
    private readonly token?: string,
  ) {
    if (urls.length === 0) throw new RangeError('RemoteEnvProvider needs at least one server URL');
    this.balancer = new LoadBalancer(urls, token === undefined ? {} : { token });
  }

  get where(): string {
    return this.urls.join(', ');
  }

  async describe(): Promise<EnvSummary> {
    const envs = await (await this.client(this.urls[0] as string)).listEnvs();
    const found = envs.find((e) => e.id === this.envId);
    if (!found) throw new UnknownEnvError(this.envId, envs.map((e) => e.id).filter((id) => id.replace(/-v\d+$/, '') === this.envId.replace(/-v\d+$/, '')));
    return found;
  }

  /** Opens the group on the least-loaded server (ties: round-robin from `slot`); a server that is down, draining or full is skipped for the next one. */
  async openGroup(copies: number, slot: number): Promise<Env[]> {
    return this.onServer(slot, copies, (client) => client.open(this.envId, this.options, copies));
  }

  async openGameGroup(copies: number, slot: number): Promise<MultiAgentEnv[]> {
    return this.onServer(slot, copies, (client) => client.openMulti(this.envId, this.options, copies));
  }

  private async onServer<T>(slot: number, copies: number, open: (client: RemoteEnvClient) => Promise<T>): Promise<T> {
    let lastError: LudusError | undefined;
    const order = await this.balancer.order(slot, copies);
    for (const [k, url] of order.entries()) {
      if (k > 0) this.balancer.moved(order[k - 1] as string, url, copies);
      try {
        const client = await this.client(url);
        return await open(client);
      } catch (err) {
        if (!tryNextServer(err)) throw err;
        if (err.code === 'CONNECTION_CLOSED') this.clients.delete(url);
        lastError = err;
      }
    }
    throw new LudusError('CONNECTION_CLOSED', `No env server could be reached or would take the group (${this.where}): ${lastError?.message ?? 'no servers'}. Start one with \`ludus serve\`, or wait for draining ones to be replaced.`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }

  private async client(url: string): Promise<RemoteEnvClient> {
    const existing = this.clients.get(url);
    if (existing && !existing.closed) return existing;
    const client = await RemoteEnvClient.connect(url, this.token === undefined ? {} : { token: this.token });
    this.clients.set(url, client);
    return client;
  }
}

export function envProviderFor(config: { env: string; envOptions: Record<string, unknown>; maxSteps: number; envUrl: string[]; token?: string | undefined }): EnvProvider {
  const options = { ...config.envOptions, maxEpisodeSteps: config.maxSteps };
  return config.envUrl.length > 0
    ? new RemoteEnvProvider(config.env, options, config.envUrl, config.token)
    : new LocalEnvProvider(config.env, options);
}
