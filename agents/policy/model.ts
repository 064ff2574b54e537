/**
 * The action scorer: a tfjs model that scores each candidate action of a session given its
 * context (goal, current observation, short history), and a softmax over each session's
 * candidates.
 *
 * Architecture (B sessions, F context fields — goal, observation, 2 recent steps and 2 memory
 * fields in the default `bag` layout, see featurizer.ts —, P pair features, N candidates in all,
 * K = most candidates of a session; defaults H = 64, M = 64, dim = 4096, F = 6, P = 8):
 *
 * ```
 * context:   bag(ctx/embedding, field features)                    [B·F, H] → reshape [B, F·H]
 *            z = tanh(· + ctx/field_bias);  c = tanh(z · ctx/dense/kernel + ctx/dense/bias)   [B, H]
 * candidate: a = relu(bag(act/embedding, features) + act/bias)                            [N, H]
 * score:     u = relu(rows(c·Wc) + a·Wa + (rows(c) ⊙ a)·Wx + score/bias)                     [N, M]
 *            logit = u · score/out_kernel + pair · score/pair_kernel                       [N, 1]
 * softmax:   logits scattered into a padded [B, K] matrix (padding gets -1e9),
 *            divided by the temperature, log-softmax per session.
 * ```
 *
 * `bag` is a sparse embedding lookup and `rows(x)` repeats each session's row for its candidates;
 * both run on the native `SparseSegmentSum` kernel with custom gradients (agents/policy/sparse-ops.ts),
 * so the cost grows with the non-zeros, not with the hashed dim, and no op without a wasm kernel or
 * gradient is used (wasm's `gather` is slow and its gradient needs the `UnsortedSegmentSum` kernel,
 * which selectBackend registers for other callers). Dense layers use `matMulFast` (explicit
 * transposes in the gradient, which keeps wasm on XNNPACK). The output kernel starts near zero, so
 * the initial policy is close to uniform. One forward pass scores every live session's candidates.
 * @module
 */

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../envs/core/rng.js';
import { assertBackendSelected } from './backend.js';
import { PolicyError } from './errors.js';
import {
  DEFAULT_FEATURIZER_CONFIG,
  Featurizer,
  LEGACY_FEATURIZER_CONFIG,
  type FeatureBatch,
  type FeaturizerConfig,
  type PolicyInput,
} from './featurizer.js';
import { embeddingBag, gatherRows, matMulFast, segmentGatherSum, type SegmentSpec } from './sparse-ops.js';

/**
 * The scorer format this code writes. 1: the window featurizer (the last 2 steps); 2: the memory
 * featurizer (`memory: 'bag'`). A config without `version` is format 1 ({@link upgradeScorerConfig}).
 */
export const SCORER_FORMAT_VERSION = 2;

export interface ScorerConfig {
  /** The format the config (and a checkpoint holding it) was written in. */
  version: number;
  featurizer: FeaturizerConfig;
  /** H: embedding and encoder width. */
  hidden: number;
  /** M: width of the scoring MLP. */
  mlpHidden: number;
  /** Seeds the initial weights (the same seed gives the same weights on every backend). */
  seed: number;
}

export interface ScorerConfigInput {
  version?: number;
  featurizer?: Partial<FeaturizerConfig>;
  hidden?: number;
  mlpHidden?: number;
  seed?: number;
}

export const DEFAULT_SCORER_CONFIG: Readonly<ScorerConfig> = {
  version: SCORER_FORMAT_VERSION,
  featurizer: DEFAULT_FEATURIZER_CONFIG,
  hidden: 64,
  mlpHidden: 64,
  seed: 0,
};

/** A training row: a decision and the index of the candidate that was taken. */
export interface PolicyRow extends PolicyInput {
  chosen: number;
}

/** Featurised inputs plus the index arrays the graph needs; plain JS, no tensors. */
export interface EncodedBatch {
  features: FeatureBatch;
  /** N: session of each candidate. */
  candidateRow: Int32Array;
  /** Scatters the N flat logits into the padded B x K matrix (padding slots get no entry, so 0). */
  padSpec: SegmentSpec;
  /** B x K: 0 for a real candidate, -1e9 for padding. */
  maskBias: Float32Array;
  /** B: the chosen candidate of each row, when encoding PolicyRows. */
  chosen?: Int32Array;
}

