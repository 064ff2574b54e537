import { describe, expect, it } from 'vitest';
import { discountedStepReturns, indexRows } from '../../../trainer/advantages/index.js';
import { trajectoryRows, type StepRecord, type StepRow } from '../../../trainer/rows.js';

function step(reward: number, invalid = false): StepRecord {
  return { anchor: 's', stateKey: 's', action: 'a', candidates: ['a'], logpOld: 0, reward, invalid };
}

function returns(rows: readonly StepRow[], gamma: number, invalidPenalty = 0): number[] {
  return Array.from(discountedStepReturns(indexRows(rows), gamma, invalidPenalty));
}

describe('discountedStepReturns', () => {
  it('computes G_t = r_t + γ·G_(t+1) backwards within each trajectory', () => {
    const rows = trajectoryRows('g', 'a', [step(1), step(0), step(2)]);
    expect(returns(rows, 0.5)).toEqual([1.5, 1, 2]);
    expect(returns(rows, 1)).toEqual([3, 2, 2]);
    expect(returns(rows, 0)).toEqual([1, 0, 2]);
  });

  it('gives a terminal reward of 10 at step T the return 10·0.95^(T−t), and 0 without reward', () => {
    const win = trajectoryRows('g', 'win', [step(0), step(0), step(0), step(10)]);
    const lose = trajectoryRows('g', 'lose', [step(0), step(0)]);
    const G = returns([...win, ...lose], 0.95);
    [10 * 0.95 ** 3, 10 * 0.95 ** 2, 10 * 0.95, 10].forEach((e, i) => expect(G[i]).toBeCloseTo(e, 12));
    expect(G.slice(4)).toEqual([0, 0]);
  });

  it('does not depend on row order (interleaved or reversed trajectories)', () => {
    const a = trajectoryRows('g', 'a', [step(1), step(0), step(2)]);
    const b = trajectoryRows('g', 'b', [step(0), step(4)]);
    const interleaved = [b[1], a[2], a[0], b[0], a[1]];
    expect(returns(interleaved, 0.5)).toEqual([4, 2, 1.5, 2, 1]);
  });

  it('discounts a gap in t by the steps it skips', () => {
    const rows = trajectoryRows('g', 'a', [step(0), step(4)]).map((row, k) => ({ ...row, t: k * 2 }));
    expect(returns(rows, 0.5)).toEqual([1, 4]);
  });

  it('subtracts the invalid penalty from that row only, after discounting', () => {
    const rows = trajectoryRows('g', 'a', [step(0), step(0, true), step(10)]);
    const G = returns(rows, 0.5, 0.1);
    expect(G[0]).toBe(2.5); // not 2.45: the penalty does not propagate
    expect(G[1]).toBeCloseTo(4.9, 12);
    expect(G[2]).toBe(10);
  });

  it('throws when a trajectory repeats a step index', () => {
    const rows = trajectoryRows('g', 'a', [step(0), step(1)]).map((row) => ({ ...row, t: 3 }));
    expect(() => returns(rows, 0.9)).toThrow(new RangeError("Trajectory 'a' has two rows with t = 3."));
  });
});
