/**
 * Cheap, deterministic text features for the action scorer: hashed word unigrams and bigrams
 * (and optionally character trigrams) in a fixed number of dimensions (the hashing trick,
 * FNV-1a 32-bit).
 *
 * A context is split into fields, each hashed in its own namespace and L2-normalised on its own.
 * Two layouts (`memory`):
 * - `bag` (the default, format 2): the goal, the current observation, the last `recentSteps`
 *   (observation, action) pairs one field each (most recent first), and two memory fields that pool
 *   every step of the last `historyLength`: the bag of all past actions (with their counts) and the
 *   set of every feature of all past observations. The episode so far is always in view, at a fixed
 *   cost per field; docs/algorithms.md ("The policy's memory") explains the choice.
 * - `window` (format 1, checkpoints written before the memory policy): the goal, the current
 *   observation and the last `historyLength` pairs, one field each; nothing older.
 * Each candidate action is one more L2-normalised vector, plus a few dense "pair" features that
 * relate it to the context (word overlap with the goal and the observation, whether it repeats a
 * recent action; with `bag` also how often and how recently it was taken in the whole episode and
 * how much of it past observations mentioned). Vectors are sparse (CSR); `toDense` expands them when a dense matrix
 * is wanted, but the model consumes the sparse form directly: an embedding bag over a CSR batch
 * costs nnz x hidden instead of rows x dim x hidden.
 *
 * `featurizeBatch` builds one batch for all live sessions at once: the contexts of B sessions
 * (B x F rows) and all their candidates, flattened (N rows), with offsets saying which session
 * owns which candidates.
 * @module
 */

import { PolicyError } from './errors.js';

import { entityLines, isNumberWord } from './entity-lines.js';
import { tokenize } from './tokenize.js';
import type { HistoryStep } from '../agent.js';

export type { HistoryStep };
export { tokenize };

/** What the policy scores: one session's current decision. */
export interface PolicyInput {
  goal?: string;
  /** The current observation text. */
  text: string;
  /** Earlier steps, oldest first; only the last `historyLength` are used. */
  history?: readonly HistoryStep[];
  /** The candidate actions to choose from (at least one). */
  candidates: readonly string[];
}

/** How the context holds the episode so far (see the module doc). */
export type MemoryLayout = 'window' | 'bag';

export interface FeaturizerConfig {
  /** Hashed feature dimensions (the embedding table's rows). */
  dim: number;
  /** `bag`: recent steps as fields plus pooled memory of the whole history; `window`: recent steps only. */
  memory: MemoryLayout;
  /** How many past (observation, action) pairs the policy sees at all, most recent first. */
  historyLength: number;
  /** `bag` only: how many of the most recent pairs also get a field of their own. */
  recentSteps: number;
  /**
   * Add goal-masked copies of the candidate and the observation: the same text with every word of
   * the goal replaced by one placeholder, hashed in their own namespaces. "take mug 1 from
   * cabinet 2" under the goal "clean some mug" also reads "take <goal> 1 from cabinet 2", so what
   * is learnt about acting on the goal's object carries over to objects never seen in training.
   */
  goalMatch: boolean;
  /**
   * Add what the observation says about each candidate's entities: a candidate naming a number
   * ("vote[3]", "go to cabinet 3") also gets the words and bigrams of the observation's lines that
   * mention that number, with the number replaced by one placeholder and other numbers by another,
   * most recent lines first (up to `maxTokens` words), in a namespace of their own. "vote[3]" then
   * reads "player <it> said: I am the seer", "I checked player <it>: a werewolf": what is learnt
   * about voting for an accused player carries over to every seat number. Off by default (the
   * household and shop results were measured without it); werewolf training turns it on.
   */
  entityContext: boolean;
  /** Add word bigrams. */
  bigrams: boolean;
  /** Add character trigrams of each word ("#ap", "app", ...) to the context fields. */
  contextCharTrigrams: boolean;
  /** Add character trigrams of each word to the candidate actions (helps with plurals and typos). */
  actionCharTrigrams: boolean;
  /** Words kept per text (the head); long pages are cut here. */
  maxTokens: number;
}

