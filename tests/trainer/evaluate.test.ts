import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { Rng } from '../../envs/core/rng.js';
import { LocalEnvProvider } from '../../trainer/env-provider.js';
import { evalGroups, evaluateWith, loops, summarize } from '../../trainer/evaluate.js';
import type { CollectedTrajectory } from '../../trainer/rollout.js';

/** A trajectory visiting (stateKey, action) pairs in order. */
function walk(pairs: [string, string][], success = false): CollectedTrajectory {
  return {
    groupId: 'g',
    trajId: 'g/0',
    task: { id: 't', split: 'valid_unseen', index: 0, type: 'pick' },
    seed: 0,
    steps: pairs.map(([state, action]) => ({
      record: { anchor: `text of ${state}`, stateKey: state, action, candidates: [action], logpOld: 0, reward: 0, invalid: false },
      observation: { text: `text of ${state}`, actions: [action], anchor: `text of ${state}` },
      probs: null,
      history: [],
      result: {} as never,
    })),
    success,
  } as unknown as CollectedTrajectory;
}

describe('loops: the same action in the same state more than twice', () => {
  it('counts (state, action) pairs, not states or actions alone', () => {
    expect(loops(walk([['s1', 'go to a'], ['s2', 'go to b'], ['s1', 'go to a'], ['s2', 'go to b']]))).toBe(false);
    expect(loops(walk([['s1', 'go to a'], ['s2', 'go to b'], ['s1', 'go to a'], ['s2', 'go to b'], ['s1', 'go to a']]))).toBe(true);
    // three visits of one state with different actions, or one action in three states: no loop
    expect(loops(walk([['s1', 'a'], ['s1', 'b'], ['s1', 'c']]))).toBe(false);
    expect(loops(walk([['s1', 'a'], ['s2', 'a'], ['s3', 'a']]))).toBe(false);
    expect(loops(walk([['s1', 'a'], ['s1', 'a']]), 1)).toBe(true);
  });

  it('is reported as the share of looping episodes', () => {
    const looping = walk([['s', 'x'], ['s', 'x'], ['s', 'x']]);
    const fine = walk([['s', 'x']], true);
    const summary = summarize('valid_unseen', [looping, fine, fine, fine]);
    expect(summary.loopRate).toBe(0.25);
    expect(summary.successRate).toBe(0.75);
  });
});

describe('evalGroups: which tasks an evaluation plays', () => {
  it('plays indices 0..n-1 of the split, or the given tasks, wrapping, with seeds seed+i', () => {
    expect(evalGroups('train', 3, 100, 10).map((g) => [(g.task as { index: number }).index, g.seed])).toEqual([[0, 10], [1, 11], [2, 12]]);
    expect(evalGroups('train', 5, 100, 10, [7, 3]).map((g) => [(g.task as { index: number }).index, g.seed])).toEqual([[7, 10], [3, 11], [7, 12], [3, 13], [7, 14]]);
    expect(evalGroups('valid_seen', 3, 2, 0).map((g) => (g.task as { index: number }).index)).toEqual([0, 1, 0]);
  });

  it('refuses a task outside the split, naming it and the range', async () => {
    const provider = new LocalEnvProvider('household-v1', { difficulty: 'easy' });
    const split = 'valid_seen';
    const size = (await provider.describe()).splits[split] as number;
    await expect(evaluateWith(provider, new RandomAgent(new Rng(1)), { split, episodes: 2, seed: 0, retries: 0, tasks: [0, size] })).rejects.toThrow(
      `task ${size} is not in 'valid_seen' of household-v1 (indices 0..${size - 1})`,
    );
    const ok = await evaluateWith(provider, new RandomAgent(new Rng(1)), { split, episodes: 2, seed: 0, retries: 0, tasks: [size - 1] });
    expect(ok.trajectories.map((t) => t.task?.index)).toEqual([size - 1, size - 1]);
    await provider.close();
  });
});
