import { describe, expect, it } from 'vitest';
import { rowLookup, toBatch, trainingReturn, type Collection } from '../../trainer/batch.js';
import { rolloutMetrics } from '../../trainer/metrics.js';
import type { CollectedTrajectory } from '../../trainer/rollout.js';

function trajectory(groupId: string, copy: number, rewards: number[], extra: Partial<CollectedTrajectory> = {}): CollectedTrajectory {
  const obs = (k: number) => ({ text: `o${k}`, actions: ['a', 'b', 'c'], anchor: `o${k}`, goal: 'g' });
  return {
    groupId,
    trajId: `${groupId}/${copy}`,
    task: { id: 't', split: 'train', index: 0, type: 'x' },
    seed: 1,
    steps: rewards.map((reward, k) => ({
      record: { anchor: `o${k}`, stateKey: `s${k}`, action: ['a', 'b', 'c'][k % 3]!, candidates: ['a', 'b', 'c'], logpOld: -1, reward, invalid: k === 1 },
      observation: obs(k),
      probs: null,
      history: k === 0 ? [] : [{ observation: `o${k - 1}`, action: ['a', 'b', 'c'][(k - 1) % 3]! }],
      result: { observation: obs(k + 1), reward, terminated: false, truncated: false, info: { stateKey: 's', rewardComponents: {} } },
    })),
    initialObservation: obs(0),
    finalObservation: obs(rewards.length),
    return: rewards.reduce((a, b) => a + b, 0),
    success: rewards.at(-1) === 1,
    terminated: false,
    truncated: false,
    invalidActionPolicy: 'noop',
    startedAt: 0,
    finishedAt: 0,
    ...extra,
  };
}

const collection = (trajectories: CollectedTrajectory[], extra: Partial<Collection> = {}): Collection => ({ trajectories, envSteps: 10, ms: 1000, metrics: {}, ...extra });

describe('toBatch', () => {
  it('builds rows and decisions of every step together, each row knowing its trajectory and step', () => {
    const ts = [trajectory('g0', 0, [0, 0, 1]), trajectory('g0', 1, [0, 0.5], { seat: 1 })];
    const b = toBatch(collection(ts), 'env');
    expect(b.rows.map((r) => [r.trajId, r.t])).toEqual([['g0/0', 0], ['g0/0', 1], ['g0/0', 2], ['g0/1', 0], ['g0/1', 1]]);
    expect(Array.from(b.rowTrajectory)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(b.rowStep)).toEqual([0, 1, 2, 0, 1]);
    expect(b.decisions[2]).toEqual({ goal: 'g', text: 'o2', history: [{ observation: 'o1', action: 'b' }], candidates: ['a', 'b', 'c'], chosen: 2 });
    expect(b.rows[3]!.seat).toBe(1);
    expect(b.rows[0]!.seat).toBeUndefined();
    expect(Array.from(b.returns)).toEqual([1, 0.5]);
    expect(b.logpOld).toHaveLength(5);
    expect(b.logpRef).toBeNull();
    expect(b.pairs).toBeNull();
    expect(rowLookup(b)(1, 1)).toBe(4);
    expect(rowLookup(b)(1, 2)).toBe(-1);
  });

  it('success reward mode: 1 only on a successful last step', () => {
    const ts = [trajectory('g0', 0, [0, 0.3, 1]), trajectory('g0', 1, [0, 0.5])];
    const b = toBatch(collection(ts), 'success');
    expect(b.rows.map((r) => r.reward)).toEqual([0, 0, 1, 0, 0]);
    expect(Array.from(b.returns)).toEqual([1, 0]);
    expect(trainingReturn(ts[1]!, 'env')).toBe(0.5);
  });

  it('trains only the given steps and pairs (REFUEL)', () => {
    const ts = [trajectory('p0', 0, [0, 0, 1]), trajectory('p0', 1, [0, 0, 0])];
    const b = toBatch(collection(ts, { trainSteps: [{ trajectory: 0, t: 1 }, { trajectory: 1, t: 1 }], pairs: [{ a: 0, b: 1 }] }), 'env');
    expect(b.rows.map((r) => [r.trajId, r.t, r.episodeReturn])).toEqual([['p0/0', 1, 1], ['p0/1', 1, 0]]);
    expect(Array.from(b.pairs!.a)).toEqual([0]);
    expect(Array.from(b.pairs!.b)).toEqual([1]);
    expect(() => toBatch(collection(ts, { trainSteps: [{ trajectory: 0, t: 9 }] }), 'env')).toThrow(/train step 9 of trajectory 0 does not exist/);
  });
});

describe('rolloutMetrics', () => {
  it('reports success, groups that all failed / all succeeded, and leaves replayed trajectories out', () => {
    const ts = [
      trajectory('g0', 0, [0, 1]),
      trajectory('g0', 1, [0, 1]),
      trajectory('g1', 0, [0, 0]),
      trajectory('g1', 1, [0, 1], { replayed: true }),
      trajectory('g2', 0, [1]),
      trajectory('g2', 1, [0]),
    ];
    const m = rolloutMetrics(toBatch(collection(ts), 'env'), collection(ts));
    expect(m['charts/success_rate']).toBeCloseTo(3 / 5);
    expect(m['rollout/all_fail_groups']).toBeCloseTo(1 / 3);
    expect(m['rollout/all_success_groups']).toBeCloseTo(1 / 3);
    expect(m['charts/steps_per_second']).toBe(10);
    expect(m['rollout/invalid_rate']).toBeCloseTo(3 / 8);
  });
});
