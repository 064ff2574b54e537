/**
 * The fixed featurizer that places utterances in the latent space: hashed word unigrams and bigrams
 * (FNV-1a, the policy featurizer's hash and tokenizer) in `dim` dense dimensions, L2-normalised,
 * so squared Euclidean distance is 2 − 2·cosine.
 *
 * Why a fixed featurizer and not the speaker's own utterance encoder: the encoder starts random and
 * moves with every DPO step, so clusters built on it would mean nothing at first and could not be
 * compared across iterations; a fixed map keeps "the same words, the same point" for the whole run,
 * which is what lets the clusters of iteration 2 be matched to those of iteration 1 and new ones be
 * seen to appear. Domains normalise the text first (werewolf replaces player numbers by what the
 * speaker knows of them), so the words that remain are the strategy.
 * @module
 */
import { fnv1a32, tokenize } from '../../agents/policy/featurizer.js';
import { LspoError } from './errors.js';

export interface TextEmbeddingConfig {
  /** Dense dimensions (hash buckets). */
  dim: number;
  /** Add word bigrams to the unigrams. */
  bigrams: boolean;
}

export const DEFAULT_TEXT_EMBEDDING: Readonly<TextEmbeddingConfig> = { dim: 512, bigrams: true };

const UNIGRAM = fnv1a32('lspo/unigram');
const BIGRAM = fnv1a32('lspo/bigram');

export class TextEmbedder {
  readonly config: Readonly<TextEmbeddingConfig>;
  private readonly memo = new Map<string, Float64Array>();

  constructor(config: Partial<TextEmbeddingConfig> = {}) {
    const c = { ...DEFAULT_TEXT_EMBEDDING, ...config };
    if (!Number.isInteger(c.dim) || c.dim < 8 || c.dim > 65536) {
      throw new LspoError('LSPO_CONFIG_INVALID', `embedding dim must be an integer in [8, 65536], got ${c.dim}.`);
    }
    this.config = Object.freeze(c);
  }

  /** The unit vector of a text (all zeros for a text without words). Memoised; do not mutate. */
  embed(text: string): Float64Array {
    const hit = this.memo.get(text);
    if (hit !== undefined) return hit;
    const v = new Float64Array(this.config.dim);
    const words = tokenize(text);
    words.forEach((w, i) => {
      const u = fnv1a32(w, UNIGRAM) % this.config.dim;
      v[u] = (v[u] as number) + 1;
      if (this.config.bigrams && i + 1 < words.length) {
        const b = fnv1a32(words[i + 1] as string, fnv1a32(' ', fnv1a32(w, BIGRAM))) % this.config.dim;
        v[b] = (v[b] as number) + 1;
      }
    });
    let norm = 0;
    for (const x of v) norm += x * x;
    if (norm > 0) {
      const s = 1 / Math.sqrt(norm);
      for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * s;
    }
    if (this.memo.size >= 100_000) this.memo.clear();
    this.memo.set(text, v);
    return v;
  }
}

/** Squared Euclidean distance. */
export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) - (b[i] as number);
    d += x * x;
  }
  return d;
}

/** Index of the nearest centroid (the lowest index on a tie). */
export function nearestCentroid(point: ArrayLike<number>, centroids: readonly ArrayLike<number>[]): number {
  let best = 0;
  let bestDistance = Infinity;
  centroids.forEach((c, i) => {
    const d = squaredDistance(point, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}