/** The policy's distribution over a minibatch, as tensors (inside a gradient closure or a tidy). */
export interface PolicyTensors {
  /** [N] raw logits of all candidates, session by session (before temperature). */
  flatLogits: tf.Tensor1D;
  /** [B, K] log-probabilities; padding slots are ~-1e9. */
  logProbs: tf.Tensor2D;
  /** [B, K] 1 for real candidates, 0 for padding. */
  mask: tf.Tensor2D;
  /** [B] entropy of each row's distribution (nats). */
  entropy: tf.Tensor1D;
  /** [B] log-probability of the chosen candidate (present when the batch has `chosen`). */
  logp?: tf.Tensor1D;
}

export interface ActOptions {
  /** Softmax temperature (default 1). The returned logp and probs are at this temperature. */
  temperature?: number;
  /** Take the most likely candidate instead of sampling. */
  greedy?: boolean;
  /** Required when sampling: the run's seeded RNG (never Math.random). */
  rng?: Rng;
}

export interface ActResult {
  index: number;
  action: string;
  /** log π(action) at the temperature used. */
  logp: number;
  /** The distribution over this session's candidates (sums to 1). */
  probs: Float64Array;
  entropy: number;
}

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface NamedVariable {
  /** Logical name, stable across instances ("ctx/embedding"). */
  name: string;
  variable: tf.Variable;
}

const MASK_VALUE = -1e9;
let instanceCounter = 0;

/**
 * A saved scorer config as this code reads it: a format-1 config (no `version`, written before the
 * memory featurizer) gets the window layout it was trained with; a newer format than this code
 * knows is refused.
 */
export function upgradeScorerConfig(saved: unknown): ScorerConfigInput {
  const c = (saved ?? {}) as ScorerConfigInput;
  const version = c.version ?? 1;
  if (!Number.isInteger(version) || version < 1 || version > SCORER_FORMAT_VERSION) {
    throw new PolicyError(
      'CHECKPOINT_INVALID',
      `The checkpoint's scorer format is ${String(c.version)}, but this ludus reads formats 1..${SCORER_FORMAT_VERSION}: it was written by a newer ludus. Upgrade ludus to load it.`,
    );
  }
  if (version >= 2) return c;
  return { ...c, version: SCORER_FORMAT_VERSION, featurizer: { ...LEGACY_FEATURIZER_CONFIG, ...(c.featurizer ?? {}) } };
}

function resolveConfig(input: ScorerConfigInput | ScorerConfig = {}): ScorerConfig {
  const c: ScorerConfig = {
    version: SCORER_FORMAT_VERSION,
    featurizer: { ...DEFAULT_FEATURIZER_CONFIG, ...(input.featurizer ?? {}) },
    hidden: input.hidden ?? DEFAULT_SCORER_CONFIG.hidden,
    mlpHidden: input.mlpHidden ?? DEFAULT_SCORER_CONFIG.mlpHidden,
    seed: input.seed ?? DEFAULT_SCORER_CONFIG.seed,
  };
  const issues: string[] = [];
  if (!Number.isInteger(c.hidden) || c.hidden < 1) issues.push(`hidden must be a positive integer, got ${c.hidden}`);
  if (!Number.isInteger(c.mlpHidden) || c.mlpHidden < 1) issues.push(`mlpHidden must be a positive integer, got ${c.mlpHidden}`);
  if (!Number.isFinite(c.seed)) issues.push(`seed must be a number, got ${c.seed}`);
  if (issues.length > 0) throw new PolicyError('POLICY_CONFIG_INVALID', `Invalid scorer config: ${issues.join('; ')}.`);
  return c;
}

