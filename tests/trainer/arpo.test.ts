import { describe, expect, it } from 'vitest';
import { grpoAdvantages } from '../../trainer/advantages/index.js';
import { fromStoredTrajectory, isAllFailure, replayIntoGroups, toStoredTrajectory, type ReplayOptions } from '../../trainer/arpo.js';
import { toBatch } from '../../trainer/batch.js';
import type { CollectedTrajectory } from '../../trainer/rollout.js';
import { MemoryReplayBuffer } from '../../replay/replay-buffer.js';

const ENV = 'household-v1';
const OPTIONS: ReplayOptions & { historyLength: number } = { replay: true, successThreshold: 0.1, failStd: 0.05, failMean: 0.2, historyLength: 64 };

/** A trajectory of `rewards.length` steps on task `taskId`, succeeding iff the last reward is 1. */
function trajectory(groupId: string, copy: number, rewards: number[], taskId = 'task-a'): CollectedTrajectory {
  const obs = (k: number) => ({ text: `obs ${k}`, actions: ['a', 'b'], anchor: `obs ${k}` });
  const success = rewards.at(-1) === 1;
  return {
    groupId,
    trajId: `${groupId}/${copy}`,
    task: { id: taskId, split: 'train', index: 0, type: 't' },
    seed: 7,
    steps: rewards.map((reward, k) => ({
      record: { anchor: `obs ${k}`, stateKey: `s${k}`, action: k % 2 === 0 ? 'a' : 'b', candidates: ['a', 'b'], logpOld: -0.7, reward, invalid: false },
      observation: obs(k),
      probs: [0.5, 0.5],
      history: [],
      result: { observation: obs(k + 1), reward, terminated: k === rewards.length - 1 && success, truncated: k === rewards.length - 1 && !success, info: { stateKey: `s${k + 1}`, rewardComponents: {} } },
    })),
    initialObservation: obs(0),
    finalObservation: obs(rewards.length),
    return: rewards.reduce((a, b) => a + b, 0),
    success,
    terminated: success,
    truncated: !success,
    invalidActionPolicy: 'noop',
    startedAt: 0,
    finishedAt: 0,
  };
}

const returnsOf = (ts: readonly CollectedTrajectory[]) => ts.map((t) => t.return);

describe('isAllFailure (population std < failStd and mean < failMean)', () => {
  it('flags groups where every rollout failed, not all-success or mixed ones', () => {
    expect(isAllFailure([0, 0, 0, 0], 0.05, 0.2)).toBe(true);
    expect(isAllFailure([1, 1, 1, 1], 0.05, 0.2)).toBe(false);
    expect(isAllFailure([1, 0, 0, 0], 0.05, 0.2)).toBe(false);
    // ARPO's edge case: all failures with different format penalties (std 0.25 ≥ 0.05) do not trigger
    expect(isAllFailure([-0.5, 0, 0, 0], 0.05, 0.2)).toBe(false);
    expect(isAllFailure([0.01, 0.01], 0.05, 0.2)).toBe(true);
    expect(isAllFailure([], 0.05, 0.2)).toBe(false);
  });
});

