/**
 * ALiBi positions and the causal mask, as one additive bias on the attention scores (pure).
 *
 * Head h (0-based, of H) adds −m_h·(i − j) to the score of query slot i on key slot j ≤ i; keys
 * after the query (j > i) and padding slots get −1e9. The first ⌈H/2⌉ heads have ALiBi's
 * geometric slopes m_h = 2^(−8(h+1)/H) (Press et al., "Train Short, Test Long"): they look
 * near. The other heads have slope 0: they find what they attend to by content alone, however far
 * back (an agent copies a receptacle named in the first observation into an action many turns
 * later; the causal mask still tells them the order). There is no position table: the bias
 * depends only on the distance i − j, so
 *
 * - a model trained on short expert episodes reads the longer episodes of a wandering policy
 *   (ALiBi was made to extrapolate past the training length, which RoPE does poorly);
 * - left padding (several sequences of different lengths decoded together) changes nothing for
 *   the real tokens, since their distances are the same in every layout;
 * - the bias and the causal mask are one tensor, so positions cost no op in the graph.
 * @module
 */

export const MASKED = -1e9;

/** The slope of each of `heads` heads: ALiBi's geometric slopes for the first half, 0 for the rest. */
export function alibiSlopes(heads: number): Float64Array {
  const near = Math.ceil(heads / 2);
  return Float64Array.from({ length: heads }, (_, h) => (h < near ? 2 ** ((-8 * (h + 1)) / heads) : 0));
}

/**
 * The bias of `queries` query slots starting at slot `start`, over keys at slots 0..start+queries−1,
 * for each row: [rows, heads, queries, keys] flattened. `pad[b]` slots at the left of row b are
 * padding (masked). With one row (or no padding), pass `pad` of length 1.
 */
export function attentionBias(heads: number, start: number, queries: number, pad: ArrayLike<number>): Float32Array {
  const keys = start + queries;
  const slopes = alibiSlopes(heads);
  const rows = pad.length;
  const out = new Float32Array(rows * heads * queries * keys);
  let o = 0;
  for (let b = 0; b < rows; b++) {
    const p = pad[b] as number;
    for (let h = 0; h < heads; h++) {
      const m = slopes[h] as number;
      for (let q = 0; q < queries; q++) {
        const i = start + q;
        for (let j = 0; j < keys; j++) out[o++] = j > i || j < p ? MASKED : j === i ? 0 : -m * (i - j);
      }
    }
  }
  return out;
}
