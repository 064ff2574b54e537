/** Spreading groups over env servers by their load. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { RemoteEnvClient } from '../../envs/client/remote-env-client.js';
import { startServer, type EnvServer } from '../../envs/server/env-server.js';
import { healthUrl, LoadBalancer, loadScore, probeServer, rankServers, type ServerLoadSample } from '../../trainer/load-balancer.js';
import { RemoteEnvProvider } from '../../trainer/env-provider.js';

const sample = (url: string, s: Partial<ServerLoadSample> = {}): ServerLoadSample => ({ url, reachable: true, draining: false, sessions: 0, capacity: 100, eventLoopUtilization: 0.2, stepsPerSecond: 0, ...s });

describe('loadScore and rankServers (pure)', () => {
  it('scores open plus placed sessions per capacity; a saturated loop adds half; servers to avoid are Infinity', () => {
    expect(loadScore(sample('a', { sessions: 30 }), 10)).toBeCloseTo(0.4, 12);
    expect(loadScore(sample('a', { sessions: 30, capacity: 400 }), 10)).toBeCloseTo(0.1, 12);
    expect(loadScore(sample('a', { sessions: 30, eventLoopUtilization: 0.95 }), 10)).toBeCloseTo(0.9, 12);
    expect(loadScore(sample('a', { draining: true }), 0)).toBe(Infinity);
    expect(loadScore(sample('a', { reachable: false }), 0)).toBe(Infinity);
    expect(loadScore(sample('a', { capacity: 0, sessions: 512 }), 0)).toBeCloseTo(0.5, 12); // unknown capacity: 1024
  });

  it('ranks least loaded first, equals round-robin from the slot, servers to avoid last', () => {
    const urls = ['a', 'b', 'c', 'd'];
    const samples = new Map([
      ['a', sample('a', { sessions: 40 })],
      ['b', sample('b', { sessions: 0 })],
      ['c', sample('c', { sessions: 0 })],
      ['d', sample('d', { draining: true })],
    ]);
    expect(rankServers(urls, samples, new Map(), 0, 8)).toEqual(['b', 'c', 'a', 'd']);
    expect(rankServers(urls, samples, new Map(), 2, 8)).toEqual(['c', 'b', 'a', 'd']);
    expect(rankServers(urls, samples, new Map([['b', 8]]), 0, 8)).toEqual(['c', 'b', 'a', 'd']);
    expect(rankServers(urls, samples, new Map([['b', 40], ['c', 40]]), 0, 8)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('maps ws URLs to their /healthz', () => {
    expect(healthUrl('ws://127.0.0.1:8765')).toBe('http://127.0.0.1:8765/healthz');
    expect(healthUrl('wss://envs.example:443/path?token=x')).toBe('https://envs.example/healthz');
  });
});

describe('LoadBalancer over real env servers', () => {
  let servers: EnvServer[];
  let busyClient: RemoteEnvClient;
  beforeAll(async () => {
    servers = await Promise.all([0, 1, 2].map(() => startServer({ port: 0, maxSessions: 64 })));
    busyClient = await RemoteEnvClient.connect(servers[0]!.url); // another trainer keeps server 0 busy
    await busyClient.open('household-v1', {}, 48);
  });
  afterAll(async () => {
    await busyClient.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('reads each server\'s load from /healthz', async () => {
    const s = await probeServer(servers[0]!.url, { timeoutMs: 2000 });
    expect(s).toMatchObject({ reachable: true, draining: false, sessions: 48, capacity: 64 });
    const gone = await probeServer('ws://127.0.0.1:9', { timeoutMs: 500 });
    expect(gone.reachable).toBe(false);
  });

  it('opens groups on the less loaded servers (round-robin would put a third on the busy one)', async () => {
    const provider = new RemoteEnvProvider('household-v1', { difficulty: 'easy' }, servers.map((s) => s.url));
    try {
      const before = servers.map((s) => s.sessionCount);
      const groups = await Promise.all(Array.from({ length: 6 }, (_, slot) => provider.openGroup(4, slot)));
      const added = servers.map((s, i) => s.sessionCount - before[i]!);
      expect(added).toEqual([0, 12, 12]);
      for (const g of groups) for (const e of g) await e.close();
      provider.balancer.mode = 'round-robin'; // the baseline: a third of the groups on the busy server
      const before2 = servers.map((s) => s.sessionCount);
      const rr = await Promise.all(Array.from({ length: 6 }, (_, slot) => provider.openGroup(4, slot)));
      expect(servers.map((s, i) => s.sessionCount - before2[i]!)).toEqual([8, 8, 8]);
      for (const g of rr) for (const e of g) await e.close();
    } finally {
      await provider.close();
    }
  });

  it('ranks a draining server last, and fails over from one that refuses the group', async () => {
    const small = await startServer({ port: 0, maxSessions: 64, maxSessionsPerConnection: 2 }); // looks empty, takes 2 per connection
    const draining = await startServer({ port: 0 });
    const holder = await RemoteEnvClient.connect(draining.url);
    const [kept] = await holder.open('household-v1', {}, 1);
    const drained = draining.drain(60_000);
    const provider = new RemoteEnvProvider('household-v1', {}, [draining.url, small.url, servers[1]!.url]);
    try {
      const lb = new LoadBalancer([draining.url, small.url], { refreshMs: 0 });
      expect(await lb.order(0, 1)).toEqual([small.url, draining.url]);
      const before = servers[1]!.sessionCount;
      const group = await provider.openGroup(3, 1); // small is ranked first (0 of 64) but refuses 3 on one connection
      expect(small.sessionCount).toBe(0);
      expect(servers[1]!.sessionCount - before).toBe(3);
      for (const e of group) await e.close();
      const only = new RemoteEnvProvider('household-v1', {}, [draining.url]);
      await expect(only.openGroup(1, 0)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED', message: expect.stringMatching(/No env server could be reached or would take the group.*draining/) });
      await only.close();
    } finally {
      await provider.close();
      await kept!.close();
      await drained;
      await holder.close();
      await small.close();
    }
  });
});
