/**
 * A rollout over two real `ludus serve` processes, one of which is frozen (SIGSTOP) mid-rollout:
 * the groups on it are dropped whole and collected again on the other; nothing partial is kept,
 * nothing hangs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { Rng } from '../../envs/core/rng.js';
import { RemoteEnvClient } from '../../envs/client/index.js';
import type { Agent } from '../../agents/agent.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { RemoteEnvProvider } from '../../trainer/env-provider.js';
import { collectGroups, type GroupSpec } from '../../trainer/rollout.js';
import { spawnServer, type ServerProcess } from '../helpers/processes.js';

const servers: ServerProcess[] = [];
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') for (const s of servers) console.error(s.report());
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const groups: GroupSpec[] = [0, 1, 2, 3].map((g) => ({ groupId: `g${g}`, task: { split: 'train', index: 10 + g }, seed: 100 + g }));
// Short deadlines, but not so short that a starved (not frozen) server on a loaded machine looks dead.
const fast = { requestTimeoutMs: 2000, heartbeatMs: 400, connectTimeoutMs: 1000, closeTimeoutMs: 300 };

/** A random agent that runs `hook` before its n-th decision batch. */
function agentWithHook(n: number, hook: () => void): Agent {
  const random = new RandomAgent(new Rng(7));
  let calls = 0;
  return { name: 'hooked', act: (inputs) => (++calls === n && hook(), random.act(inputs)) };
}

describe('collectGroups over env servers', () => {
  it('fails over from a server frozen mid-rollout: its groups are collected again, whole, on the other', async () => {
    const [a, b] = await Promise.all([spawnServer(), spawnServer()]);
    servers.push(a!, b!);
    const provider = new RemoteEnvProvider('household-v1', { difficulty: 'easy', maxEpisodeSteps: 8 }, [a!.url, b!.url], undefined, fast);
    // Placement by rotation, so slots 0 and 2 are on server a: under load, /healthz probes that time out
    // would make the load balancer put every group on one server (its own tests cover that).
    provider.balancer.mode = 'round-robin';
    const retries: string[] = [];
    const start = performance.now();
    try {
      const result = await collectGroups(provider, agentWithHook(3, () => a!.freeze()), groups, {
        groupSize: 2,
        historyLength: 2,
        retries: 2,
        onRetry: (g, err) => retries.push(`${g}:${err.code}`),
      });
      // slots 0 and 2 were on the frozen server
      expect(retries.map((r) => r.split(':')[0]).sort()).toEqual(['g0', 'g2']);
      for (const r of retries) expect(r).toMatch(/:(CONNECTION_CLOSED|TIMEOUT)$/);
      expect(result.retriedGroups).toBe(2);
      expect(result.trajectories.map((t) => t.trajId)).toEqual(['g0/0', 'g0/1', 'g1/0', 'g1/1', 'g2/0', 'g2/1', 'g3/0', 'g3/1']);
      for (const t of result.trajectories) {
        expect(t.terminated || t.truncated).toBe(true);
        expect(t.steps.length).toBeGreaterThan(0);
        expect(t.steps[0]!.observation).toEqual(t.initialObservation);
      }
      // copies of a group still start identical after the retry
      for (const g of ['g0', 'g2']) {
        const copies = result.trajectories.filter((t) => t.groupId === g);
        expect(copies[0]!.initialObservation).toEqual(copies[1]!.initialObservation);
      }
      expect(result.steps).toBe(result.trajectories.reduce((n, t) => n + t.steps.length, 0));
    } finally {
      const closing = performance.now();
      await provider.close();
      expect(performance.now() - closing).toBeLessThan(2000);
    }
    expect(performance.now() - start).toBeLessThan(15_000);
  });

  it('opens groups on the other server when one is frozen before the rollout', async () => {
    const [a, b] = await Promise.all([spawnServer(), spawnServer()]);
    servers.push(a!, b!);
    const provider = new RemoteEnvProvider('household-v1', { difficulty: 'easy', maxEpisodeSteps: 4 }, [a!.url, b!.url], undefined, fast);
    try {
      await provider.describe();
      a!.freeze();
      const result = await collectGroups(provider, new RandomAgent(new Rng(1)), groups, { groupSize: 1, historyLength: 2, retries: 1 });
      expect(result.trajectories).toHaveLength(4);
    } finally {
      await provider.close();
    }
  });

  it('shares one connection per server among concurrent openGroup calls, and close() leaves none', async () => {
    const [a, b] = await Promise.all([spawnServer(), spawnServer()]);
    servers.push(a!, b!);
    const connects: string[] = [];
    const original = RemoteEnvClient.connect;
    RemoteEnvClient.connect = (url, options) => (connects.push(url), original.call(RemoteEnvClient, url, options));
    const provider = new RemoteEnvProvider('household-v1', {}, [a!.url, b!.url]);
    // Placement is not what this test is about: on a loaded machine a cold server can miss its
    // load probe and get no group. Round-robin puts groups on both, whatever the load.
    provider.balancer.mode = 'round-robin';
    try {
      const opened = await Promise.all([0, 1, 2, 3, 4, 5].map((slot) => provider.openGroup(1, slot)));
      expect(connects.sort()).toEqual([a!.url, b!.url].sort());
      const clients = new Set(opened.flat().map((env) => (env as unknown as { client: RemoteEnvClient }).client));
      expect(clients.size).toBe(2);
      await provider.close();
      for (const c of clients) expect(c.closed).toBe(true);
    } finally {
      RemoteEnvClient.connect = original;
      await provider.close();
    }
  });
});