export const DEFAULT_FEATURIZER_CONFIG: Readonly<FeaturizerConfig> = {
  dim: 4096,
  memory: 'bag',
  historyLength: 64,
  recentSteps: 2,
  goalMatch: true,
  entityContext: false,
  bigrams: true,
  contextCharTrigrams: false,
  actionCharTrigrams: true,
  maxTokens: 256,
};

/**
 * What a featurizer config written before the memory layout existed means (checkpoint format 1):
 * the window layout over the last 2 steps.
 */
export const LEGACY_FEATURIZER_CONFIG: Readonly<Partial<FeaturizerConfig>> = { memory: 'window', historyLength: 2, recentSteps: 2, goalMatch: false };

/** Dense per-candidate features relating it to its context, in the `window` layout. */
export const PAIR_FEATURE_NAMES = [
  'goal_overlap',
  'obs_overlap',
  'repeats_last_action',
  'in_recent_actions',
  'length',
] as const;
export const PAIR_FEATURES = PAIR_FEATURE_NAMES.length;

/**
 * The `bag` layout's pair features: the window ones plus the candidate's history in the whole
 * episode: how often it was taken (count / 4, capped at 1), how recently (1 / steps since it was
 * last taken; 0 if never), and the share of its words that past observations mentioned.
 */
export const MEMORY_PAIR_FEATURE_NAMES = [...PAIR_FEATURE_NAMES, 'times_taken', 'recency', 'seen_in_memory'] as const;

/** The pair feature names of a layout. */
export function pairFeatureNames(memory: MemoryLayout): readonly string[] {
  return memory === 'bag' ? MEMORY_PAIR_FEATURE_NAMES : PAIR_FEATURE_NAMES;
}

/**
 * A batch of sparse rows in CSR form: row r owns entries indptr[r] .. indptr[r+1]-1. A feature id
 * may repeat within a row (its weights add up).
 */
export interface SparseRows {
  rows: number;
  /** Length rows + 1. */
  indptr: Int32Array;
  /** Feature ids in [0, dim). */
  indices: Int32Array;
  values: Float32Array;
}

/** Features of B sessions' decisions. */
export interface FeatureBatch {
  /** B. */
  sessions: number;
  /** F: context fields per session (goal, observation, recent steps, memory fields). */
  fields: number;
  /** P: dense pair features per candidate. */
  pairFeatures: number;
  dim: number;
  /** B x F rows: session b's field f is row b*F + f. */
  context: SparseRows;
  /** N rows: all candidates of all sessions, session by session. */
  candidates: SparseRows;
  /** Length B + 1: session b owns candidates candidateOffsets[b] .. candidateOffsets[b+1]-1. */
  candidateOffsets: Int32Array;
  /** N x P, row-major. */
  pair: Float32Array;
  /** The largest candidate count in the batch. */
  maxCandidates: number;
}

/** Hashed features of one text: each feature id repeated as often as it occurs, sorted. */
interface CountVector {
  expanded: Int32Array;
  /** Σ count², for the L2 norm. */
  sumSq: number;
}

/** Memoised features of one input object, with what they were computed from. */
interface RowFeatures {
  text: string;
  goal: string | undefined;
  candidatesRef: readonly string[];
  candidateCount: number;
  historyRef: readonly HistoryStep[] | undefined;
  historyLength: number;
  lastStep: HistoryStep | undefined;
  context: CountVector[][];
  candidates: CountVector[];
  pair: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a, 32-bit, over the UTF-16 code units of `text` (low byte then high byte).
 * `seed` continues a previous hash, so `fnv1a32(b, fnv1a32(a)) === fnv1a32(a + b)`.
 */
export function fnv1a32(text: string, seed: number = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ (c & 0xff), FNV_PRIME);
    if (c > 0xff) h = Math.imul(h ^ (c >>> 8), FNV_PRIME);
  }
  return h >>> 0;
}

