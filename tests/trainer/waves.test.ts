/** `inWaves`: whole groups per wave, outcomes back in env order, and a rollout in 2 waves over a real server. */
import { describe, expect, it } from 'vitest';
import { RandomAgent } from '../../agents/random-agent.js';
import { Rng } from '../../envs/core/rng.js';
import { startServer } from '../../envs/server/index.js';
import { LocalEnvProvider, RemoteEnvProvider } from '../../trainer/env-provider.js';
import { collectGroups, inWaves, type CopyRunOptions } from '../../trainer/rollout.js';
import { registerToyEnv, TOY_ENV_ID } from '../helpers/toy-env.js';

registerToyEnv();

const copies = (groups: string[]): CopyRunOptions => ({
  reset: groups.map((_, i) => ({ seed: i })),
  keys: groups.map((g, i) => `${g}/${i}`),
  groupOf: (i) => groups[i] as string,
  isolate: () => false,
});

describe('inWaves', () => {
  it('splits at group boundaries, as evenly as the groups allow, and keeps the env order', async () => {
    const groups = ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd', 'e', 'e'];
    const seen: string[][] = [];
    const out = await inWaves(groups.map((_, i) => i), copies(groups), 2, async (envs, part) => {
      seen.push(envs.map((e) => `${part.groupOf(envs.indexOf(e))}${e}`));
      await new Promise((r) => setTimeout(r, envs[0] === 0 ? 20 : 0)); // the first wave finishes last
      return envs.map((e) => e * 10);
    });
    expect(seen).toEqual([['a0', 'a1', 'b2', 'b3'], ['c4', 'c5', 'd6', 'd7', 'e8', 'e9']]);
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const one = await inWaves([1, 2], copies(['a', 'a']), 4, async (envs) => envs); // one group: one wave
    expect(one).toEqual([1, 2]);
    await expect(inWaves([1], copies(['a']), 0, async (e) => e)).rejects.toThrow(/waves must be a positive integer/);
  });

  it('a rollout in 2 waves on a server collects every group whole, like one wave', async () => {
    const server = await startServer({ port: 0 });
    const remote = new RemoteEnvProvider(TOY_ENV_ID, {}, [server.url]);
    const local = new LocalEnvProvider(TOY_ENV_ID, {});
    try {
      const groups = Array.from({ length: 6 }, (_, g) => ({ groupId: `g${g}`, task: { split: 'train', index: g }, seed: g }));
      const options = { groupSize: 3, historyLength: 2, retries: 0 };
      const waved = await collectGroups(remote, new RandomAgent(new Rng('w')), groups, { ...options, waves: 2 });
      const plain = await collectGroups(local, new RandomAgent(new Rng('w')), groups, options);
      expect(waved.trajectories.map((t) => t.groupId)).toEqual(plain.trajectories.map((t) => t.groupId));
      expect(waved.trajectories).toHaveLength(18);
      expect(waved.steps).toBeGreaterThan(0);
      expect(waved.trajectories.every((t) => t.terminated || t.truncated)).toBe(true);
    } finally {
      await remote.close();
      await server.close();
    }
  });
});
