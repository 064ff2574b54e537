import { describe, expect, it } from 'vitest';
import { nearestCentroid, squaredDistance, TextEmbedder } from '../../../trainer/lspo/text-embedding.js';

describe('the fixed text featurizer', () => {
  it('maps a text to a unit vector, the same text to the same vector, case and punctuation aside', () => {
    const e = new TextEmbedder({ dim: 256 });
    const a = e.embed('I am the Seer.');
    const norm = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 12);
    expect(Array.from(e.embed('i am the seer'))).toEqual(Array.from(a));
    expect(a.filter((x) => x !== 0)).toHaveLength(7); // 4 unigrams + 3 bigrams (no collisions at dim 256 here)
  });

  it('unigrams only: one word in common out of two each gives cosine 1/2 (squared distance 1)', () => {
    const e = new TextEmbedder({ dim: 4096, bigrams: false });
    expect(squaredDistance(e.embed('solid rock'), e.embed('heavy rock'))).toBeCloseTo(1, 12);
    expect(squaredDistance(e.embed('solid rock'), e.embed('plain paper'))).toBeCloseTo(2, 12);
  });

  it('a text without words is the zero vector; dims are validated', () => {
    expect(new TextEmbedder({ dim: 64 }).embed('...').every((x) => x === 0)).toBe(true);
    expect(() => new TextEmbedder({ dim: 3 })).toThrow(/dim/);
  });

  it('the nearest centroid wins, the lowest index on a tie', () => {
    expect(nearestCentroid([0, 1], [[1, 0], [0, 0.9], [0, 1.1]])).toBe(1);
    expect(nearestCentroid([0, 0], [[1, 0], [0, 1]])).toBe(0);
  });
});
