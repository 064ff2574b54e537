import { describe, expect, it } from 'vitest';
import { matchClusters, vanishedClusters } from '../../replay/latent-changes.js';

describe('cluster changes across iterations', () => {
  it('matches each cluster to the nearest previous centroid; far ones are new', () => {
    const before = [{ centroid: [1, 0, 0] }, { centroid: [0, 1, 0] }];
    const after = [{ centroid: [0.9, 0.1, 0] }, { centroid: [0, 0, 1] }];
    const m = matchClusters(before, after);
    expect(m[0]).toEqual({ previous: 0, distance: expect.closeTo(0.02, 12), isNew: false });
    // [0,0,1] vs [1,0,0] and [0,1,0]: squared distance 2 to both → the first, and new.
    expect(m[1]).toEqual({ previous: 0, distance: 2, isNew: true });
    // [0,1,0] is 1.64 and 2 away from the current clusters: it vanished; [1,0,0] is 0.02 from the first.
    expect(vanishedClusters(before, after)).toEqual([1]);
    expect(vanishedClusters(before, [...after, { centroid: [0, 0.8, 0] }])).toEqual([]);
  });

  it('the first iteration has nothing to match', () => {
    expect(matchClusters(null, [{ centroid: [1] }])).toEqual([{ previous: null, distance: null, isNew: false }]);
  });
});
