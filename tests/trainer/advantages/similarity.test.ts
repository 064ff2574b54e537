import { describe, expect, it } from 'vitest';
import { lcsLength, similarityRatio } from '../../../trainer/advantages/index.js';
import { LcsPattern } from '../../../trainer/advantages/similarity.js';

/** Textbook O(m·n) dynamic program, the oracle for the bit-parallel version. */
function lcsByTable(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    }
    prev = row;
  }
  return prev[b.length];
}

/** Deterministic pseudo-random strings (LCG), so failures reproduce. */
function randomStrings(count: number, seed: number): string[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const alphabet = 'abcé ';
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 150);
    let text = '';
    for (let k = 0; k < length; k++) text += alphabet[Math.floor(next() * alphabet.length)];
    return text;
  });
}

describe('lcsLength', () => {
  it('matches hand-computed cases', () => {
    expect(lcsLength('kitten', 'sitting')).toBe(4); // i t t n
    expect(lcsLength('abcd', 'abce')).toBe(3);
    expect(lcsLength('', 'abc')).toBe(0);
    expect(lcsLength('abc', 'abc')).toBe(3);
    expect(lcsLength('abc', 'xyz')).toBe(0);
  });

  it('agrees with the dynamic program across 32-bit word boundaries (lengths 0..149)', () => {
    const texts = randomStrings(60, 7);
    for (let k = 0; k + 1 < texts.length; k++) {
      const [a, b] = [texts[k], texts[k + 1]];
      expect(lcsLength(a, b), `${a.length} × ${b.length}`).toBe(lcsByTable(a, b));
    }
    const long = 'x'.repeat(64) + 'y'.repeat(33);
    expect(lcsLength(long, 'y'.repeat(40) + 'x'.repeat(70))).toBe(lcsByTable(long, 'y'.repeat(40) + 'x'.repeat(70)));
  });
});

describe('similarityRatio', () => {
  it('is 2·LCS / total length, as difflib’s 2·M / T', () => {
    expect(similarityRatio('kitten', 'sitting')).toBeCloseTo(8 / 13, 12); // difflib also gives 0.6154
    expect(similarityRatio('abcd', 'abce')).toBe(0.75);
    expect(similarityRatio('same', 'same')).toBe(1);
    expect(similarityRatio('', '')).toBe(1);
    expect(similarityRatio('', 'abc')).toBe(0);
  });

  it('is symmetric', () => {
    const texts = randomStrings(10, 3);
    for (let k = 0; k + 1 < texts.length; k++) {
      expect(similarityRatio(texts[k], texts[k + 1])).toBe(similarityRatio(texts[k + 1], texts[k]));
    }
  });
});

describe('LcsPattern.isSimilarTo', () => {
  it('agrees with similarityRatio ≥ threshold (the length and character-count shortcuts never reject a match)', () => {
    const texts = [...randomStrings(40, 11), 'You see a red apple.', 'You see a red apples.', 'résumé', 'resume'];
    const patterns = texts.map((t) => new LcsPattern(t));
    let similar = 0;
    for (const threshold of [0.3, 0.6, 0.75, 0.9, 0.95, 1]) {
      for (let a = 0; a < texts.length; a++) {
        for (let b = a; b < Math.min(texts.length, a + 6); b++) {
          const expected = similarityRatio(texts[a], texts[b]) >= threshold;
          expect(patterns[a].isSimilarTo(patterns[b], threshold), `${a} ~ ${b} @ ${threshold}`).toBe(expected);
          if (expected) similar++;
        }
      }
    }
    expect(similar).toBeGreaterThan(50); // both outcomes are exercised
  });

  it('bounds the LCS by the shared character counts', () => {
    expect(new LcsPattern('aabbc').commonCharacters(new LcsPattern('abbbé'))).toBe(3); // a, b, b
    expect(new LcsPattern('éé').commonCharacters(new LcsPattern('é'))).toBe(1);
  });
});
