import { describe, expect, it } from 'vitest';
import { wilson } from '../../league/wilson.js';

describe('the Wilson 95% interval', () => {
  it('matches hand-computed values', () => {
    // 5/10: centre (0.5 + z²/20)/(1 + z²/10) = 0.5; half = z/(1 + z²/10)·sqrt(0.025 + z²/400) ≈ 0.26341.
    const half = wilson(5, 10);
    expect(half.rate).toBe(0.5);
    expect(half.low).toBeCloseTo(0.236593, 5);
    expect(half.high).toBeCloseTo(0.763407, 5);
    // 0/10: [0, z²/10 / (1 + z²/10)] = [0, 0.277533].
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.277533, 5);
    expect(wilson(10, 10).low).toBeCloseTo(0.722467, 5);
    expect(wilson(10, 10).high).toBe(1);
  });

  it('narrows as trials grow and stays inside [0, 1]', () => {
    const a = wilson(60, 100);
    const b = wilson(600, 1000);
    expect(b.high - b.low).toBeLessThan(a.high - a.low);
    expect(b.low).toBeGreaterThan(0.569);
    expect(b.high).toBeLessThan(0.631);
    expect(wilson(0, 0)).toEqual({ successes: 0, trials: 0, rate: 0, low: 0, high: 1 });
  });

  it('refuses impossible counts', () => {
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => wilson(0.5, 2)).toThrow(RangeError);
  });
});
