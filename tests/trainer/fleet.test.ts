/**
 * A fleet of real env server processes under a trainer's rollout: one hangs (SIGSTOP) before the
 * rollout and one is killed (SIGKILL) in the middle of it. The load probe keeps groups off the
 * hung one, the groups on the killed one are collected again on the live one, and every
 * trajectory that comes back is whole: it re-simulates identically from the store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import type { Agent } from '../../agents/agent.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { Rng } from '../../envs/core/rng.js';
import { startServer, type EnvServer } from '../../envs/server/env-server.js';
import { openStore } from '../../replay/store.js';
import { verifyEpisode } from '../../replay/verify.js';
import { RemoteEnvProvider } from '../../trainer/env-provider.js';
import { episodeRecord } from '../../trainer/records.js';
import { collectGroups, type GroupSpec } from '../../trainer/rollout.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/ludus.js');
const OPTIONS = { difficulty: 'easy', maxEpisodeSteps: 8 };

function serve(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (ws:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`ludus serve exited (${code})`)));
  });
}

let live: EnvServer;
let doomed: { child: ChildProcess; url: string };
let hung: { child: ChildProcess; url: string };

beforeAll(async () => {
  [live, doomed, hung] = await Promise.all([startServer({ port: 0 }), serve(), serve()]);
  hung.child.kill('SIGSTOP');
}, 60_000);

afterAll(async () => {
  for (const p of [doomed, hung]) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGCONT');
      p.child.kill('SIGKILL');
      await new Promise((r) => p.child.once('exit', r));
    }
  }
  await live.close();
});

describe('a trainer over a fleet with failures', () => {
  it('keeps groups off a hung server, collects the groups of a killed one again elsewhere, and returns only whole trajectories', async () => {
    const provider = new RemoteEnvProvider('household-v1', OPTIONS, [hung.url, doomed.url, live.url]);
    const random = new RandomAgent(new Rng(3));
    let calls = 0;
    const killer: Agent = {
      name: 'random',
      act: async (inputs) => {
        calls += 1;
        if (calls === 3) doomed.child.kill('SIGKILL'); // mid-episode for every group
        return random.act(inputs);
      },
    };
    const groups: GroupSpec[] = Array.from({ length: 6 }, (_, i) => ({ groupId: `g${i}`, task: { split: 'train', index: i }, seed: 100 + i }));
    const retried: string[] = [];
    try {
      const started = Date.now();
      const result = await collectGroups(provider, killer, groups, { groupSize: 2, historyLength: 2, retries: 2, onRetry: (g, err) => retried.push(`${g}:${err.code}`) });
      expect(Date.now() - started).toBeLessThan(20_000);
      const hungLoad = provider.balancer.loads.get(hung.url);
      expect(hungLoad).toMatchObject({ reachable: false });
      expect(retried.length).toBeGreaterThan(0); // the killed server's groups
      expect(retried.every((r) => r.endsWith(':CONNECTION_CLOSED'))).toBe(true);
      expect(result.retriedGroups).toBe(retried.length);
      expect(result.trajectories.map((t) => t.groupId)).toEqual(groups.flatMap((g) => [g.groupId, g.groupId]));
      for (const t of result.trajectories) expect(t.terminated || t.truncated).toBe(true);
      // no partial rows: every trajectory, written to a store, re-simulates identically in process
      const store = openStore(':memory:');
      try {
        const run = store.createRun({ kind: 'eval', envId: 'household-v1', config: { envOptions: OPTIONS } });
        for (const t of result.trajectories) {
          const id = store.recordEpisode(run, episodeRecord('household-v1', t));
          const report = await verifyEpisode(store, id, { envOptions: OPTIONS });
          expect(report).toMatchObject({ identical: true, steps: t.steps.length });
        }
      } finally {
        store.close();
      }
      expect(live.sessionCount).toBe(0); // every session the rollout opened was closed
    } finally {
      await provider.close();
    }
  }, 60_000);
});
