/**
 * Text similarity for GiGPO's optional similarity grouping.
 *
 * The reference ratio is difflib's 2·M / (|a| + |b|), where M counts the characters of the matching
 * blocks difflib finds. This module computes the same form with M = the length of the longest
 * common subsequence: difflib's blocks form a common subsequence, so its M is at most the LCS, and
 * the two agree on typical near-duplicates (a few substituted, inserted or deleted characters).
 * Where they differ (difflib's block heuristic, its `autojunk` on texts of 200+ characters), this
 * ratio is the higher one, so it groups at least as eagerly at a given threshold.
 * The LCS length uses Hyyrö's bit-parallel recurrence over 32-bit words: O(⌈m/32⌉·n).
 * @module
 */

/**
 * A text prepared for repeated LCS queries against it (its per-character match masks are built
 * once): the representative of a similarity cluster is compared with every new text.
 */
export class LcsPattern {
  readonly text: string;
  private readonly words: number;
  /** Match masks of ASCII characters, flat: bit p of word `c·words + (p >> 5)` is set where text[p] === c. */
  private readonly ascii: Uint32Array;
  /** How often each ASCII character occurs in the text (0 = absent). */
  private readonly asciiCount: Int32Array;
  /** Match masks and counts of the other characters. */
  private readonly other = new Map<number, Uint32Array>();
  private readonly otherCount = new Map<number, number>();
  /** Scratch bit vector, reused across queries. */
  private readonly v: Uint32Array;

  constructor(text: string) {
    this.text = text;
    const words = (text.length + 31) >>> 5;
    this.words = words;
    this.v = new Uint32Array(words);
    this.ascii = new Uint32Array(128 * words);
    this.asciiCount = new Int32Array(128);
    for (let p = 0; p < text.length; p++) {
      const c = text.charCodeAt(p);
      const bit = 1 << (p & 31);
      if (c < 128) {
        this.ascii[c * words + (p >>> 5)] |= bit;
        this.asciiCount[c]++;
      } else {
        let mask = this.other.get(c);
        if (mask === undefined) {
          mask = new Uint32Array(words);
          this.other.set(c, mask);
        }
        mask[p >>> 5] |= bit;
        this.otherCount.set(c, (this.otherCount.get(c) ?? 0) + 1);
      }
    }
  }

  /** Length of the longest common subsequence of this text and `b` (UTF-16 code units). */
  lcs(b: string): number {
    const m = this.text.length;
    if (m === 0) return 0;
    const words = this.words;
    // V starts all ones; for each character of b with match mask M:
    // U = V & M; V = (V + U) | (V & ~U). The zeros in V's low m bits count the LCS.
    const v = this.v.fill(0xffffffff);
    for (let j = 0; j < b.length; j++) {
      const c = b.charCodeAt(j);
      let mask: Uint32Array;
      let offset = 0;
      if (c < 128) {
        if (this.asciiCount[c] === 0) continue;
        mask = this.ascii;
        offset = c * words;
      } else {
        const found = this.other.get(c);
        if (found === undefined) continue;
        mask = found;
      }
      let carry = 0;
      for (let w = 0; w < words; w++) {
        const vw = v[w];
        const u = vw & mask[offset + w];
        const s = vw + (u >>> 0) + carry;
        carry = s > 0xffffffff ? 1 : 0;
        v[w] = (s >>> 0) | (vw & ~u);
      }
    }
    let ones = 0;
    for (let w = 0; w < words; w++) {
      let x = v[w];
      const bits = w === words - 1 ? m - (w << 5) : 32;
      if (bits < 32) x &= 0xffffffff >>> (32 - bits);
      ones += popcount32(x);
    }
    return m - ones;
  }

  /**
   * An upper bound on the LCS with `o`: the size of the two texts' character multiset intersection
   * (what difflib's quick_ratio counts).
   */
  commonCharacters(o: LcsPattern): number {
    let common = 0;
    for (let c = 0; c < 128; c++) common += Math.min(this.asciiCount[c], o.asciiCount[c]);
    for (const [c, k] of this.otherCount) common += Math.min(k, o.otherCount.get(c) ?? 0);
    return common;
  }

  /**
   * True when 2·LCS / (|a| + |b|) ≥ threshold. Skips the LCS when the lengths or the character
   * counts alone rule the threshold out.
   */
  isSimilarTo(o: LcsPattern, threshold: number): boolean {
    const total = this.text.length + o.text.length;
    if (total === 0) return true;
    if ((2 * Math.min(this.text.length, o.text.length)) / total < threshold) return false;
    if (this.text === o.text) return true;
    if ((2 * this.commonCharacters(o)) / total < threshold) return false;
    return (2 * this.lcs(o.text)) / total >= threshold;
  }
}

/** Length of the longest common subsequence of `a` and `b` (UTF-16 code units). */
export function lcsLength(a: string, b: string): number {
  return a.length <= b.length ? new LcsPattern(a).lcs(b) : new LcsPattern(b).lcs(a);
}

/** 2·LCS(a, b) / (|a| + |b|), in [0, 1]; 1 for two empty strings. */
export function similarityRatio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  return (2 * lcsLength(a, b)) / total;
}

function popcount32(x: number): number {
  x >>>= 0;
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
