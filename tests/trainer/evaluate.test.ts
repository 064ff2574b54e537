import { describe, expect, it } from 'vitest';
import { loops, summarize } from '../../trainer/evaluate.js';
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
