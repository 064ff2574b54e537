/**
 * A byte-level BPE tokenizer, trained from the envs' own text (pure functions; no I/O).
 *
 * ```
 * ids 0..255                 the 256 bytes (any text encodes, nothing is unknown)
 * ids 256..256+M-1           the M merges, in the order they were learned (lower id = applied first)
 * ids 256+M..                the special tokens (chat roles, end of turn), never produced from text
 * ```
 *
 * Text is first split into chunks (`pretokenize`): a run of letters with its leading space, one
 * digit with its leading space, a run of other symbols with its leading space, or whitespace, so
 * merges never cross a word boundary and each digit stays a token of its own (object and
 * receptacle numbers stay compositional). Training counts the chunks, then repeatedly merges the
 * most frequent adjacent pair of tokens (ties: the pair of smaller ids), until the vocabulary has
 * `vocabSize` tokens or no pair occurs `minFrequency` times. Encoding applies the learned merges
 * to each chunk, lowest rank first, as GPT-2's BPE does; decoding concatenates the bytes.
 * `decode(encode(s)) === s` for every string.
 *
 * Why written here: no npm package trains a byte-level BPE with a chosen vocabulary size offline
 * (README, "Dependencies").
 * @module
 */
import { LmError } from './errors.js';

/** The 256 byte tokens. */
export const BYTE_TOKENS = 256;

/** What `trainBpe` and `BpeTokenizer` are built from; plain JSON (tokenizer.json). */
export interface BpeSpec {
  type: 'byte-level-bpe';
  version: 1;
  /** The merges in rank order: merge i joins tokens `a` and `b` into token 256 + i. */
  merges: [number, number][];
  /** Special tokens by name, in id order after the merges. */
  specialTokens: string[];
}

export interface TrainBpeOptions {
  /** Total vocabulary: 256 bytes + merges + special tokens. */
  vocabSize: number;
  /** Special tokens (e.g. chat roles); they get the last ids. */
  specialTokens?: readonly string[];
  /** Stop merging when the most frequent pair occurs fewer times. Default 2. */
  minFrequency?: number;
}

const CHUNK = /(?: ?\p{L}+| ?\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)/gu;

/** Splits text into the chunks BPE merges within (see the module doc). Joining them gives the text back. */
export function pretokenize(text: string): string[] {
  return text.match(CHUNK) ?? [];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

function pairKey(a: number, b: number): number {
  return a * 1_048_576 + b;
}

/**
 * Learns merges from a corpus (any number of documents). Deterministic: the same corpus and
 * options give the same merges.
 */
export function trainBpe(corpus: Iterable<string>, options: TrainBpeOptions): BpeSpec {
  const specials = [...(options.specialTokens ?? [])];
  const minFrequency = options.minFrequency ?? 2;
  const targetMerges = options.vocabSize - BYTE_TOKENS - specials.length;
  if (!Number.isInteger(options.vocabSize) || targetMerges < 0) {
    throw new LmError('LM_CONFIG_INVALID', `vocabSize must be an integer of at least ${BYTE_TOKENS + specials.length} (256 bytes + ${specials.length} special tokens), got ${options.vocabSize}.`);
  }
  if (new Set(specials).size !== specials.length) throw new LmError('LM_CONFIG_INVALID', `special tokens must be distinct, got ${specials.join(', ')}.`);

  // Distinct chunks with their counts, each as a sequence of token ids.
  const counts = new Map<string, number>();
  for (const doc of corpus) for (const chunk of pretokenize(doc)) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [chunk, n] of counts) {
    words.push(Array.from(encoder.encode(chunk)));
    freq.push(n);
  }

  // Pair counts and, per pair, the words that contain it.
  const pairCount = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1) => {
    const ids = words[w] as number[];
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = pairKey(ids[i] as number, ids[i + 1] as number);
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * (freq[w] as number));
      if (sign > 0) {
        let set = where.get(key);
        if (set === undefined) where.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);

  const merges: [number, number][] = [];
  while (merges.length < targetMerges) {
    let best = -1;
    let bestCount = 0;
    for (const [key, n] of pairCount) {
      if (n > bestCount || (n === bestCount && n > 0 && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (best < 0 || bestCount < minFrequency) break;
    const a = Math.floor(best / 1_048_576);
    const b = best % 1_048_576;
    const id = BYTE_TOKENS + merges.length;
    merges.push([a, b]);
    for (const w of where.get(best) ?? []) {
      addPairs(w, -1);
      words[w] = mergeIn(words[w] as number[], a, b, id);
      addPairs(w, 1);
    }
    where.delete(best);
    pairCount.delete(best);
    for (const [key, n] of pairCount) if (n <= 0) pairCount.delete(key);
  }
  return { type: 'byte-level-bpe', version: 1, merges, specialTokens: specials };
}

/** `ids` with every adjacent (a, b) replaced by `id`, left to right. */
export function mergeIn(ids: readonly number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out.push(id);
      i += 1;
    } else out.push(ids[i] as number);
  }
  return out;
}

