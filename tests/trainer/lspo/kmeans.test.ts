import { describe, expect, it } from 'vitest';
import { fitKmeans } from '../../../trainer/lspo/kmeans.js';

const BLOBS = [
  [0, 0], [0.1, 0], [0, 0.1],
  [5, 5], [5.1, 5], [5, 5.1],
  [0, 5], [0.1, 5.1],
];

describe('seeded k-means', () => {
  it('separates well-separated blobs and reports their inertia (by hand)', () => {
    const fit = fitKmeans(BLOBS, 3, { seed: 1 });
    const groups = [[0, 1, 2], [3, 4, 5], [6, 7]].map((g) => new Set(g.map((i) => fit.assignments[i])));
    for (const g of groups) expect(g.size).toBe(1);
    expect(new Set(groups.map((g) => [...g][0])).size).toBe(3);
    // Each 3-point blob: centroid offset (1/30, 1/30); Σ d² = 2·(1/30)²·... computed exactly below.
    const blob3 = [[0, 0], [0.1, 0], [0, 0.1]].reduce((s, [x, y]) => s + (x! - 1 / 30) ** 2 + (y! - 1 / 30) ** 2, 0);
    const blob2 = 2 * (0.05 ** 2 + 0.05 ** 2);
    expect(fit.inertia).toBeCloseTo(2 * blob3 + blob2, 10);
  });

  it('is deterministic for a seed, and caps k at the number of distinct points', () => {
    expect(fitKmeans(BLOBS, 3, { seed: 7 })).toEqual(fitKmeans(BLOBS, 3, { seed: 7 }));
    const dup = fitKmeans([[1, 1], [1, 1], [2, 2], [2, 2], [2, 2]], 4, { seed: 0 });
    expect(dup.k).toBe(2);
    expect(dup.inertia).toBe(0);
    const one = fitKmeans([[3, 4], [3, 4]], 5);
    expect(one).toEqual({ assignments: [0, 0], centroids: [[3, 4]], inertia: 0, k: 1 });
  });

  it('refuses nothing to cluster and a bad k', () => {
    expect(() => fitKmeans([], 2)).toThrow(expect.objectContaining({ code: 'LSPO_NO_SPEECH' }));
    expect(() => fitKmeans(BLOBS, 0)).toThrow(expect.objectContaining({ code: 'LSPO_CONFIG_INVALID' }));
  });
});
