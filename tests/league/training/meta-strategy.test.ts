import { describe, expect, it } from 'vitest';
import { normalise, pfspDistribution, symmetricExploitability, symmetricNash } from '../../../league/training/meta-strategy.js';

const close = (a: number[], b: number[], tol = 2e-3) => a.forEach((x, i) => expect(Math.abs(x - (b[i] as number))).toBeLessThan(tol));

describe('meta-strategies', () => {
  it('rock-paper-scissors: the equilibrium is uniform, and uniform is unexploitable', () => {
    const rps = [
      [0, -1, 1],
      [1, 0, -1],
      [-1, 1, 0],
    ];
    close(symmetricNash(rps), [1 / 3, 1 / 3, 1 / 3]);
    expect(symmetricExploitability(rps, [1 / 3, 1 / 3, 1 / 3])).toBeCloseTo(0, 12);
    // Pure rock is beaten by paper by 1.
    expect(symmetricExploitability(rps, [1, 0, 0])).toBeCloseTo(1, 12);
  });

  it('weighted RPS: A x = 0 gives x = (1/4, 1/2, 1/4) by hand', () => {
    // rows: -x2 + 2x3 = 0, x1 - x3 = 0, -2x1 + x2 = 0  →  x1 = x3, x2 = 2x1.
    const a = [
      [0, -1, 2],
      [1, 0, -1],
      [-2, 1, 0],
    ];
    close(symmetricNash(a), [0.25, 0.5, 0.25]);
  });

  it('a member that beats every other is played alone', () => {
    const a = [
      [0, 0.3, 0.2],
      [-0.3, 0, 0.1],
      [-0.2, -0.1, 0],
    ];
    close(symmetricNash(a), [1, 0, 0]);
  });

  it('rejects a matrix that is not square', () => {
    expect(() => symmetricNash([[0, 1]])).toThrow(/square/);
    expect(() => symmetricNash([])).toThrow(/empty/);
  });

  it('pfsp weights (1 − p)^2: scores 0, ½, 1 → 1, ¼, 0 → 0.8, 0.2, 0', () => {
    close(pfspDistribution([0, 0.5, 1]), [0.8, 0.2, 0], 1e-12);
    // every member beaten: uniform rather than nothing
    close(pfspDistribution([1, 1]), [0.5, 0.5], 1e-12);
    expect(() => pfspDistribution([1.5])).toThrow(/\[0, 1\]/);
    close(normalise([2, 6]), [0.25, 0.75], 1e-12);
  });
});
