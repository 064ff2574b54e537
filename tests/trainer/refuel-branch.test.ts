import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { ExpertAgent } from '../../agents/experts.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { Rng } from '../../envs/core/rng.js';
import { spec } from '../../envs/core/registry.js';
import { summarizeSpec } from '../../envs/core/spec.js';
import { MemoryReplayBuffer } from '../../replay/replay-buffer.js';
import type { CollectContext } from '../../trainer/collect.js';
import { resolveTrainConfig } from '../../trainer/config.js';
import { LocalEnvProvider } from '../../trainer/env-provider.js';
import { branchTurn, differingShare, entropyOf } from '../../trainer/refuel-branch.js';
import { refuelCollector, taskKey } from '../../trainer/refuel.js';

describe('entropyOf', () => {
  it('is −Σ p ln p, 0 without a distribution', () => {
    expect(entropyOf([0.5, 0.5])).toBeCloseTo(Math.LN2, 12);
    expect(entropyOf([1, 0])).toBe(0);
    expect(entropyOf([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 12);
    expect(entropyOf(null)).toBe(0);
    expect(entropyOf([])).toBe(0);
  });
});

describe('branchTurn', () => {
  it('uniform and success draw h = floor(u·T)', () => {
    expect(branchTurn('uniform', [0, 0, 0, 0], () => 0.99)).toBe(3);
    expect(branchTurn('uniform', [0, 0, 0, 0], () => 0.5)).toBe(2);
    expect(branchTurn('success', [5, 0, 0], () => 0)).toBe(0);
    expect(branchTurn('success', [5, 0, 0], () => 0.7)).toBe(2);
  });

  it('uncertain takes the highest-entropy step, uniform among ties', () => {
    expect(branchTurn('uncertain', [0.1, 0.7, 0.2], () => 0.99)).toBe(1);
    expect(branchTurn('uncertain', [0.1, 0.7, 0.7, 0.2], () => 0)).toBe(1);
    expect(branchTurn('uncertain', [0.1, 0.7, 0.7, 0.2], () => 0.99)).toBe(2);
  });

  it('uncertain with no uncertainty anywhere falls back to uniform', () => {
    expect(branchTurn('uncertain', [0, 0, 0], () => 0.9)).toBe(2);
  });

  it('refuses an empty roll-in', () => {
    expect(() => branchTurn('uniform', [], () => 0)).toThrow(RangeError);
  });
});

describe('differingShare', () => {
  it('counts the pairs whose two returns differ', () => {
    expect(differingShare([[1, 0], [0, 0], [1, 1], [0.5, 0]])).toBe(0.5);
    expect(differingShare([])).toBe(0);
  });
});

function context(overrides: Record<string, unknown>, agent: CollectContext['agent'], buffer: MemoryReplayBuffer | null): CollectContext {
  const envOptions = { difficulty: 'easy' };
  const config = resolveTrainConfig({ env: 'household-v1', envOptions, algo: 'refuel', groups: 2, groupSize: 4, maxSteps: 30, init: 'scratch', trainTasks: 1, ...overrides });
  return {
    iteration: 0,
    runId: 1,
    config,
    provider: new LocalEnvProvider('household-v1', { ...envOptions, maxEpisodeSteps: config.maxSteps }),
    env: summarizeSpec(spec('household-v1')),
    scorer: null as never,
    agent,
    rng: new Rng('refuel-branch-test'),
    replayBuffer: buffer,
    taskPool: null,
    log: () => undefined,
  };
}

describe('refuelCollector with branch rules', () => {
  it('uncertain branches where the roll-in policy was least certain', async () => {
    const c = await refuelCollector(context({ refuel: { branch: 'uncertain' } }, new RandomAgent(new Rng(5)), null));
    // the random agent is uniform over the candidates: the step with the most candidates is the most uncertain
    for (const ts of c.trainSteps!.filter((_, i) => i % 2 === 0)) {
      const first = c.trajectories[ts.trajectory]!;
      const sizes = first.steps.map((s) => s.record.candidates.length);
      expect(sizes[ts.t]).toBe(Math.max(...sizes));
    }
    expect(c.metrics['refuel/differing_share']).toBeGreaterThanOrEqual(0);
  });

  it('success stores the successes, then rolls in by replaying them', async () => {
    const buffer = new MemoryReplayBuffer({ capacity: 4 });
    const first = await refuelCollector(context({ refuel: { branch: 'success' } }, new ExpertAgent('household-v1'), buffer));
    expect(first.metrics['refuel/replayed_rollins']).toBe(0);
    expect(first.metrics['refuel/stored']).toBeGreaterThan(0);
    const task = first.trajectories[0]!;
    expect(buffer.size('household-v1', taskKey({ split: 'train', index: 0 }))).toBeGreaterThan(0);
    const second = await refuelCollector(context({ refuel: { branch: 'success' } }, new RandomAgent(new Rng(7)), buffer));
    expect(second.metrics['refuel/replayed_rollins']).toBe(1);
    // every roll-in is a replayed success; the random continuation mostly fails, so the pairs differ
    for (let p = 0; p < second.trajectories.length; p += 2) expect(second.trajectories[p]!.success).toBe(true);
    expect(second.metrics['refuel/differing_share']).toBeGreaterThan(0);
    expect(task.task?.index).toBe(0);
  });

  it('success without a buffer is refused', async () => {
    await expect(refuelCollector(context({ refuel: { branch: 'success' } }, new RandomAgent(new Rng(1)), null))).rejects.toThrow(/replay buffer/);
  });
});