/** Encodes and decodes with a trained {@link BpeSpec}. */
export class BpeTokenizer {
  readonly spec: BpeSpec;
  /** 256 + merges + specials. */
  readonly vocabSize: number;
  /** The bytes each non-special token stands for. */
  private readonly bytes: Uint8Array[];
  private readonly rank = new Map<number, number>();
  private readonly specialIds = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(spec: BpeSpec) {
    checkSpec(spec);
    this.spec = spec;
    this.bytes = Array.from({ length: BYTE_TOKENS }, (_, i) => Uint8Array.of(i));
    spec.merges.forEach(([a, b], i) => {
      const left = this.bytes[a] as Uint8Array;
      const right = this.bytes[b] as Uint8Array;
      const joined = new Uint8Array(left.length + right.length);
      joined.set(left);
      joined.set(right, left.length);
      this.bytes.push(joined);
      this.rank.set(pairKey(a, b), i);
    });
    spec.specialTokens.forEach((name, i) => this.specialIds.set(name, BYTE_TOKENS + spec.merges.length + i));
    this.vocabSize = BYTE_TOKENS + spec.merges.length + spec.specialTokens.length;
  }

  /** The id of a special token; throws when the tokenizer has none of that name. */
  special(name: string): number {
    const id = this.specialIds.get(name);
    if (id === undefined) throw new LmError('LM_INPUT_INVALID', `The tokenizer has no special token '${name}' (it has ${this.spec.specialTokens.join(', ') || 'none'}).`);
    return id;
  }

  isSpecial(id: number): boolean {
    return id >= BYTE_TOKENS + this.spec.merges.length && id < this.vocabSize;
  }

  /** Token ids of plain text (special-token names in the text are encoded as ordinary bytes). */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const chunk of pretokenize(text)) {
      let ids = this.cache.get(chunk);
      if (ids === undefined) {
        ids = this.encodeChunk(chunk);
        if (this.cache.size < 200_000) this.cache.set(chunk, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  private encodeChunk(chunk: string): number[] {
    let ids = Array.from(encoder.encode(chunk));
    for (;;) {
      let bestRank = Infinity;
      let at = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const r = this.rank.get(pairKey(ids[i] as number, ids[i + 1] as number));
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          at = i;
        }
      }
      if (at < 0) return ids;
      const [a, b] = this.spec.merges[bestRank] as [number, number];
      ids = mergeIn(ids, a, b, BYTE_TOKENS + bestRank);
    }
  }

  /** The bytes of a token (a special token: its name's UTF-8). */
  tokenBytes(id: number): Uint8Array {
    this.checkId(id);
    if (this.isSpecial(id)) return encoder.encode(this.spec.specialTokens[id - BYTE_TOKENS - this.spec.merges.length] as string);
    return this.bytes[id] as Uint8Array;
  }

  /** One token as text (a token that ends inside a UTF-8 sequence shows U+FFFD). */
  tokenText(id: number): string {
    return decoder.decode(this.tokenBytes(id));
  }

  /** Text of a sequence of ids; special tokens are dropped unless `keepSpecial`. */
  decode(ids: readonly number[], options: { keepSpecial?: boolean } = {}): string {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (const id of ids) {
      if (this.isSpecial(id) && options.keepSpecial !== true) continue;
      const b = this.tokenBytes(id);
      parts.push(b);
      total += b.length;
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return decoder.decode(all);
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new LmError('LM_INPUT_INVALID', `Token id ${id} is outside the tokenizer's vocabulary of ${this.vocabSize}.`);
    }
  }
}

/** Refuses a spec that is not a byte-level BPE this code reads. */
export function checkSpec(spec: unknown): asserts spec is BpeSpec {
  const s = spec as Partial<BpeSpec> | null;
  const bad = (why: string) => new LmError('LM_CHECKPOINT_INVALID', `The tokenizer is not a ludus byte-level BPE: ${why}.`);
  if (s === null || typeof s !== 'object') throw bad('expected a JSON object');
  if (s.type !== 'byte-level-bpe') throw bad(`type is '${String(s.type)}', expected 'byte-level-bpe'`);
  if (s.version !== 1) throw bad(`version is ${String(s.version)}, this ludus reads version 1`);
  if (!Array.isArray(s.merges) || !Array.isArray(s.specialTokens)) throw bad('merges and specialTokens must be arrays');
  s.merges.forEach((m, i) => {
    const ok = Array.isArray(m) && m.length === 2 && m.every((x) => Number.isInteger(x) && x >= 0 && x < BYTE_TOKENS + i);
    if (!ok) throw bad(`merge ${i} must join two earlier tokens, got ${JSON.stringify(m)}`);
  });
  if (!s.specialTokens.every((t) => typeof t === 'string' && t.length > 0)) throw bad('special tokens must be non-empty strings');
}