describe('replayIntoGroups', () => {
  it("the reference's worked example: one stored success replaces rollout 0 of an all-failure group of 8 → A = +2.475 and −0.354", () => {
    const buffer = new MemoryReplayBuffer();
    buffer.add({ envId: ENV, taskId: 'task-a', return: 1, trajectory: toStoredTrajectory(trajectory('old', 0, [0, 1])) });
    const group = Array.from({ length: 8 }, (_, i) => trajectory('g0', i, [0, 0, 0]));
    const out = replayIntoGroups(group, returnsOf(group), buffer, ENV, OPTIONS, () => 0);
    expect(out).toMatchObject({ allFailureGroups: 1, injected: 1, stored: 0 });
    expect(out.trajectories).toHaveLength(8);
    expect(out.trajectories[0]!.replayed).toBe(true);
    expect(out.trajectories[0]!.groupId).toBe('g0');
    expect(out.trajectories.slice(1)).toEqual(group.slice(1));

    // ARPO's advantage: GRPO over one value per trajectory (its unit), unbiased std
    const batch = toBatch({ trajectories: out.trajectories, envSteps: 0, ms: 0, metrics: {} }, 'env');
    const adv = grpoAdvantages(batch.rows, { episodeStats: 'trajectories', invalidPenalty: 0 }).advantage;
    const replayedRows = batch.rows.map((r, i) => ({ r, a: adv[i]! })).filter(({ r }) => r.trajId === out.trajectories[0]!.trajId);
    expect(replayedRows).toHaveLength(2);
    for (const { a } of replayedRows) expect(a).toBeCloseTo(2.4749, 3);
    const others = batch.rows.map((r, i) => ({ r, a: adv[i]! })).filter(({ r }) => r.trajId !== out.trajectories[0]!.trajId);
    for (const { a } of others) expect(a).toBeCloseTo(-0.35355, 4);
  });

  it('stores fresh successes after the injection, never the replayed ones, FIFO per task', () => {
    const buffer = new MemoryReplayBuffer({ capacity: 2 });
    buffer.add({ envId: ENV, taskId: 'task-a', return: 1, trajectory: toStoredTrajectory(trajectory('old', 0, [1])) });
    const failed = [0, 1].map((i) => trajectory('g0', i, [0, 0]));
    const mixed = [trajectory('g1', 0, [0, 1], 'task-b'), trajectory('g1', 1, [0, 0], 'task-b'), trajectory('g1', 2, [1], 'task-b')];
    const all = [...failed, ...mixed];
    const out = replayIntoGroups(all, returnsOf(all), buffer, ENV, OPTIONS, () => 0.99);
    expect(out).toMatchObject({ allFailureGroups: 1, injected: 1, stored: 2 });
    // the success drawn for g0 is not stored again; task-b got its two fresh successes
    expect(buffer.size(ENV, 'task-a')).toBe(1);
    expect(buffer.list(ENV, 'task-b').map((e) => e.return)).toEqual([1, 1]);
    // FIFO: a third success of task-b evicts the oldest
    const more = [trajectory('g2', 0, [0, 0, 1], 'task-b')];
    replayIntoGroups(more, returnsOf(more), buffer, ENV, OPTIONS, () => 0);
    const kept = buffer.list(ENV, 'task-b').map((e) => (e.trajectory as { steps: unknown[] }).steps.length);
    expect(kept).toEqual([1, 3]);
  });

  it('leaves an all-failure group alone when its task has no stored success, or when replay is off', () => {
    const buffer = new MemoryReplayBuffer();
    const group = [0, 1, 2].map((i) => trajectory('g0', i, [0]));
    expect(replayIntoGroups(group, returnsOf(group), buffer, ENV, OPTIONS, () => 0)).toMatchObject({ allFailureGroups: 1, injected: 0 });
    buffer.add({ envId: ENV, taskId: 'task-a', return: 1, trajectory: toStoredTrajectory(trajectory('old', 0, [1])) });
    const off = replayIntoGroups(group, returnsOf(group), buffer, ENV, { ...OPTIONS, replay: false }, () => 0);
    expect(off).toMatchObject({ allFailureGroups: 1, injected: 0 });
    expect(off.trajectories).toEqual(group);
  });

  it('never touches all-success groups', () => {
    const buffer = new MemoryReplayBuffer();
    buffer.add({ envId: ENV, taskId: 'task-a', return: 1, trajectory: toStoredTrajectory(trajectory('old', 0, [1])) });
    const group = [0, 1].map((i) => trajectory('g0', i, [1]));
    expect(replayIntoGroups(group, returnsOf(group), buffer, ENV, OPTIONS, () => 0)).toMatchObject({ allFailureGroups: 0, injected: 0, stored: 2 });
  });
});

describe('stored trajectories', () => {
  it('round-trip through JSON, with histories rebuilt to historyLength and the next observations restored', () => {
    const t = trajectory('g', 0, [0, 0, 0, 1]);
    const json = JSON.parse(JSON.stringify(toStoredTrajectory(t)));
    const back = fromStoredTrajectory(json, 'g9', 'g9/replay1', 2);
    expect(back).toMatchObject({ groupId: 'g9', trajId: 'g9/replay1', replayed: true, success: true, return: 1, task: t.task });
    expect(back.steps.map((s) => s.record)).toEqual(t.steps.map((s) => s.record));
    expect(back.steps.map((s) => s.result)).toEqual(t.steps.map((s) => s.result));
    expect(back.steps[3]!.history).toEqual([
      { observation: 'obs 1', action: 'b' },
      { observation: 'obs 2', action: 'a' },
    ]);
    expect(back.steps.every((s) => s.probs === null)).toBe(true);
    expect(() => fromStoredTrajectory({ nope: 1 }, 'g', 'g/r', 2)).toThrow(/not a stored trajectory/);
  });
});
