import { describe, expect, it } from 'vitest';
import { clampReward, decayFactor, stepReward } from '../../../envs/browser/reward.js';

describe('browser-v1 reward', () => {
  it('is 0 and not success while the task is not over', () => {
    expect(stepReward({ done: false, reward: 1, components: {} }, null)).toEqual({ reward: 0, success: false, components: { raw: 0 } });
  });

  it('success only at a raw reward of exactly 1; partial credit is reward, not success', () => {
    expect(stepReward({ done: true, reward: 1, components: { correct: 1 } }, null)).toEqual({ reward: 1, success: true, components: { correct: 1, raw: 1 } });
    expect(stepReward({ done: true, reward: 0.6, components: {} }, null)).toMatchObject({ reward: 0.6, success: false });
    expect(stepReward({ done: true, reward: -1, components: {} }, null)).toMatchObject({ reward: -1, success: false });
  });

  it('clamps to [-1, 1] and maps non-finite rewards to 0', () => {
    expect(clampReward(3)).toBe(1);
    expect(clampReward(-7)).toBe(-1);
    expect(clampReward(Number.NaN)).toBe(0);
  });

  it("decays positive rewards as MiniWoB's endEpisode(r, true): r · max(0, 1 − t/T)", () => {
    expect(decayFactor(0, 10_000)).toBe(1);
    expect(decayFactor(2_500, 10_000)).toBe(0.75);
    expect(decayFactor(12_000, 10_000)).toBe(0);
    const r = stepReward({ done: true, reward: 1, components: {} }, { elapsedMs: 2_500, maxTimeMs: 10_000 });
    expect(r).toEqual({ reward: 0.75, success: true, components: { raw: 1, timeFactor: 0.75 } });
    expect(stepReward({ done: true, reward: 0.4, components: {} }, { elapsedMs: 5_000, maxTimeMs: 10_000 }).reward).toBeCloseTo(0.2, 12);
    // Negative rewards are not scaled.
    expect(stepReward({ done: true, reward: -1, components: {} }, { elapsedMs: 5_000, maxTimeMs: 10_000 }).reward).toBe(-1);
  });
});