/** FNV-1a of text.slice(start, end), without allocating the slice. */
function fnv1a32Range(text: string, start: number, end: number, seed: number): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ (c & 0xff), FNV_PRIME);
    if (c > 0xff) h = Math.imul(h ^ (c >>> 8), FNV_PRIME);
  }
  return h >>> 0;
}


/** What goal words become in goal-masked text (a word no text contains). */
const GOAL_PLACEHOLDER = 'qqgoalqq';
/** Words too common to mark as goal words. */
const STOP_WORDS = new Set(['a', 'an', 'the', 'some', 'it', 'in', 'on', 'to', 'and', 'of', 'with', 'from', 'your', 'is', 'task', 'put', 'then', 'two', 'by', 'for', 'at', 'up', 'look']);


/** A size-capped memo (cleared when full; hits dominate because texts repeat across steps). */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly cap: number) {}
  get(key: string, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= this.cap) this.map.clear();
      v = make();
      this.map.set(key, v);
    }
    return v;
  }
  clear(): void {
    this.map.clear();
  }
}

export class Featurizer {
  readonly config: Readonly<FeaturizerConfig>;
  private readonly tokenMemo = new Memo<string[]>(100_000);
  private readonly countMemos = new Map<string, Memo<CountVector>>();
  private readonly setMemo = new Memo<Set<string>>(20_000);
  /** Per input object: its fields' features (rows are featurised again for logp_old, ref, each epoch). */
  private readonly rowMemo = new WeakMap<object, RowFeatures>();

  constructor(config: Partial<FeaturizerConfig> = {}) {
    const c = { ...DEFAULT_FEATURIZER_CONFIG, ...config };
    const issues: string[] = [];
    if (!Number.isInteger(c.dim) || c.dim < 16 || c.dim > 1 << 22) issues.push(`dim must be an integer in [16, 4194304], got ${c.dim}`);
    if (!Number.isInteger(c.historyLength) || c.historyLength < 0) issues.push(`historyLength must be a non-negative integer, got ${c.historyLength}`);
    if (c.memory !== 'bag' && c.memory !== 'window') issues.push(`memory must be 'bag' or 'window', got ${String(c.memory)}`);
    if (!Number.isInteger(c.recentSteps) || c.recentSteps < 0) issues.push(`recentSteps must be a non-negative integer, got ${c.recentSteps}`);
    if (!Number.isInteger(c.maxTokens) || c.maxTokens < 1) issues.push(`maxTokens must be a positive integer, got ${c.maxTokens}`);
    if (issues.length > 0) throw new PolicyError('POLICY_CONFIG_INVALID', `Invalid featurizer config: ${issues.join('; ')}.`);
    this.config = Object.freeze(c);
  }

  /** Context fields per session: goal, observation, one per recent step, (bag) two memory fields. */
  get fields(): number {
    return this.config.memory === 'bag' ? 2 + this.recentFields + 2 : 2 + this.config.historyLength;
  }

  /** Dense pair features per candidate. */
  get pairFeatureCount(): number {
    return pairFeatureNames(this.config.memory).length;
  }

  /** Steps that get a field of their own. */
  private get recentFields(): number {
    return this.config.memory === 'bag' ? Math.min(this.config.recentSteps, this.config.historyLength) : this.config.historyLength;
  }

  /** The steps the policy sees: the last `historyLength` of the input's history, oldest first. */
  private seen(input: PolicyInput): readonly HistoryStep[] {
    const history = input.history ?? [];
    const k = this.config.historyLength;
    return history.length <= k ? history : history.slice(history.length - k);
  }

  tokens(text: string): string[] {
    return this.tokenMemo.get(text, () => tokenize(text, this.config.maxTokens));
  }

  /** Hashed counts of one text in one namespace (memoised). */
  private counts(namespace: string, text: string, charTrigrams: boolean): CountVector {
    const key = charTrigrams ? `${namespace}+c3` : namespace;
    let memo = this.countMemos.get(key);
    if (memo === undefined) {
      memo = new Memo<CountVector>(50_000);
      this.countMemos.set(key, memo);
    }
    return memo.get(text, () => this.hashText(namespace, text, charTrigrams));
  }

