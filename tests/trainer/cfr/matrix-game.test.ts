import { describe, expect, it } from 'vitest';
import { bestResponseValue, expectedValues, exploitability } from '../../../trainer/cfr/evaluation.js';
import { matrixGame, policyOf, rowValues } from '../../../trainer/cfr/matrix-game.js';
import { solveExternalSamplingMccfr } from '../../../trainer/cfr/mccfr.js';
import { solveCfr } from '../../../trainer/cfr/cfr.js';

// Rock, paper, scissors, Spock, lizard (rows: first player).
const RPSSL = [
  [0, -1, 1, -1, 1],
  [1, 0, -1, 1, -1],
  [-1, 1, 0, -1, 1],
  [1, -1, 1, 0, -1],
  [-1, 1, -1, 1, 0],
];

describe('matrix games as extensive games', () => {
  it('the second player does not see the first move; payoffs come from the matrix', () => {
    const g = matrixGame([[1, 2], [3, 4]], { rowActions: ['a', 'b'], columnActions: ['x', 'y'] });
    const afterA = g.next(g.root(), 'a');
    const afterB = g.next(g.root(), 'b');
    expect(g.currentPlayer(afterA)).toBe(1);
    expect(g.infoSetKey(afterA)).toBe(g.infoSetKey(afterB));
    expect(g.utilities(g.next(afterB, 'x'))).toEqual([3, -3]);
    expect(() => g.next(g.root(), 'z')).toThrow(RangeError);
    expect(() => matrixGame([[1], [2, 3]])).toThrow(/rectangular/);
  });

  it('exploitability of a symmetric profile is the best row value against it (by hand)', () => {
    const g = matrixGame(RPSSL, { keys: ['player', 'player'] });
    // p = (.35, .25, .2, .1, .1): rock −0.05, paper 0.15, scissors −0.1, Spock 0.2, lizard −0.2.
    const p = [0.35, 0.25, 0.2, 0.1, 0.1];
    expect(rowValues(RPSSL, p).map((v) => Number(v.toFixed(12)))).toEqual([-0.05, 0.15, -0.1, 0.2, -0.2]);
    const policy = policyOf('player', p);
    expect(bestResponseValue(g, policy, 0)).toBeCloseTo(0.2, 12);
    expect(bestResponseValue(g, policy, 1)).toBeCloseTo(0.2, 12);
    expect(exploitability(g, policy)).toBeCloseTo(0.2, 12);
    expect(exploitability(g, policyOf('player', [0.2, 0.2, 0.2, 0.2, 0.2]))).toBeCloseTo(0, 12);
    expect(expectedValues(g, policy)[0]).toBeCloseTo(0, 12);
  });

  it('external-sampling MCCFR with one shared key finds the uniform equilibrium of RPSSL', () => {
    const g = matrixGame(RPSSL, { keys: ['player', 'player'] });
    const { average } = solveExternalSamplingMccfr(g, 20000, { seed: 3 });
    expect(exploitability(g, average)).toBeLessThan(0.02);
    for (const p of average.get('player')!) expect(p).toBeCloseTo(0.2, 1);
  });

  it('vanilla CFR solves a biased zero-sum game to its known mixed equilibrium', () => {
    // Row: [[2, -1], [-1, 1]]: the row player mixes (2/5, 3/5), the column player (2/5, 3/5); value 1/5.
    const g = matrixGame([[2, -1], [-1, 1]]);
    const { average } = solveCfr(g, 4000);
    expect(average.get('row')![0]).toBeCloseTo(0.4, 1);
    expect(average.get('column')![0]).toBeCloseTo(0.4, 1);
    expect(exploitability(g, average)).toBeLessThan(0.02);
    expect(expectedValues(g, policyOf('row', [0.4, 0.6]).set('column', [0.4, 0.6]))[0]).toBeCloseTo(0.2, 12);
  });
});

describe('external-sampling MCCFR with a game that expands all children at once', () => {
  it('uses children() at the traverser’s nodes and learns exactly what next() alone gives', () => {
    const plain = matrixGame(RPSSL, { keys: ['player', 'player'] });
    let calls = 0;
    const batched = { ...plain, children: (s: Parameters<typeof plain.next>[0], actions: readonly string[]) => (calls++, actions.map((a) => plain.next(s, a))) };
    const a = solveExternalSamplingMccfr(plain, 200, { seed: 5 });
    const b = solveExternalSamplingMccfr(batched, 200, { seed: 5 });
    expect(calls).toBe(400); // one traverser node per traversal, two traversals per iteration
    expect([...b.average]).toEqual([...a.average]);
  });
});