/** The weight shapes, in the fixed order used everywhere (optimizer state, checkpoints). */
function weightShapes(c: ScorerConfig, fields: number, pairFeatures: number): [string, number[], 'embed' | 'glorot' | 'small' | 'zeros'][] {
  const D = c.featurizer.dim;
  const H = c.hidden;
  const M = c.mlpHidden;
  return [
    ['ctx/embedding', [D, H], 'embed'],
    ['ctx/field_bias', [fields * H], 'zeros'],
    ['ctx/dense/kernel', [fields * H, H], 'glorot'],
    ['ctx/dense/bias', [H], 'zeros'],
    ['act/embedding', [D, H], 'embed'],
    ['act/bias', [H], 'zeros'],
    ['score/ctx_kernel', [H, M], 'glorot'],
    ['score/act_kernel', [H, M], 'glorot'],
    ['score/cross_kernel', [H, M], 'glorot'],
    ['score/bias', [M], 'zeros'],
    ['score/out_kernel', [M, 1], 'small'],
    ['score/pair_kernel', [pairFeatures, 1], 'zeros'],
  ];
}

function initValues(shape: number[], kind: 'embed' | 'glorot' | 'small' | 'zeros', rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  if (kind === 'zeros') return out;
  let limit: number;
  if (kind === 'embed') limit = 0.5 * Math.sqrt(3); // std 0.5: a unit-norm bag gives pre-activations of std ~0.5
  else if (kind === 'small') limit = 0.01 * Math.sqrt(3); // a near-uniform initial policy
  else limit = Math.sqrt(6 / ((shape[0] as number) + (shape[1] as number)));
  for (let i = 0; i < size; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

export class ActionScorer {
  readonly config: Readonly<ScorerConfig>;
  readonly featurizer: Featurizer;
  /** Prefix of this instance's tf variable names (tf requires them unique). */
  readonly scope: string;
  private readonly vars: NamedVariable[];
  private readonly byName: Map<string, tf.Variable>;
  private disposed = false;

  private constructor(config: ScorerConfig, values: Map<string, tf.Tensor> | Rng, trainable: boolean) {
    this.config = Object.freeze({ ...config, featurizer: Object.freeze({ ...config.featurizer }) });
    this.featurizer = new Featurizer(config.featurizer);
    this.scope = `ludus_scorer_${++instanceCounter}`;
    this.vars = weightShapes(config, this.featurizer.fields, this.featurizer.pairFeatureCount).map(([name, shape, kind]) => {
      const initial =
        values instanceof Map
          ? (values.get(name) as tf.Tensor).clone()
          : tf.tensor(initValues(shape, kind, values), shape, 'float32');
      const variable = tf.variable(initial, trainable, `${this.scope}/${name}`, 'float32');
      initial.dispose();
      return { name, variable };
    });
    this.byName = new Map(this.vars.map((v) => [v.name, v.variable]));
  }

  /** A freshly initialised scorer. Call `selectBackend()` first. */
  static create(config: ScorerConfigInput | ScorerConfig = {}, options: { trainable?: boolean } = {}): ActionScorer {
    assertBackendSelected();
    const c = resolveConfig(config);
    return new ActionScorer(c, new Rng(`ludus-scorer-init:${c.seed}`), options.trainable ?? true);
  }

  /** A scorer with the given weights (logical names, as `getWeights()` returns them). */
  static fromWeights(config: ScorerConfigInput | ScorerConfig, weights: readonly NamedTensor[], options: { trainable?: boolean } = {}): ActionScorer {
    assertBackendSelected();
    const c = resolveConfig(config);
    const featurizer = new Featurizer(c.featurizer);
    const expected = weightShapes(c, featurizer.fields, featurizer.pairFeatureCount);
    const given = new Map(weights.map((w) => [w.name, w.tensor]));
    const issues: string[] = [];
    for (const [name, shape] of expected) {
      const t = given.get(name);
      if (t === undefined) issues.push(`missing weight '${name}'`);
      else if (t.shape.join('x') !== shape.join('x')) issues.push(`weight '${name}' has shape [${t.shape}], expected [${shape}]`);
    }
    if (issues.length > 0) {
      throw new PolicyError('CHECKPOINT_INVALID', `The weights do not fit this scorer config: ${issues.join('; ')}.`, { issues });
    }
    return new ActionScorer(c, given, options.trainable ?? true);
  }

  /** Trainable variables with their logical names, in a fixed order. */
  trainableVariables(): NamedVariable[] {
    this.checkAlive();
    return this.vars.filter((v) => v.variable.trainable);
  }

  /** Copies of the weights, with logical names. The caller disposes them. */
  getWeights(): NamedTensor[] {
    this.checkAlive();
    return this.vars.map((v) => ({ name: v.name, tensor: v.variable.clone() }));
  }

  /** Assigns weights by logical name (all must be present, with matching shapes). */
  setWeights(weights: readonly NamedTensor[]): void {
    this.checkAlive();
    const given = new Map(weights.map((w) => [w.name, w.tensor]));
    for (const v of this.vars) {
      const t = given.get(v.name);
      if (t === undefined || t.shape.join('x') !== v.variable.shape.join('x')) {
        throw new PolicyError('CHECKPOINT_INVALID', `Weight '${v.name}' is missing or has the wrong shape.`);
      }
    }
    for (const v of this.vars) v.variable.assign(given.get(v.name) as tf.Tensor);
  }

  /** A copy with the same weights; by default frozen (not trainable), e.g. the KL reference policy. */
  clone(options: { trainable?: boolean } = {}): ActionScorer {
    const weights = this.getWeights();
    try {
      return ActionScorer.fromWeights(this.config, weights, { trainable: options.trainable ?? false });
    } finally {
      for (const w of weights) w.tensor.dispose();
    }
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.vars.reduce((s, v) => s + v.variable.size, 0);
  }

  /** Featurises inputs (or rows) and builds the index arrays of one forward pass. */
  encode(inputs: readonly PolicyInput[] | readonly PolicyRow[]): EncodedBatch {
    const features = this.featurizer.featurizeBatch(inputs);
    const B = features.sessions;
    const K = features.maxCandidates;
    const N = features.candidates.rows;
    const off = features.candidateOffsets;
    const candidateRow = new Int32Array(N);
    const padIndex = new Int32Array(N);
    const padSlot = new Int32Array(N);
    const maskBias = new Float32Array(B * K).fill(MASK_VALUE);
    for (let b = 0; b < B; b++) {
      const start = off[b] as number;
      const n = (off[b + 1] as number) - start;
      for (let k = 0; k < n; k++) {
        candidateRow[start + k] = b;
        padIndex[start + k] = start + k;
        padSlot[start + k] = b * K + k;
        maskBias[b * K + k] = 0;
      }
    }
    const padSpec: SegmentSpec = { index: padIndex, segment: padSlot, numSegments: B * K };
    const enc: EncodedBatch = { features, candidateRow, padSpec, maskBias };
    if (inputs.length > 0 && 'chosen' in (inputs[0] as object)) {
      const chosen = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        const row = inputs[b] as PolicyRow;
        const n = row.candidates.length;
        if (!Number.isInteger(row.chosen) || row.chosen < 0 || row.chosen >= n) {
          throw new PolicyError(
            'POLICY_INPUT_INVALID',
            `Row ${b}: chosen must be an index into its ${n} candidates, got ${row.chosen}.`,
            { row: b, chosen: row.chosen },
          );
        }
        chosen[b] = row.chosen;
      }
      enc.chosen = chosen;
    }
    return enc;
  }

  /** Raw logits [N, 1] of all candidates (flat, session by session). */
  private candidateLogits(enc: EncodedBatch): tf.Tensor2D {
    const f = enc.features;
    const B = f.sessions;
    const H = this.config.hidden;
    const w = (name: string): tf.Variable => this.byName.get(name) as tf.Variable;
    const ctxBag = embeddingBag(w('ctx/embedding') as tf.Tensor2D, f.context).reshape([B, f.fields * H]) as tf.Tensor2D;
    const z = tf.tanh(tf.add(ctxBag, w('ctx/field_bias'))) as tf.Tensor2D;
    const c = tf.tanh(tf.add(matMulFast(z, w('ctx/dense/kernel') as tf.Tensor2D), w('ctx/dense/bias'))) as tf.Tensor2D;
    const a = tf.relu(tf.add(embeddingBag(w('act/embedding') as tf.Tensor2D, f.candidates), w('act/bias'))) as tf.Tensor2D;
    const cProj = gatherRows(matMulFast(c, w('score/ctx_kernel') as tf.Tensor2D), enc.candidateRow);
    const cRow = gatherRows(c, enc.candidateRow);
    const pre = tf.add(
      tf.add(tf.add(cProj, matMulFast(a, w('score/act_kernel') as tf.Tensor2D)), matMulFast(tf.mul(cRow, a), w('score/cross_kernel') as tf.Tensor2D)),
      w('score/bias'),
    );
    const u = tf.relu(pre) as tf.Tensor2D;
    const pair = tf.tensor2d(f.pair, [f.candidates.rows, f.pairFeatures]);
    return tf.add(matMulFast(u, w('score/out_kernel') as tf.Tensor2D), matMulFast(pair, w('score/pair_kernel') as tf.Tensor2D));
  }

  /**
   * The distribution over each session's candidates, as tensors. Use it inside a
   * `tf.variableGrads` / optimizer closure to build losses, or inside `tf.tidy`.
   */
  forward(enc: EncodedBatch, options: { temperature?: number } = {}): PolicyTensors {
    this.checkAlive();
    if (enc.features.dim !== this.config.featurizer.dim || enc.features.fields !== this.featurizer.fields || enc.features.pairFeatures !== this.featurizer.pairFeatureCount) {
      throw new PolicyError(
        'POLICY_INPUT_INVALID',
        `This batch was encoded for dim ${enc.features.dim} with ${enc.features.fields} context fields, but the scorer has ` +
          `dim ${this.config.featurizer.dim} and ${this.featurizer.fields}: encode it with a scorer of the same featurizer config.`,
      );
    }
    const temperature = checkTemperature(options.temperature ?? 1);
    const B = enc.features.sessions;
    const K = enc.features.maxCandidates;
    const flat = this.candidateLogits(enc);
    let logits = segmentGatherSum(flat, enc.padSpec).reshape([B, K]) as tf.Tensor2D;
    if (temperature !== 1) logits = tf.div(logits, temperature);
    const maskBias = tf.tensor2d(enc.maskBias, [B, K]);
    const logProbs = tf.logSoftmax(tf.add(logits, maskBias)) as tf.Tensor2D;
    const mask = tf.cast(tf.equal(maskBias, 0), 'float32') as tf.Tensor2D;
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logProbs), logProbs), 1)) as tf.Tensor1D;
    const out: PolicyTensors = { flatLogits: flat.reshape([-1]) as tf.Tensor1D, logProbs, mask, entropy };
    if (enc.chosen !== undefined) {
      const oneHot = new Float32Array(B * K);
      for (let b = 0; b < B; b++) oneHot[b * K + (enc.chosen[b] as number)] = 1;
      out.logp = tf.sum(tf.mul(logProbs, tf.tensor2d(oneHot, [B, K])), 1) as tf.Tensor1D;
    }
    return out;
  }

  /**
   * For the trainer's update: log π(chosen), the full distribution and the entropy of a
   * minibatch of rows, as tensors that carry gradients (call inside the optimizer closure).
   */
  logProbsInGraph(rows: readonly PolicyRow[] | EncodedBatch, options: { temperature?: number } = {}): PolicyTensors & { logp: tf.Tensor1D } {
    const enc = isEncoded(rows) ? rows : this.encode(rows);
    if (enc.chosen === undefined) {
      throw new PolicyError('POLICY_INPUT_INVALID', 'logProbsInGraph needs rows with `chosen` (PolicyRow).');
    }
    return this.forward(enc, options) as PolicyTensors & { logp: tf.Tensor1D };
  }

  /** Raw logits and probabilities per session (one forward pass). */
  scoreBatch(inputs: readonly PolicyInput[], options: { temperature?: number } = {}): { logits: Float64Array[]; probs: Float64Array[] } {
    this.checkAlive();
    if (inputs.length === 0) return { logits: [], probs: [] };
    const enc = this.encode(inputs);
    const [flat, lp] = readInTidy(() => {
      const out = this.forward(enc, options);
      return [out.flatLogits, out.logProbs];
    });
    const off = enc.features.candidateOffsets;
    const K = enc.features.maxCandidates;
    const logits: Float64Array[] = [];
    const probs: Float64Array[] = [];
    for (let b = 0; b < inputs.length; b++) {
      const start = off[b] as number;
      const n = (off[b + 1] as number) - start;
      logits.push(Float64Array.from(flat.subarray(start, start + n)));
      probs.push(normalisedProbs(lp, b * K, n));
    }
    return { logits, probs };
  }

  /** Chooses one candidate per session: one forward pass for the whole batch. */
  act(inputs: readonly PolicyInput[], options: ActOptions = {}): ActResult[] {
    this.checkAlive();
    if (inputs.length === 0) return [];
    const greedy = options.greedy ?? false;
    if (!greedy && options.rng === undefined) {
      throw new PolicyError('POLICY_INPUT_INVALID', 'act() samples with the run\'s seeded Rng: pass { rng } (or { greedy: true }).');
    }
    const enc = this.encode(inputs);
    const [lp, ent] = readInTidy(() => {
      const out = this.forward(enc, { temperature: options.temperature ?? 1 });
      return [out.logProbs, out.entropy];
    });
    const K = enc.features.maxCandidates;
    return inputs.map((input, b) => {
      const n = input.candidates.length;
      const probs = normalisedProbs(lp, b * K, n);
      let index = 0;
      if (greedy) {
        for (let k = 1; k < n; k++) if ((lp[b * K + k] as number) > (lp[b * K + index] as number)) index = k;
      } else {
        const u = (options.rng as Rng).next();
        let acc = 0;
        index = n - 1;
        for (let k = 0; k < n; k++) {
          acc += probs[k] as number;
          if (u < acc) {
            index = k;
            break;
          }
        }
      }
      return { index, action: input.candidates[index] as string, logp: lp[b * K + index] as number, probs, entropy: ent[b] as number };
    });
  }

  /**
   * log π(chosen), the full distributions and entropies of many rows, without gradients,
   * in chunks of `batchSize` rows.
   */
  policyLogProbs(
    rows: readonly PolicyRow[],
    options: { temperature?: number; batchSize?: number } = {},
  ): { logp: Float64Array; logProbs: Float64Array[]; entropy: Float64Array } {
    this.checkAlive();
    const batchSize = options.batchSize ?? 1024;
    const logp = new Float64Array(rows.length);
    const entropy = new Float64Array(rows.length);
    const logProbs: Float64Array[] = [];
    for (let s = 0; s < rows.length; s += batchSize) {
      const chunk = rows.slice(s, s + batchSize);
      const enc = this.encode(chunk);
      const [lpc, lpAll, ent] = readInTidy(() => {
        const out = this.logProbsInGraph(enc, options);
        return [out.logp, out.logProbs, out.entropy];
      });
      const K = enc.features.maxCandidates;
      for (let b = 0; b < chunk.length; b++) {
        logp[s + b] = lpc[b] as number;
        entropy[s + b] = ent[b] as number;
        logProbs.push(Float64Array.from(lpAll.subarray(b * K, b * K + (chunk[b] as PolicyRow).candidates.length)));
      }
    }
    return { logp, logProbs, entropy };
  }

  dispose(): void {
    if (this.disposed) return;
    for (const v of this.vars) v.variable.dispose();
    this.disposed = true;
  }

  private checkAlive(): void {
    if (this.disposed) throw new PolicyError('POLICY_INPUT_INVALID', 'This ActionScorer was disposed.');
  }
}

/**
 * Runs `f` in a tidy and reads the tensors it returns. (Never return a TypedArray from tf.tidy:
 * tidy walks its result element by element looking for tensors, ~1 µs per element.)
 */
function readInTidy(f: () => tf.Tensor[]): Float32Array[] {
  let out: Float32Array[] = [];
  tf.tidy(() => {
    out = f().map((t) => t.dataSync() as Float32Array);
  });
  return out;
}

function isEncoded(x: readonly PolicyRow[] | EncodedBatch): x is EncodedBatch {
  return !Array.isArray(x);
}

function checkTemperature(t: number): number {
  if (!(t > 0) || !Number.isFinite(t)) {
    throw new PolicyError('POLICY_CONFIG_INVALID', `temperature must be a positive number, got ${t}.`);
  }
  return t;
}

/** exp of a session's log-probs, renormalised in float64 so they sum to 1. */
function normalisedProbs(logProbs: Float32Array, start: number, n: number): Float64Array {
  const p = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    p[k] = Math.exp(logProbs[start + k] as number);
    sum += p[k] as number;
  }
  for (let k = 0; k < n; k++) p[k] = (p[k] as number) / sum;
  return p;
}
