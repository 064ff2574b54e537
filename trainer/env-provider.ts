/**
 * Where rollout envs come from: in-process `make` (the default) or one or several env servers.
 * A group is N copies that are identical after a reset with the same task and seed.
 * @module
 */
import { RemoteEnvClient } from '../envs/client/remote-env-client.js';
import { make, spec } from '../envs/core/registry.js';
import { summarizeSpec, type EnvSummary } from '../envs/core/spec.js';
import type { Env } from '../envs/core/types.js';
import { LudusError, UnknownEnvError } from '../envs/core/errors.js';

export interface EnvProvider {
  /** Opens `copies` fresh envs for one group (`slot` spreads groups over servers). */
  openGroup(copies: number, slot: number): Promise<Env[]>;
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
    make(envId, options).close(); // validate the id and options once, before any work
  }

  async describe(): Promise<EnvSummary> {
    return summarizeSpec(spec(this.envId));
  }

  async openGroup(copies: number): Promise<Env[]> {
    return Array.from({ length: copies }, () => make(this.envId, this.options));
  }

  async close(): Promise<void> {}
}

/** Opens groups with `session.open {copies}`, round-robin over servers; reconnects a dropped server. */
export class RemoteEnvProvider implements EnvProvider {
  /** One connection (or connection attempt) per URL: concurrent callers share it, so none leaks. */
  private readonly clients = new Map<string, Promise<RemoteEnvClient>>();
  /** Every connection ever made, closed by `close()` even if replaced after a drop. */
  private readonly made = new Set<RemoteEnvClient>();

  constructor(
    private readonly envId: string,
    private readonly options: Record<string, unknown>,
    private readonly urls: readonly string[],
    private readonly token?: string,
  ) {
    if (urls.length === 0) throw new RangeError('RemoteEnvProvider needs at least one server URL');
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

  /** Opens the group on server `slot` (round-robin); a server that cannot be reached is skipped for the next one. */
  async openGroup(copies: number, slot: number): Promise<Env[]> {
    let lastError: LudusError | undefined;
    for (let k = 0; k < this.urls.length; k++) {
      const url = this.urls[(slot + k) % this.urls.length] as string;
      try {
        const client = await this.client(url);
        return await client.open(this.envId, this.options, copies);
      } catch (err) {
        if (!(err instanceof LudusError) || err.code !== 'CONNECTION_CLOSED') throw err;
        lastError = err;
      }
    }
    throw new LudusError('CONNECTION_CLOSED', `No env server could be reached (${this.where}): ${lastError?.message ?? 'no servers'}. Start one with \`ludus serve\`.`);
  }

  async close(): Promise<void> {
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
    const connecting = RemoteEnvClient.connect(url, this.token === undefined ? {} : { token: this.token }).then((client) => {
      this.made.add(client);
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
}

export function envProviderFor(config: { env: string; envOptions: Record<string, unknown>; maxSteps: number; envUrl: string[]; token?: string | undefined }): EnvProvider {
  const options = { ...config.envOptions, maxEpisodeSteps: config.maxSteps };
  return config.envUrl.length > 0
    ? new RemoteEnvProvider(config.env, options, config.envUrl, config.token)
    : new LocalEnvProvider(config.env, options);
}
