/**
 * Env servers found by DNS (trainer/env-discovery.ts), with a resolver stub instead of the network:
 * the URL forms, the refresh, a DNS failure, and a provider that uses a scaled fleet without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteEnv } from '../../envs/client/remote-env.js';
import { LudusError } from '../../envs/core/errors.js';
import { startServer, type EnvServer } from '../../envs/server/index.js';
import { EnvDiscovery, isDiscoveryUrl, resolveEnvUrl, type EnvResolver } from '../../trainer/env-discovery.js';
import { RemoteEnvProvider } from '../../trainer/env-provider.js';
import { registerToyEnv, TOY_ENV_ID } from '../helpers/toy-env.js';

registerToyEnv();

/** A resolver answering from tables that the test changes; unknown names fail like DNS (ENOTFOUND). */
function stubResolver(tables: { a?: Record<string, string[]>; aaaa?: Record<string, string[]>; srv?: Record<string, { name: string; port: number }[]> }): EnvResolver & { calls: number } {
  const notFound = (name: string) => Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  const r = {
    calls: 0,
    async resolve4(host: string) {
      r.calls += 1;
      const found = tables.a?.[host];
      if (found === undefined) throw notFound(host);
      return found;
    },
    async resolve6(host: string) {
      const found = tables.aaaa?.[host];
      if (found === undefined) throw notFound(host);
      return found;
    },
    async resolveSrv(name: string) {
      r.calls += 1;
      const found = tables.srv?.[name];
      if (found === undefined) throw notFound(name);
      return found.map((x) => ({ ...x, priority: 0, weight: 1 }));
    },
  };
  return r;
}

describe('resolveEnvUrl', () => {
  it('dns+ws:// is every address of the name; srv+ws:// every SRV target and port; ws:// itself', async () => {
    const resolver = stubResolver({
      a: { 'ludus-env-pods.default.svc.cluster.local': ['10.0.0.7', '10.0.0.5', '10.0.0.7'] },
      aaaa: { 'ludus-env-pods.default.svc.cluster.local': ['fd00::3'] },
      srv: { '_ws._tcp.ludus-env-pods': [{ name: 'pod-b.ludus-env-pods.', port: 8765 }, { name: 'pod-a.ludus-env-pods.', port: 9000 }] },
    });
    expect(await resolveEnvUrl('dns+ws://ludus-env-pods.default.svc.cluster.local:8765', resolver)).toEqual(['ws://10.0.0.5:8765', 'ws://10.0.0.7:8765', 'ws://[fd00::3]:8765']);
    expect(await resolveEnvUrl('srv+wss://_ws._tcp.ludus-env-pods', resolver)).toEqual(['wss://pod-a.ludus-env-pods:9000', 'wss://pod-b.ludus-env-pods:8765']);
    expect(await resolveEnvUrl('ws://127.0.0.1:1', resolver)).toEqual(['ws://127.0.0.1:1']);
    await expect(resolveEnvUrl('dns+ws://ludus-env-pods', resolver)).rejects.toThrow(/needs a port/);
    await expect(resolveEnvUrl('dns+ws://nowhere:1', resolver)).rejects.toThrow(/ENOTFOUND/);
    expect(isDiscoveryUrl('dns+ws://x:1')).toBe(true);
    expect(isDiscoveryUrl('ws://x:1')).toBe(false);
  });
});

describe('EnvDiscovery', () => {
  it('looks names up again after refreshMs, keeps the last set through a DNS failure, and fails without one', async () => {
    const tables = { a: { svc: ['10.0.0.1'] } as Record<string, string[]> };
    const resolver = stubResolver(tables);
    let clock = 0;
    const d = new EnvDiscovery(['dns+ws://svc:8765', 'ws://static:1'], resolver, 10_000, () => clock);
    expect(await d.urls()).toEqual(['ws://10.0.0.1:8765', 'ws://static:1']);
    tables.a.svc = ['10.0.0.1', '10.0.0.2'];
    clock = 5_000;
    expect(await d.urls()).toEqual(['ws://10.0.0.1:8765', 'ws://static:1']); // not due yet
    clock = 10_001;
    expect(await d.urls()).toEqual(['ws://10.0.0.1:8765', 'ws://10.0.0.2:8765', 'ws://static:1']);
    delete tables.a.svc;
    clock = 30_000;
    expect(await d.urls()).toEqual(['ws://10.0.0.1:8765', 'ws://10.0.0.2:8765', 'ws://static:1']); // DNS down: the last set
    const none = new EnvDiscovery(['dns+ws://gone:1'], resolver);
    const err = (await none.urls().catch((e: unknown) => e)) as LudusError;
    expect(err.code).toBe('CONNECTION_CLOSED');
    expect(err.message).toMatch(/No env server found behind dns\+ws:\/\/gone:1 .*ENOTFOUND/);
    expect(new EnvDiscovery(['ws://a:1'], resolver).dynamic).toBe(false);
  });
});

describe('RemoteEnvProvider on srv+ws://', () => {
  let servers: EnvServer[] = [];
  beforeAll(async () => {
    servers = await Promise.all([startServer({ port: 0 }), startServer({ port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('places groups on servers that join the Service, without a new provider', async () => {
    const port = (s: EnvServer) => Number(new URL(s.url).port);
    const records = [{ name: '127.0.0.1', port: port(servers[0]!) }];
    const resolver = stubResolver({ srv: { '_ws._tcp.fleet': records } });
    const provider = new RemoteEnvProvider(TOY_ENV_ID, {}, ['srv+ws://_ws._tcp.fleet'], undefined, {}, { resolver, refreshMs: 0 });
    try {
      const where = async () => {
        const urls: string[] = [];
        for (let slot = 0; slot < 4; slot++) {
          const envs = (await provider.openGroup(2, slot)) as RemoteEnv[];
          urls.push(envs[0]!.client.url);
          await Promise.all(envs.map((e) => e.close()));
        }
        return new Set(urls);
      };
      expect(await where()).toEqual(new Set([servers[0]!.url]));
      records.push({ name: '127.0.0.1', port: port(servers[1]!) }); // the fleet was scaled to 2
      expect(await where()).toEqual(new Set([servers[0]!.url, servers[1]!.url]));
      records.splice(0, 1); // server 0 left the Service (drained)
      expect(await where()).toEqual(new Set([servers[1]!.url]));
      expect((await provider.describe()).id).toBe(TOY_ENV_ID);
    } finally {
      await provider.close();
    }
  });
});