  private hashText(namespace: string, text: string, charTrigrams: boolean): CountVector {
    const dim = this.config.dim;
    const ns = fnv1a32(namespace);
    const uni = fnv1a32('\u0001', ns);
    const bi = fnv1a32('\u0002', ns);
    const tri = fnv1a32('\u0003', ns);
    const ids: number[] = [];
    const toks = this.tokens(text);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as string;
      ids.push(fnv1a32(t, uni) % dim);
      // Chained hashing: fnv1a32(b, fnv1a32(' ', fnv1a32(a, s))) === fnv1a32(`${a} ${b}`, s).
      if (this.config.bigrams && i + 1 < toks.length) ids.push(fnv1a32(toks[i + 1] as string, fnv1a32(' ', fnv1a32(t, bi))) % dim);
      if (charTrigrams && t.length > 2) {
        const padded = `#${t}#`;
        for (let j = 0; j + 3 <= padded.length; j++) ids.push(fnv1a32Range(padded, j, j + 3, tri) % dim);
      }
    }
    return withSumSq(Int32Array.from(ids).sort());
  }

  /** `text` with every word of `goal` (except stop words) replaced by one placeholder word. */
  goalMasked(text: string, goal: string): string {
    const goalWords = this.wordSet(goal);
    return this.tokens(text)
      .map((w) => (goalWords.has(w) && !STOP_WORDS.has(w) ? GOAL_PLACEHOLDER : w))
      .join(' ');
  }

  /** What `text` says about `numbers`, within this featurizer's word budget ({@link entityLines}). */
  entityContext(text: string, numbers: ReadonlySet<string>): string {
    return entityLines(text, numbers, this.config.maxTokens);
  }

  /**
   * A candidate's features: its words, (goalMatch) its goal-masked words, and (entityContext) what
   * the observation says about the numbers it names, the last two in namespaces of their own.
   */
  private candidateCounts(candidate: string, goal: string | undefined, observation: string): CountVector {
    const trig = this.config.actionCharTrigrams;
    const parts = [this.counts('act', candidate, trig)];
    if (this.config.goalMatch && goal !== undefined) parts.push(this.counts('act_g', this.goalMasked(candidate, goal), false));
    if (this.config.entityContext) {
      const numbers = new Set(this.tokens(candidate).filter(isNumberWord));
      if (numbers.size > 0) parts.push(this.counts('act_e', this.entityContext(observation, numbers), false));
    }
    if (parts.length === 1) return parts[0] as CountVector;
    const expanded = new Int32Array(parts.reduce((n, p) => n + p.expanded.length, 0));
    let k = 0;
    for (const p of parts) {
      expanded.set(p.expanded, k);
      k += p.expanded.length;
    }
    return withSumSq(expanded.sort());
  }

  private wordSet(text: string): Set<string> {
    return this.setMemo.get(text, () => new Set(this.tokens(text)));
  }

  /** The F context fields of one input, as count vectors (normalised later, per field). */
  private contextFields(input: PolicyInput): CountVector[][] {
    const trig = this.config.contextCharTrigrams;
    const fields: CountVector[][] = [
      [this.counts('goal', input.goal ?? '', trig)],
      this.config.goalMatch && input.goal !== undefined
        ? [this.counts('obs', input.text, trig), this.counts('obs_g', this.goalMasked(input.text, input.goal), trig)]
        : [this.counts('obs', input.text, trig)],
    ];
    const history = this.seen(input);
    for (let k = 1; k <= this.recentFields; k++) {
      const step = history[history.length - k];
      fields.push(
        step === undefined
          ? []
          : [this.counts(`h${k}o`, step.observation, trig), this.counts(`h${k}a`, step.action, trig)],
      );
    }
    if (this.config.memory === 'bag') {
      fields.push(history.map((step) => this.counts('mem_a', step.action, trig)));
      fields.push([this.observationMemory(history, trig)]);
    }
    return fields;
  }

  /** Every feature of the past observations, once each (the set, not the counts). */
  private observationMemory(history: readonly HistoryStep[], trig: boolean): CountVector {
    if (history.length === 0) return { expanded: new Int32Array(0), sumSq: 0 };
    const ids = new Set<number>();
    for (const step of history) for (const id of this.counts('mem_o', step.observation, trig).expanded) ids.add(id);
    const expanded = Int32Array.from(ids).sort();
    return { expanded, sumSq: expanded.length };
  }

  /** Dense pair features of one candidate (see {@link pairFeatureNames}). */
  pairFeatures(input: PolicyInput, candidate: string, out: Float32Array = new Float32Array(this.pairFeatureCount), offset = 0): Float32Array {
    return this.pairFeaturesWith(input, candidate, out, offset, this.config.memory === 'bag' ? this.memoryWords(this.seen(input)) : null);
  }

  /** Words of all the past observations (for `seen_in_memory`). */
  private memoryWords(history: readonly HistoryStep[]): Set<string> {
    const words = new Set<string>();
    for (const step of history) for (const w of this.wordSet(step.observation)) words.add(w);
    return words;
  }

  private pairFeaturesWith(input: PolicyInput, candidate: string, out: Float32Array, offset: number, memoryWords: Set<string> | null): Float32Array {
    const words = this.tokens(candidate);
    const goal = this.wordSet(input.goal ?? '');
    const obs = this.wordSet(input.text);
    let inGoal = 0;
    let inObs = 0;
    for (const w of words) {
      if (goal.has(w)) inGoal++;
      if (obs.has(w)) inObs++;
    }
    const n = Math.max(1, words.length);
    const history = this.seen(input);
    const last = history[history.length - 1];
    let recent = 0;
    for (let k = 1; k <= Math.max(1, this.recentFields); k++) {
      if (history[history.length - k]?.action === candidate) recent = 1;
    }
    out[offset] = inGoal / n;
    out[offset + 1] = inObs / n;
    out[offset + 2] = last !== undefined && last.action === candidate ? 1 : 0;
    out[offset + 3] = recent;
    out[offset + 4] = Math.min(words.length, 20) / 10;
    if (memoryWords !== null) {
      let times = 0;
      let age = 0;
      for (let k = history.length - 1; k >= 0; k--) {
        if ((history[k] as HistoryStep).action !== candidate) continue;
        times++;
        if (age === 0) age = history.length - k;
      }
      let seen = 0;
      for (const w of words) if (memoryWords.has(w)) seen++;
      out[offset + 5] = Math.min(times, 4) / 4;
      out[offset + 6] = age === 0 ? 0 : 1 / age;
      out[offset + 7] = seen / n;
    }
    return out;
  }

  /** Features of B decisions, as one batch. Throws POLICY_INPUT_INVALID for a session without candidates. */
  featurizeBatch(inputs: readonly PolicyInput[]): FeatureBatch {
    const B = inputs.length;
    const F = this.fields;
    const P = this.pairFeatureCount;
    const candidateOffsets = new Int32Array(B + 1);
    for (let b = 0; b < B; b++) {
      const n = (inputs[b] as PolicyInput).candidates.length;
      if (n === 0) {
        throw new PolicyError(
          'POLICY_INPUT_INVALID',
          `Session ${b} has no candidate actions: the policy chooses among candidates, so propose at least one.`,
          { session: b },
        );
      }
      candidateOffsets[b + 1] = (candidateOffsets[b] as number) + n;
    }
    const N = candidateOffsets[B] as number;
    let maxCandidates = 0;
    for (let b = 0; b < B; b++) maxCandidates = Math.max(maxCandidates, (inputs[b] as PolicyInput).candidates.length);

    const ctxParts: CountVector[][] = [];
    const candParts: CountVector[][] = [];
    const pair = new Float32Array(N * P);
    for (let b = 0; b < B; b++) {
      const row = this.rowFeatures(inputs[b] as PolicyInput);
      for (const f of row.context) ctxParts.push(f);
      for (const c of row.candidates) candParts.push([c]);
      pair.set(row.pair, (candidateOffsets[b] as number) * P);
    }
    return {
      sessions: B,
      fields: F,
      pairFeatures: P,
      dim: this.config.dim,
      context: packRows(ctxParts),
      candidates: packRows(candParts),
      candidateOffsets,
      pair,
      maxCandidates,
    };
  }

  /** The features of one input, memoised per input object while its fields are unchanged. */
  private rowFeatures(input: PolicyInput): RowFeatures {
    const hit = this.rowMemo.get(input);
    const history = input.history;
    if (
      hit !== undefined &&
      hit.text === input.text &&
      hit.goal === input.goal &&
      hit.candidatesRef === input.candidates &&
      hit.candidateCount === input.candidates.length &&
      hit.historyRef === history &&
      hit.historyLength === (history?.length ?? 0) &&
      hit.lastStep === history?.[history.length - 1]
    ) {
      return hit;
    }
    const P = this.pairFeatureCount;
    const pair = new Float32Array(input.candidates.length * P);
    const memoryWords = this.config.memory === 'bag' ? this.memoryWords(this.seen(input)) : null;
    input.candidates.forEach((c, j) => this.pairFeaturesWith(input, c, pair, j * P, memoryWords));
    const row: RowFeatures = {
      text: input.text,
      goal: input.goal,
      candidatesRef: input.candidates,
      candidateCount: input.candidates.length,
      historyRef: history,
      historyLength: history?.length ?? 0,
      lastStep: history?.[history.length - 1],
      context: this.contextFields(input),
      candidates: input.candidates.map((c) => this.candidateCounts(c, input.goal, input.text)),
      pair,
    };
    this.rowMemo.set(input, row);
    return row;
  }

  /** Drops the memoised tokens and counts. */
  clearCache(): void {
    this.tokenMemo.clear();
    this.countMemos.clear();
    this.setMemo.clear();
  }
}

