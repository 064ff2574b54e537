import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { Rng } from '../../envs/core/rng.js';
import { isRegistered, register } from '../../envs/core/registry.js';
import { summarizeSpec, type EnvSummary } from '../../envs/core/spec.js';
import { spec } from '../../envs/core/registry.js';
import { resolveTrainConfig } from '../../trainer/config.js';
import { LocalEnvProvider } from '../../trainer/env-provider.js';
import { checkBranchable, refuelCollector } from '../../trainer/refuel.js';
import type { CollectContext } from '../../trainer/collect.js';
import { ToyGuessEnv, registerToyEnv } from '../helpers/toy-env.js';
import { z } from 'zod';

/** The toy env under each snapshot capability. */
function registerToyVariant(snapshot: 'replay' | 'none'): string {
  const id = `toy-guess-${snapshot}-v0`;
  if (!isRegistered(id)) {
    register({
      id,
      description: `toy guess, snapshot: ${snapshot}`,
      kind: 'single',
      capabilities: { snapshot },
      entryPoint: (o: { maxNumber: number }) => new ToyGuessEnv(o),
      options: z.object({ maxNumber: z.number().int().min(1).max(1000).default(9) }).strict(),
      maxEpisodeSteps: 20,
      splits: { train: 10 },
    });
  }
  return id;
}

function context(envId: string, options: Record<string, unknown>, overrides: Record<string, unknown> = {}): CollectContext {
  const config = resolveTrainConfig({ env: envId, envOptions: options, algo: 'refuel', groups: 3, groupSize: 4, maxSteps: 12, init: 'scratch', ...overrides });
  return {
    iteration: 0,
    runId: 1,
    config,
    provider: new LocalEnvProvider(envId, { ...options, maxEpisodeSteps: config.maxSteps }),
    env: summarizeSpec(spec(envId)),
    scorer: null as never,
    agent: new RandomAgent(new Rng(3)),
    rng: new Rng('refuel-test'),
    replayBuffer: null,
    taskPool: null,
    log: () => undefined,
  };
}

describe('refuelCollector', () => {
  it('branches each roll-in at a turn h: both continuations share the state, the history and the prefix', async () => {
    const ctx = context('household-v1', { difficulty: 'easy' });
    const c = await refuelCollector(ctx);
    expect(c.trajectories).toHaveLength(3 * 2 * 2); // G tasks × N/2 pairs × 2 continuations
    expect(c.pairs!.length).toBeGreaterThan(0);
    expect(c.pairs!.length + (c.metrics['refuel/dropped_identical'] as number)).toBe(6);
    let envSteps = 0;
    for (let p = 0; p < c.trajectories.length; p += 2) {
      const [first, second] = [c.trajectories[p]!, c.trajectories[p + 1]!];
      expect(first.groupId).toBe(second.groupId);
      expect(second.task).toEqual(first.task);
      envSteps += first.steps.length;
      // the shared prefix is the same steps; the branch's own steps start at h
      const h = c.trainSteps!.find((s) => s.trajectory === p)?.t;
      if (h === undefined) continue; // a dropped pair (identical turn-h actions)
      envSteps += second.steps.length - h;
      expect(second.steps.slice(0, h)).toEqual(first.steps.slice(0, h));
      expect(second.steps[h]!.observation).toEqual(first.steps[h]!.observation);
      expect(second.steps[h]!.history).toEqual(first.steps[h]!.history);
      expect(second.steps[h]!.record.candidates).toEqual(first.steps[h]!.record.candidates);
      expect(second.steps[h]!.record.action).not.toBe(first.steps[h]!.record.action);
    }
    // every pair trains on two rows at the same turn, in one pair of train steps
    for (const { a, b } of c.pairs!) {
      expect(c.trainSteps![a]!.t).toBe(c.trainSteps![b]!.t);
      expect(c.trainSteps![b]!.trajectory).toBe(c.trainSteps![a]!.trajectory + 1);
    }
    expect(c.envSteps).toBeGreaterThanOrEqual(envSteps);
  });

  it("restores by re-playing where the env's spec says `snapshot: 'replay'`", async () => {
    const ctx = context(registerToyVariant('replay'), {}, { groups: 2, groupSize: 6 });
    const c = await refuelCollector(ctx);
    expect(c.trajectories).toHaveLength(12);
    expect(c.pairs!.length).toBeGreaterThan(0);
    for (const { a, b } of c.pairs!) {
      const [sa, sb] = [c.trainSteps![a]!, c.trainSteps![b]!];
      const [ta, tb] = [c.trajectories[sa.trajectory]!, c.trajectories[sb.trajectory]!];
      // restored at the same state: the same observation and state hash as the roll-in at h
      expect(tb.steps[sb.t]!.observation).toEqual(ta.steps[sa.t]!.observation);
    }
  });

  it("refuses an env that cannot snapshot, naming the env and its capability", async () => {
    const id = registerToyVariant('none');
    const summary: EnvSummary = summarizeSpec(spec(id));
    expect(() => checkBranchable(summary)).toThrow(expect.objectContaining({ code: 'ENV_CAPABILITY_MISSING' }));
    expect(() => checkBranchable(summary)).toThrow(/REFUEL branches episodes from snapshots, but toy-guess-none-v0 declares capabilities\.snapshot: 'none'/);
    await expect(refuelCollector(context(id, {}))).rejects.toThrow(/toy-guess-none-v0 declares capabilities\.snapshot: 'none'/);
    registerToyEnv();
    expect(() => checkBranchable(summarizeSpec(spec('toy-guess-v0')))).not.toThrow();
    expect(() => checkBranchable(summarizeSpec(spec('kuhn-poker-v1')))).toThrow(/REFUEL branches single-agent episodes, but kuhn-poker-v1 is a multi-agent env/);
  });
});
