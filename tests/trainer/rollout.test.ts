import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { LudusError } from '../../envs/core/errors.js';
import { Rng } from '../../envs/core/rng.js';
import type { Env } from '../../envs/core/types.js';
import { EnvWrapper } from '../../envs/core/wrappers.js';
import type { Agent } from '../../agents/agent.js';
import { ExpertAgent } from '../../agents/experts.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { LocalEnvProvider, type EnvProvider } from '../../trainer/env-provider.js';
import { collectGroups, type GroupSpec } from '../../trainer/rollout.js';

const provider = new LocalEnvProvider('household-v1', { difficulty: 'easy', maxEpisodeSteps: 12 });
const groups: GroupSpec[] = [
  { groupId: 'g0', task: { split: 'train', index: 3 }, seed: 11 },
  { groupId: 'g1', task: { split: 'train', index: 40 }, seed: 12 },
];

describe('collectGroups', () => {
  it('collects G×N trajectories whose copies start identical, with one batched choice per step', async () => {
    const batchSizes: number[] = [];
    const random = new RandomAgent(new Rng(5));
    const choose: Agent = {
      name: 'counting',
      act: (live) => {
        batchSizes.push(live.length);
        return random.act(live);
      },
    };
    const { trajectories, steps } = await collectGroups(provider, choose, groups, { groupSize: 3, historyLength: 2, retries: 0 });
    expect(trajectories.map((t) => t.trajId)).toEqual(['g0/0', 'g0/1', 'g0/2', 'g1/0', 'g1/1', 'g1/2']);
    for (const g of ['g0', 'g1']) {
      const copies = trajectories.filter((t) => t.groupId === g);
      expect(new Set(copies.map((t) => t.initialObservation.text)).size).toBe(1);
      expect(new Set(copies.map((t) => t.task?.id)).size).toBe(1);
    }
    // every live trajectory is in each batch: the first batch has all six
    expect(batchSizes[0]).toBe(6);
    expect(steps).toBe(trajectories.reduce((s, t) => s + t.steps.length, 0));
    for (const t of trajectories) {
      expect(t.steps.length).toBeLessThanOrEqual(12);
      expect(t.terminated || t.truncated).toBe(true);
      const first = t.steps[0]!;
      expect(first.record.anchor).toBe(t.initialObservation.anchor);
      expect(first.record.candidates).toEqual(t.initialObservation.actions);
      expect(first.record.logpOld).toBeCloseTo(-Math.log(first.record.candidates.length));
      // history holds at most historyLength previous (observation, action) pairs
      expect(t.steps.every((s) => s.history.length <= 2)).toBe(true);
      expect(t.steps[3]?.history.map((h) => h.action)).toEqual(t.steps.slice(1, 3).map((s) => s.record.action));
    }
  });

  it('an expert agent solves its tasks', async () => {
    const { trajectories } = await collectGroups(provider, new ExpertAgent('household-v1'), groups, { groupSize: 2, historyLength: 2, retries: 0 });
    expect(trajectories.every((t) => t.success && t.return === 1)).toBe(true);
  });

  /** Envs whose transport drops on step `dropAt` for the first `failures` groups opened. */
  class FlakyProvider implements EnvProvider {
    readonly where = 'flaky';
    opened = 0;
    constructor(
      private readonly failures: number,
      private readonly dropAt = 2,
    ) {}
    describe() {
      return provider.describe();
    }
    async openGroup(copies: number, slot: number): Promise<Env[]> {
      const envs = await provider.openGroup(copies);
      const broken = this.opened++ < this.failures;
      const dropAt = this.dropAt;
      return envs.map(
        (env) =>
          new (class extends EnvWrapper {
            private n = 0;
            override async step(action: string) {
              if (broken && ++this.n === dropAt) throw new LudusError('CONNECTION_CLOSED', `server ${slot} went away`);
              return this.inner.step(action);
            }
          })(env),
      );
    }
    openGameGroup(): Promise<never> {
      throw new Error('single-agent test provider');
    }
    async close() {}
  }

  it('drops a group whose connection failed and collects it again, whole', async () => {
    const flaky = new FlakyProvider(1);
    const retries: string[] = [];
    const result = await collectGroups(flaky, new RandomAgent(new Rng(1)), groups, {
      groupSize: 2,
      historyLength: 2,
      retries: 2,
      onRetry: (g, err) => retries.push(`${g}:${err.code}`),
    });
    expect(retries).toEqual(['g0:CONNECTION_CLOSED']);
    expect(result.retriedGroups).toBe(1);
    expect(result.trajectories.map((t) => t.trajId)).toEqual(['g0/0', 'g0/1', 'g1/0', 'g1/1']);
    // the retried group is complete: every trajectory ran to its end from t = 0
    for (const t of result.trajectories) expect(t.terminated || t.truncated).toBe(true);
  });

  it('reports clearly when a group keeps failing, and returns nothing partial', async () => {
    const flaky = new FlakyProvider(99);
    await expect(collectGroups(flaky, new RandomAgent(new Rng(1)), groups, { groupSize: 2, historyLength: 2, retries: 1 })).rejects.toThrow(
      /Rollout failed: group g0 lost its env connection 2 time\(s\).*raise groupRetries/,
    );
  });

  it('lets non-transport errors (bugs) through at once', async () => {
    const broken: Agent = {
      name: 'broken',
      act: () => {
        throw new TypeError('policy bug');
      },
    };
    await expect(collectGroups(provider, broken, groups, { groupSize: 1, historyLength: 2, retries: 3 })).rejects.toThrow('policy bug');
  });
});

describe('collectGroups against real env servers', () => {
  it('a server that dies mid-rollout: its groups are collected again on the other server', async () => {
    const { startServer } = await import('../../envs/server/env-server.js');
    const { RemoteEnvProvider } = await import('../../trainer/env-provider.js');
    const a = await startServer({ port: 0 });
    const b = await startServer({ port: 0 });
    const remote = new RemoteEnvProvider('household-v1', { difficulty: 'easy', maxEpisodeSteps: 12 }, [a.url, b.url]);
    try {
      const random = new RandomAgent(new Rng(3));
      let steps = 0;
      const choose: Agent = {
        name: 'closing',
        act: async (live) => {
          if (++steps === 3) await a.close(); // server A goes away after two steps
          return random.act(live);
        },
      };
      const retried: string[] = [];
      const result = await collectGroups(remote, choose, groups, { groupSize: 2, historyLength: 2, retries: 2, onRetry: (g, err) => retried.push(`${g}:${err.code}`) });
      expect(retried).toEqual(['g0:CONNECTION_CLOSED']); // g0 was on A (slot 0), g1 on B
      expect(result.trajectories.map((t) => t.trajId)).toEqual(['g0/0', 'g0/1', 'g1/0', 'g1/1']);
      for (const t of result.trajectories) {
        expect(t.terminated || t.truncated).toBe(true);
        expect(t.steps[0]!.record.anchor).toBe(t.initialObservation.anchor);
      }
    } finally {
      await remote.close();
      await a.close();
      await b.close();
    }
  });

  it('reports clearly when no server can be reached', async () => {
    const { RemoteEnvProvider } = await import('../../trainer/env-provider.js');
    const remote = new RemoteEnvProvider('household-v1', {}, ['ws://127.0.0.1:1']);
    await expect(collectGroups(remote, new RandomAgent(new Rng(1)), groups, { groupSize: 1, historyLength: 2, retries: 1 })).rejects.toThrow(
      /lost its env connection 2 time\(s\).*No env server could be reached/,
    );
  });
});