/** A count vector of sorted feature ids (repeats = counts), with its Σ count². */
function withSumSq(expanded: Int32Array): CountVector {
  let sumSq = 0;
  for (let k = 0; k < expanded.length; ) {
    let run = 1;
    while (k + run < expanded.length && expanded[k + run] === expanded[k]) run++;
    sumSq += run * run;
    k += run;
  }
  return { expanded, sumSq };
}

/**
 * Concatenates each row's parts; every entry of a row gets the weight 1/‖counts‖₂ (counted over
 * all its parts together), so the row is L2-normalised and each row's weights are uniform (what the
 * native embedding bag needs).
 */
function packRows(rows: CountVector[][]): SparseRows {
  let nnz = 0;
  for (const parts of rows) for (const p of parts) nnz += p.expanded.length;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const start = k;
    const parts = rows[r] as CountVector[];
    for (const p of parts) {
      indices.set(p.expanded, k);
      k += p.expanded.length;
    }
    // One part: its own Σ count². Several: the same id may come from two parts, so count again.
    const sq = parts.length === 1 ? (parts[0] as CountVector).sumSq : withSumSq(indices.slice(start, k).sort()).sumSq;
    if (sq > 0) values.fill(1 / Math.sqrt(sq), start, k);
    indptr[r + 1] = k;
  }
  return { rows: rows.length, indptr, indices, values };
}

/** Expands CSR rows into a dense row-major rows x dim matrix. */
export function toDense(rows: SparseRows, dim: number): Float32Array {
  const out = new Float32Array(rows.rows * dim);
  for (let r = 0; r < rows.rows; r++) {
    for (let k = rows.indptr[r] as number; k < (rows.indptr[r + 1] as number); k++) {
      out[r * dim + (rows.indices[k] as number)] += rows.values[k] as number;
    }
  }
  return out;
}

/** Builds the policy input of one session from an env observation and its history. */
export function policyInputFromObservation(
  observation: { text: string; actions: readonly string[]; goal?: string },
  history: readonly HistoryStep[] = [],
  candidates: readonly string[] = observation.actions,
): PolicyInput {
  const input: PolicyInput = { text: observation.text, history, candidates };
  if (observation.goal !== undefined) input.goal = observation.goal;
  return input;
}
