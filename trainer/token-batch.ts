/**
 * The token side of a Batch, for a language-model policy: per turn (row) the prompt's and the
 * completion's token ids, a loss mask over the completion (1 on the action's tokens), per-token
 * log-probs under π_old and π_ref, and the packing of turns into sequences. Pure.
 *
 * Packing: the transcript of step t+1 starts with the transcript of step t followed by its
 * completion (agents/lm/transcript.ts), so the turns of one trajectory are read in one forward
 * pass: a sequence grows by each turn whose prompt extends it, and a new sequence starts where a
 * prompt does not (a prompt cut from the front, a completion stopped by its token cap). Each
 * trained token is a position of a sequence, with the row it belongs to and its index in that
 * row's completion, so per-token quantities go back to their turn and the turn's advantage comes
 * to its tokens.
 * @module
 */

/** One turn's tokens. */
export interface TokenTurn {
  promptIds: readonly number[];
  /** The completion's ids (the action's tokens and the end-of-turn that closes it). */
  ids: readonly number[];
  /** 1 for each completion token the loss trains on; same length as `ids`. */
  mask: readonly number[];
}

/** Turns read in one forward pass. */
export interface PackedSequence {
  ids: Int32Array;
  /** Positions t whose next token ids[t + 1] is trained on. */
  positions: Int32Array;
  /** The row (turn) of each position's token. */
  row: Int32Array;
  /** The index of each position's token in its row's completion. */
  token: Int32Array;
}

export interface TokenTurns {
  turns: TokenTurn[];
  sequences: PackedSequence[];
  /** Per row, per completion token: log π_old (the current weights right after collection, T = 1). */
  logpOld: Float32Array[];
  /** The same under the frozen reference; null when the loss has no KL term. */
  logpRef: Float32Array[] | null;
}

function extends_(seq: readonly number[], prompt: readonly number[]): boolean {
  if (seq.length === 0 || seq.length > prompt.length) return false;
  for (let i = 0; i < seq.length; i++) if (seq[i] !== prompt[i]) return false;
  return true;
}

/**
 * Packs each trajectory's rows (in step order; `trajectories[j]` lists its row indices) into
 * sequences of at most `context` tokens.
 */
export function packTurns(turns: readonly TokenTurn[], trajectories: readonly (readonly number[])[], context: number): PackedSequence[] {
  const out: PackedSequence[] = [];
  for (const rows of trajectories) {
    let ids: number[] = [];
    let positions: number[] = [];
    let row: number[] = [];
    let token: number[] = [];
    const flush = () => {
      if (positions.length > 0) out.push({ ids: Int32Array.from(ids), positions: Int32Array.from(positions), row: Int32Array.from(row), token: Int32Array.from(token) });
      ids = [];
      positions = [];
      row = [];
      token = [];
    };
    for (const r of rows) {
      const t = turns[r] as TokenTurn;
      if (t.mask.length !== t.ids.length) throw new RangeError(`packTurns: row ${r} has ${t.ids.length} completion ids but ${t.mask.length} mask entries.`);
      const total = t.promptIds.length + t.ids.length;
      if (total > context) throw new RangeError(`packTurns: row ${r} holds ${total} tokens, more than the context of ${context}.`);
      if (!extends_(ids, t.promptIds)) {
        flush();
        ids = [...t.promptIds];
      } else {
        for (let i = ids.length; i < t.promptIds.length; i++) ids.push(t.promptIds[i] as number);
      }
      const start = ids.length;
      for (let k = 0; k < t.ids.length; k++) {
        ids.push(t.ids[k] as number);
        if (t.mask[k] === 1 && start + k >= 1) {
          positions.push(start + k - 1);
          row.push(r);
          token.push(k);
        }
      }
    }
    flush();
  }
  return out;
}

/** Tokens trained on in `sequences`. */
export function trainedTokens(sequences: readonly PackedSequence[]): number {
  return sequences.reduce((n, s) => n + s.positions.length, 0);
}

/**
 * Σ over the masked tokens of each row of `perToken[row][k]`: the turn's sequence log-prob (the
 * sum REFUEL's regression and DPO use).
 */
export function rowSums(turns: readonly TokenTurn[], perToken: readonly ArrayLike<number>[]): Float64Array {
  return Float64Array.from(turns, (t, r) => {
    let sum = 0;
    const lp = perToken[r] as ArrayLike<number>;
    for (let k = 0; k < t.ids.length; k++) if (t.mask[k] === 1) sum += lp[k] as number;
    return sum;
  });
}

/** The per-position values of `sequences`, read from per-row, per-token arrays (π_old, π_ref). */
export function gatherPerToken(sequences: readonly PackedSequence[], perToken: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(trainedTokens(sequences));
  let m = 0;
  for (const s of sequences) for (let i = 0; i < s.positions.length; i++) out[m++] = (perToken[s.row[i] as number] as ArrayLike<number>)[s.token[i] as number] as number;
  return out;
}

/** The turn's advantage broadcast over its trained tokens, position by position. */
export function broadcastAdvantages(sequences: readonly PackedSequence[], advantage: ArrayLike<number>): Float32Array {
  const out = new Float32Array(trainedTokens(sequences));
  let m = 0;
  for (const s of sequences) for (let i = 0; i < s.positions.length; i++) out[m++] = advantage[s.row[i] as number] as number;
  return out;
}

/** Writes per-position values back into per-row, per-token arrays. */
export function scatterPerToken(sequences: readonly PackedSequence[], values: ArrayLike<number>, into: Float32Array[]): void {
  let m = 0;
  for (const s of sequences) for (let i = 0; i < s.positions.length; i++) (into[s.row[i] as number] as Float32Array)[s.token[i] as number] = values[m++] as number;
}

/** Minibatches of sequences: a shuffled order cut into groups of at most `tokens` trained tokens (at least one sequence each). */
export function sequenceMinibatches(sequences: readonly PackedSequence[], order: readonly number[], tokens: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let count = 0;
  for (const i of order) {
    const n = (sequences[i] as PackedSequence).ids.length;
    if (current.length > 0 && count + n > tokens) {
      out.push(current);
      current = [];
      count = 0;
    }
    current.push(i);
    count += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}
