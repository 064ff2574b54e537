/**
 * A small decoder-only transformer in tfjs (config: agents/lm/config.ts).
 *
 * ```
 * x = E[ids]                                                   token embedding E [V, d]
 * per layer:  x = x + W_o · attn(rms(x)·g₁)                    causal multi-head self-attention,
 *             x = x + W₂ · silu(W₁ · rms(x)·g₂)                pre-norm (RMSNorm), no biases
 * logits = rms(x)·g_f · Eᵀ                                     the output projection tied to E
 * attn:       softmax(q·kᵀ/√d_h + bias) · v, bias = ALiBi + causal mask (attention-bias.ts)
 * ```
 *
 * Three ways in, all the same math:
 * - `tokenLogProbs(batch)`: whole sequences at once (training, π_old, π_ref), log-probs and
 *   entropies of the next token at chosen positions only (the output projection is the largest
 *   product, and only action tokens are trained on);
 * - `extend(cache, ids)`: new tokens after a KV cache (prefill of a prompt, or one decoding step
 *   of several sequences together), returning the next-token logits and the longer cache;
 * - `forwardLogits(ids)`: every position's logits (tests).
 * Every product is a 2-D `matMul2d` (agents/lm/ops.ts), attention head by head, so wasm stays on
 * XNNPACK; decoding several rows at once uses the batched kernel. The embedding lookup is the SparseSegmentSum gather of the scorer
 * (agents/policy/sparse-ops.ts), whose gradient needs no kernel wasm lacks.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../envs/core/rng.js';
import { assertBackendSelected } from '../policy/backend.js';
import type { NamedTensor, NamedVariable } from '../policy/model.js';
import { gatherRows } from '../policy/sparse-ops.js';
import { attentionBias } from './attention-bias.js';
import { parameterCount, resolveLmConfig, type LmConfig } from './config.js';
import { LmError } from './errors.js';
import { matMul2d, rmsNorm, silu } from './ops.js';
import { registerFastSliceKernels } from './wasm-kernels.js';

/** One layer's cached keys (transposed: [B, H, d_h, T]) and values ([B, H, T, d_h]). */
export interface LayerCache {
  kT: tf.Tensor4D;
  v: tf.Tensor4D;
}

/**
 * The keys and values of every token read so far, for B rows at once. Row b's tokens sit in the
 * last `length − pad[b]` slots (left padding), so rows of different lengths decode together.
 */
export interface KvCache {
  layers: LayerCache[];
  /** Slots per row. */
  length: number;
  /** Left padding slots of each row. */
  pad: Int32Array;
}

/** Whole sequences for one pass, each of its own length, and where next-token log-probs are wanted. */
export interface SequenceBatch {
  sequences: readonly {
    ids: Int32Array;
    /** Positions t of `ids`: the log-prob of ids[t + 1] given ids[0..t]. */
    positions: Int32Array;
  }[];
}

type InitKind = 'embed' | 'in' | 'out' | 'ones';

let instanceCounter = 0;

function weightShapes(c: LmConfig): [string, number[], InitKind][] {
  const d = c.dModel;
  const shapes: [string, number[], InitKind][] = [['embedding', [c.vocabSize, d], 'embed']];
  for (let l = 0; l < c.layers; l++) {
    shapes.push(
      [`layer${l}/attn_norm`, [d], 'ones'],
      [`layer${l}/qkv`, [d, 3 * d], 'in'],
      [`layer${l}/attn_out`, [d, d], 'out'],
      [`layer${l}/mlp_norm`, [d], 'ones'],
      [`layer${l}/mlp_in`, [d, c.dFf], 'in'],
      [`layer${l}/mlp_out`, [c.dFf, d], 'out'],
    );
  }
  shapes.push(['final_norm', [d], 'ones']);
  return shapes;
}

function initValues(shape: number[], kind: InitKind, layers: number, rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  if (kind === 'ones') return out.fill(1);
  const fanIn = shape[0] as number;
  const std = kind === 'embed' ? 0.02 : kind === 'in' ? 1 / Math.sqrt(fanIn) : 1 / Math.sqrt(fanIn) / Math.sqrt(2 * layers);
  const limit = std * Math.sqrt(3);
  for (let i = 0; i < size; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

export class TransformerLm {
  readonly config: Readonly<LmConfig>;
  readonly scope: string;
  private readonly vars: NamedVariable[];
  private readonly w: Map<string, tf.Variable>;
  private disposed = false;

  private constructor(config: LmConfig, values: Map<string, tf.Tensor> | Rng, trainable: boolean) {
    registerFastSliceKernels();
    this.config = Object.freeze({ ...config });
    this.scope = `ludus_lm_${++instanceCounter}`;
    this.vars = weightShapes(config).map(([name, shape, kind]) => {
      const initial = values instanceof Map ? (values.get(name) as tf.Tensor).clone() : tf.tensor(initValues(shape, kind, config.layers, values), shape, 'float32');
      const variable = tf.variable(initial, trainable, `${this.scope}/${name}`, 'float32');
      initial.dispose();
      return { name, variable };
    });
    this.w = new Map(this.vars.map((v) => [v.name, v.variable]));
  }

  /** A freshly initialised model. Call `selectBackend()` first. */
  static create(config: Partial<LmConfig> & { vocabSize: number }, options: { trainable?: boolean } = {}): TransformerLm {
    assertBackendSelected();
    const c = resolveLmConfig(config);
    return new TransformerLm(c, new Rng(`ludus-lm-init:${c.seed}`), options.trainable ?? true);
  }

  /** A model with the given weights (logical names); refuses missing or misshapen ones. */
  static fromWeights(config: Partial<LmConfig> & { vocabSize: number }, weights: readonly NamedTensor[], options: { trainable?: boolean } = {}): TransformerLm {
    assertBackendSelected();
    const c = resolveLmConfig(config);
    const given = new Map(weights.map((w) => [w.name, w.tensor]));
    const issues: string[] = [];
    for (const [name, shape] of weightShapes(c)) {
      const t = given.get(name);
      if (t === undefined) issues.push(`missing weight '${name}'`);
      else if (t.shape.join('x') !== shape.join('x')) issues.push(`weight '${name}' has shape [${t.shape}], expected [${shape}]`);
    }
    if (issues.length > 0) throw new LmError('LM_CHECKPOINT_INVALID', `The weights do not fit this model config: ${issues.join('; ')}.`, { issues });
    return new TransformerLm(c, given, options.trainable ?? true);
  }

  /** The weight names and shapes of a config, in the fixed order used everywhere. */
  static weightShapes(config: LmConfig): { name: string; shape: number[] }[] {
    return weightShapes(config).map(([name, shape]) => ({ name, shape }));
  }

  parameterCount(): number {
    return parameterCount(this.config);
  }

  trainableVariables(): NamedVariable[] {
    this.checkAlive();
    return this.vars.filter((v) => v.variable.trainable);
  }

  /** Copies of the weights with logical names; the caller disposes them. */
  getWeights(): NamedTensor[] {
    this.checkAlive();
    return this.vars.map((v) => ({ name: v.name, tensor: v.variable.clone() }));
  }

  setWeights(weights: readonly NamedTensor[]): void {
    this.checkAlive();
    const given = new Map(weights.map((w) => [w.name, w.tensor]));
    for (const v of this.vars) {
      const t = given.get(v.name);
      if (t === undefined || t.shape.join('x') !== v.variable.shape.join('x')) throw new LmError('LM_CHECKPOINT_INVALID', `Weight '${v.name}' is missing or has the wrong shape.`);
    }
    for (const v of this.vars) v.variable.assign(given.get(v.name) as tf.Tensor);
  }

  /** A copy with the same weights; frozen by default (the KL reference). */
  clone(options: { trainable?: boolean } = {}): TransformerLm {
    const weights = this.getWeights();
    try {
      return TransformerLm.fromWeights(this.config, weights, { trainable: options.trainable ?? false });
    } finally {
      for (const w of weights) w.tensor.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    for (const v of this.vars) v.variable.dispose();
    this.disposed = true;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private weight(name: string): tf.Variable {
    return this.w.get(name) as tf.Variable;
  }

  private checkAlive(): void {
    if (this.disposed) throw new LmError('LM_INPUT_INVALID', 'This TransformerLm was disposed.');
  }

  private checkIds(ids: ArrayLike<number>): void {
    const V = this.config.vocabSize;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new LmError('LM_INPUT_INVALID', `Token id ${id} is outside the model's vocabulary of ${V}.`);
    }
  }

  /**
   * The final hidden states [n, d] of `n` new tokens of ONE row after `past` (null: none), and
   * each layer's keys and values including them. Head by head, as 2-D products (see ops.ts).
   */
  private runRow(ids: Int32Array, past: KvCache | null): { x: tf.Tensor2D; layers: LayerCache[] } {
    const c = this.config;
    const d = c.dModel;
    const H = c.heads;
    const dh = d / H;
    const n = ids.length;
    const start = past?.length ?? 0;
    const keys = start + n;
    const scale = 1 / Math.sqrt(dh);
    const bias = tf.split(tf.tensor3d(attentionBias(H, start, n, [0]), [H, n, keys]), H, 0).map((b) => tf.reshape(b, [n, keys]) as tf.Tensor2D);
    let x = gatherRows(this.weight('embedding') as tf.Tensor2D, ids);
    const layers: LayerCache[] = [];
    for (let l = 0; l < c.layers; l++) {
      const h = rmsNorm(x, this.weight(`layer${l}/attn_norm`) as tf.Tensor1D, c.normEps);
      const parts = tf.split(matMul2d(h, this.weight(`layer${l}/qkv`) as tf.Tensor2D), 3 * H, 1) as tf.Tensor2D[];
      const cached = past?.layers[l];
      const pastK = cached === undefined ? null : (tf.split(tf.reshape(cached.kT, [H, dh, start]), H, 0) as tf.Tensor3D[]);
      const pastV = cached === undefined ? null : (tf.split(tf.reshape(cached.v, [H, start, dh]), H, 0) as tf.Tensor3D[]);
      const kTs: tf.Tensor2D[] = [];
      const vs: tf.Tensor2D[] = [];
      const outs: tf.Tensor2D[] = [];
      for (let hd = 0; hd < H; hd++) {
        const q = parts[hd] as tf.Tensor2D;
        let kT = tf.transpose(parts[H + hd] as tf.Tensor2D) as tf.Tensor2D;
        let v = parts[2 * H + hd] as tf.Tensor2D;
        if (pastK !== null && pastV !== null) {
          kT = tf.concat([tf.reshape(pastK[hd] as tf.Tensor3D, [dh, start]), kT], 1);
          v = tf.concat([tf.reshape(pastV[hd] as tf.Tensor3D, [start, dh]), v], 0);
        }
        kTs.push(kT);
        vs.push(v);
        const p = tf.softmax(tf.add(tf.mul(matMul2d(q, kT), scale), bias[hd] as tf.Tensor2D)) as tf.Tensor2D;
        outs.push(matMul2d(p, v));
      }
      layers.push({ kT: tf.reshape(tf.stack(kTs), [1, H, dh, keys]) as tf.Tensor4D, v: tf.reshape(tf.stack(vs), [1, H, keys, dh]) as tf.Tensor4D });
      x = tf.add(x, matMul2d(tf.concat(outs, 1), this.weight(`layer${l}/attn_out`) as tf.Tensor2D));
      x = this.mlp(l, x);
    }
    return { x: rmsNorm(x, this.weight('final_norm') as tf.Tensor1D, c.normEps), layers };
  }

  /**
   * The final hidden states [ΣT, d] of several whole sequences (no cache), one after the other:
   * the dense layers run once over all their tokens, attention sequence by sequence and head by
   * head (splits, whose gradient is a concat).
   */
  private runMany(seqs: readonly Int32Array[]): tf.Tensor2D {
    const c = this.config;
    const d = c.dModel;
    const H = c.heads;
    const dh = d / H;
    const scale = 1 / Math.sqrt(dh);
    const lens = seqs.map((q) => q.length);
    const all = new Int32Array(lens.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const q of seqs) {
      all.set(q, at);
      at += q.length;
    }
    const biases = new Map<number, tf.Tensor2D[]>();
    for (const T of new Set(lens)) biases.set(T, tf.split(tf.tensor3d(attentionBias(H, 0, T, [0]), [H, T, T]), H, 0).map((b) => tf.reshape(b, [T, T]) as tf.Tensor2D));
    let x = gatherRows(this.weight('embedding') as tf.Tensor2D, all);
    for (let l = 0; l < c.layers; l++) {
      const h = rmsNorm(x, this.weight(`layer${l}/attn_norm`) as tf.Tensor1D, c.normEps);
      const qkv = matMul2d(h, this.weight(`layer${l}/qkv`) as tf.Tensor2D);
      const perSeq = seqs.length === 1 ? [qkv] : (tf.split(qkv, lens, 0) as tf.Tensor2D[]);
      const merged = perSeq.map((part, s) => {
        const T = lens[s] as number;
        const bias = biases.get(T) as tf.Tensor2D[];
        const pieces = tf.split(part, 3 * H, 1) as tf.Tensor2D[];
        const outs: tf.Tensor2D[] = [];
        for (let hd = 0; hd < H; hd++) {
          const kT = tf.transpose(pieces[H + hd] as tf.Tensor2D) as tf.Tensor2D;
          const p = tf.softmax(tf.add(tf.mul(matMul2d(pieces[hd] as tf.Tensor2D, kT), scale), bias[hd] as tf.Tensor2D)) as tf.Tensor2D;
          outs.push(matMul2d(p, pieces[2 * H + hd] as tf.Tensor2D));
        }
        return tf.concat(outs, 1) as tf.Tensor2D;
      });
      const o = merged.length === 1 ? (merged[0] as tf.Tensor2D) : (tf.concat(merged, 0) as tf.Tensor2D);
      x = tf.add(x, matMul2d(o, this.weight(`layer${l}/attn_out`) as tf.Tensor2D));
      x = this.mlp(l, x);
    }
    return rmsNorm(x, this.weight('final_norm') as tf.Tensor1D, c.normEps);
  }

  /**
   * The final hidden states [rows, d] of ONE new token per row after a (left-padded) cache of
   * `rows` rows, and each layer's keys and values including it: decoding several sequences at
   * once, with the batched kernel (one query row per head: memory-bound, no slicing).
   */
  private runStep(ids: Int32Array, past: KvCache): { x: tf.Tensor2D; layers: LayerCache[] } {
    const c = this.config;
    const d = c.dModel;
    const H = c.heads;
    const dh = d / H;
    const rows = ids.length;
    const keys = past.length + 1;
    const scale = 1 / Math.sqrt(dh);
    const uniform = past.pad.every((p) => p === 0);
    const bias = tf.tensor4d(attentionBias(H, past.length, 1, uniform ? [0] : past.pad), [uniform ? 1 : rows, H, 1, keys]);
    let x = gatherRows(this.weight('embedding') as tf.Tensor2D, ids);
    const layers: LayerCache[] = [];
    for (let l = 0; l < c.layers; l++) {
      const h = rmsNorm(x, this.weight(`layer${l}/attn_norm`) as tf.Tensor1D, c.normEps);
      const [q, k, v] = tf.split(matMul2d(h, this.weight(`layer${l}/qkv`) as tf.Tensor2D), 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const cached = past.layers[l] as LayerCache;
      const kT = tf.concat([cached.kT, tf.reshape(k, [rows, H, dh, 1])], 3) as tf.Tensor4D;
      const vh = tf.concat([cached.v, tf.reshape(v, [rows, H, 1, dh])], 2) as tf.Tensor4D;
      layers.push({ kT, v: vh });
      const scores = tf.matMul(tf.reshape(q, [rows * H, 1, dh]), tf.reshape(kT, [rows * H, dh, keys]));
      const p = tf.softmax(tf.add(tf.mul(tf.reshape(scores, [rows, H, 1, keys]), scale), bias));
      const o = tf.matMul(tf.reshape(p, [rows * H, 1, keys]), tf.reshape(vh, [rows * H, keys, dh]));
      x = tf.add(x, matMul2d(tf.reshape(o, [rows, d]) as tf.Tensor2D, this.weight(`layer${l}/attn_out`) as tf.Tensor2D));
      x = this.mlp(l, x);
    }
    return { x: rmsNorm(x, this.weight('final_norm') as tf.Tensor1D, c.normEps), layers };
  }

  /**
   * One decoding pass that leaves the long cache alone: `stable` holds the prompts (it does not
   * change while they decode), `recent` the tokens written since (small; null before the first).
   * Scores over both are joined for the softmax, and the output is the sum of the two parts, so
   * no pass copies the long cache (appending a token to it would copy all of it, per layer).
   * Returns the next-token logits [rows, V] and the longer `recent` (the caller disposes the old).
   */
  decodeStep(stable: KvCache, recent: LayerCache[] | null, ids: readonly number[]): { logits: Float32Array; recent: LayerCache[] } {
    this.checkAlive();
    const c = this.config;
    const d = c.dModel;
    const H = c.heads;
    const dh = d / H;
    const rows = ids.length;
    if (stable.pad.length !== rows) throw new LmError('LM_INPUT_INVALID', `The cache holds ${stable.pad.length} rows but ${rows} were given.`);
    const flat = Int32Array.from(ids);
    this.checkIds(flat);
    const Ts = stable.length;
    const Tr = (recent?.[0]?.v.shape[2] ?? 0) + 1;
    this.checkLength(Ts + Tr, 'The cache and the new token');
    const scale = 1 / Math.sqrt(dh);
    const uniform = stable.pad.every((p) => p === 0);
    let logits: Float32Array = new Float32Array(0);
    let next: LayerCache[] = [];
    tf.tidy(() => {
      const bias = tf.tensor4d(attentionBias(H, Ts + Tr - 1, 1, uniform ? [0] : stable.pad), [uniform ? 1 : rows, H, 1, Ts + Tr]);
      let x = gatherRows(this.weight('embedding') as tf.Tensor2D, flat);
      const layers: LayerCache[] = [];
      for (let l = 0; l < c.layers; l++) {
        const h = rmsNorm(x, this.weight(`layer${l}/attn_norm`) as tf.Tensor1D, c.normEps);
        const [q, k, v] = tf.split(matMul2d(h, this.weight(`layer${l}/qkv`) as tf.Tensor2D), 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const old = recent?.[l];
        const kT = old === undefined ? (tf.reshape(k, [rows, H, dh, 1]) as tf.Tensor4D) : (tf.concat([old.kT, tf.reshape(k, [rows, H, dh, 1])], 3) as tf.Tensor4D);
        const vh = old === undefined ? (tf.reshape(v, [rows, H, 1, dh]) as tf.Tensor4D) : (tf.concat([old.v, tf.reshape(v, [rows, H, 1, dh])], 2) as tf.Tensor4D);
        layers.push({ kT, v: vh });
        const cached = stable.layers[l] as LayerCache;
        const qh = tf.reshape(q, [rows * H, 1, dh]);
        const scores = tf.concat([tf.matMul(qh, tf.reshape(cached.kT, [rows * H, dh, Ts])), tf.matMul(qh, tf.reshape(kT, [rows * H, dh, Tr]))], 2);
        const p = tf.reshape(tf.softmax(tf.add(tf.mul(tf.reshape(scores, [rows, H, 1, Ts + Tr]), scale), bias)), [rows * H, 1, Ts + Tr]);
        const [ps, pr] = tf.split(p, [Ts, Tr], 2);
        const o = tf.add(tf.matMul(ps as tf.Tensor3D, tf.reshape(cached.v, [rows * H, Ts, dh])), tf.matMul(pr as tf.Tensor3D, tf.reshape(vh, [rows * H, Tr, dh])));
        x = tf.add(x, matMul2d(tf.reshape(o, [rows, d]) as tf.Tensor2D, this.weight(`layer${l}/attn_out`) as tf.Tensor2D));
        x = this.mlp(l, x);
      }
      const out = rmsNorm(x, this.weight('final_norm') as tf.Tensor1D, c.normEps);
      logits = tf.matMul(out, this.weight('embedding'), false, true).dataSync() as Float32Array;
      next = layers.map((l) => ({ kT: tf.keep(l.kT), v: tf.keep(l.v) }));
    });
    return { logits, recent: next };
  }

  /** x + W₂ · silu(W₁ · rms(x)·g₂). */
  private mlp(l: number, x: tf.Tensor2D): tf.Tensor2D {
    const g = rmsNorm(x, this.weight(`layer${l}/mlp_norm`) as tf.Tensor1D, this.config.normEps);
    return tf.add(x, matMul2d(silu(matMul2d(g, this.weight(`layer${l}/mlp_in`) as tf.Tensor2D)), this.weight(`layer${l}/mlp_out`) as tf.Tensor2D));
  }

  /** Logits [M, V] of hidden rows [M, d] (the output projection tied to the embedding). */
  private logitsOf(h: tf.Tensor2D): tf.Tensor2D {
    return matMul2d(h, tf.transpose(this.weight('embedding')) as tf.Tensor2D);
  }

  private checkLength(tokens: number, what: string): void {
    if (tokens > this.config.context) {
      throw new LmError('LM_INPUT_INVALID', `${what} holds ${tokens} tokens, more than the model's context of ${this.config.context}: cut the prompt (the agent does, from the front) or raise lm.context.`);
    }
  }

  /**
   * log π(next token) at each sequence's `positions` (and the entropy of π there), concatenated
   * sequence by sequence, with gradient: call inside an optimizer closure or a tidy. At
   * `temperature` T the logits are divided by T.
   */
  tokenLogProbs(batch: SequenceBatch, options: { temperature?: number } = {}): { logp: tf.Tensor1D; entropy: tf.Tensor1D } {
    this.checkAlive();
    const V = this.config.vocabSize;
    const targets: number[] = [];
    const rows: number[] = [];
    const used: Int32Array[] = [];
    let offset = 0;
    for (const [s, seq] of batch.sequences.entries()) {
      const T = seq.ids.length;
      this.checkLength(T, `Sequence ${s}`);
      this.checkIds(seq.ids);
      if (seq.positions.length === 0) continue;
      for (const p of seq.positions) {
        if (!Number.isInteger(p) || p < 0 || p + 1 >= T) throw new LmError('LM_INPUT_INVALID', `Sequence ${s}: position ${p} has no next token in its ${T} tokens.`);
        targets.push(seq.ids[p + 1] as number);
        rows.push(offset + p);
      }
      used.push(seq.ids);
      offset += T;
    }
    const M = targets.length;
    if (M === 0) return { logp: tf.zeros([0]) as tf.Tensor1D, entropy: tf.zeros([0]) as tf.Tensor1D };
    let logits = this.logitsOf(gatherRows(this.runMany(used), Int32Array.from(rows)));
    const temperature = options.temperature ?? 1;
    if (temperature !== 1) logits = tf.div(logits, temperature);
    const lp = tf.logSoftmax(logits) as tf.Tensor2D;
    const flatTargets = Int32Array.from(targets, (t, m) => m * V + t);
    const logp = tf.reshape(gatherRows(tf.reshape(lp, [M * V, 1]) as tf.Tensor2D, flatTargets), [M]) as tf.Tensor1D;
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(lp), lp), 1)) as tf.Tensor1D;
    return { logp, entropy };
  }

  /** Every position's logits [T, V] of one sequence (no cache). */
  forwardLogits(ids: Int32Array): tf.Tensor2D {
    this.checkAlive();
    this.checkLength(ids.length, 'A sequence');
    this.checkIds(ids);
    return tf.tidy(() => this.logitsOf(this.runRow(ids, null).x));
  }

  /**
   * Reads `n` new tokens of each row after `past` (null: a fresh cache of `rows` rows, no padding)
   * and returns the logits that follow each row's last new token, [rows, V], with the extended
   * cache. The caller owns both and disposes `past` when it no longer needs it.
   */
  extend(past: KvCache | null, ids: readonly (readonly number[])[]): { logits: Float32Array; cache: KvCache } {
    this.checkAlive();
    const rows = ids.length;
    if (rows === 0) throw new LmError('LM_INPUT_INVALID', 'extend() needs at least one row.');
    const n = (ids[0] as readonly number[]).length;
    if (n === 0 || !ids.every((r) => r.length === n)) throw new LmError('LM_INPUT_INVALID', 'extend() takes the same number (≥ 1) of new tokens for every row.');
    if (past !== null && past.pad.length !== rows) throw new LmError('LM_INPUT_INVALID', `The cache holds ${past.pad.length} rows but ${rows} were given.`);
    const start = past?.length ?? 0;
    this.checkLength(start + n, 'The cache and the new tokens');
    const flat = Int32Array.from(ids.flat());
    this.checkIds(flat);
    const pad = past?.pad ?? new Int32Array(rows);
    if (rows > 1 && (n !== 1 || past === null)) throw new LmError('LM_INPUT_INVALID', 'extend() reads several rows only one token at a time after a cache (decoding); prefill each row alone.');
    let layers: LayerCache[] = [];
    let logits: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      // One token per row after a cache (decoding): the batched path, which needs far fewer ops.
      const out = n === 1 && past !== null ? this.runStep(flat, past) : this.runRow(flat, past);
      // No gradient here: a transposed product beats transposing the whole embedding for a few rows.
      const last = gatherRows(out.x, Int32Array.from({ length: rows }, (_, b) => (n === 1 ? b : n - 1)));
      logits = tf.matMul(last, this.weight('embedding'), false, true).dataSync() as Float32Array;
      layers = out.layers.map((l) => ({ kT: tf.keep(l.kT), v: tf.keep(l.v) }));
    });
    return { logits, cache: { layers, length: start + n, pad: Int32Array.from(pad) } };
  }
}

/** Releases a cache's tensors. */
export function disposeCache(cache: KvCache | null | undefined): void {
  if (!cache) return;
  for (const l of cache.layers) {
    l.kT.dispose();
    l.v.dispose();
  }
}

/** Rows of one cache each (length 1 − no padding) stacked into one, left-padded to the longest. */
export function mergeCaches(caches: readonly KvCache[]): KvCache {
  if (caches.length === 0) throw new LmError('LM_INPUT_INVALID', 'mergeCaches() needs at least one cache.');
  if (caches.some((c) => c.pad.length !== 1 || c.pad[0] !== 0)) throw new LmError('LM_INPUT_INVALID', 'mergeCaches() takes single-row caches without padding.');
  const length = Math.max(...caches.map((c) => c.length));
  const pad = Int32Array.from(caches, (c) => length - c.length);
  const layers = tf.tidy(() =>
    (caches[0] as KvCache).layers.map((_, l) => ({
      kT: tf.keep(tf.concat(caches.map((c, b) => (pad[b] === 0 ? c.layers[l]!.kT : tf.pad(c.layers[l]!.kT, [[0, 0], [0, 0], [0, 0], [pad[b] as number, 0]]))), 0)) as tf.Tensor4D,
      v: tf.keep(tf.concat(caches.map((c, b) => (pad[b] === 0 ? c.layers[l]!.v : tf.pad(c.layers[l]!.v, [[0, 0], [0, 0], [pad[b] as number, 0], [0, 0]]))), 0)) as tf.Tensor4D,
    })),
  );
  return { layers, length, pad };
}

/** Row b of a cache as a cache of its own, without its padding, keeping its first `keep[b]` tokens (default all). */
export function splitCache(cache: KvCache, keep?: ArrayLike<number>): KvCache[] {
  const rows = cache.pad.length;
  return Array.from({ length: rows }, (_, b) => {
    const pad = cache.pad[b] as number;
    const own = cache.length - pad;
    const tokens = Math.min(own, keep === undefined ? own : (keep[b] as number));
    const layers = tf.tidy(() =>
      cache.layers.map((l) => {
        const [, H, dh] = l.kT.shape;
        return {
          kT: tf.keep(tf.slice(l.kT, [b, 0, 0, pad], [1, H, dh, tokens])) as tf.Tensor4D,
          v: tf.keep(tf.slice(l.v, [b, 0, pad, 0], [1, H, tokens, dh])) as tf.Tensor4D,
        };
      }),
    );
    return { layers, length: tokens, pad: Int32Array.of(0) };
  });
}

/** `stable` followed by `recent` as one cache (new tensors; the caller still owns both parts). */
export function joinRecent(stable: KvCache, recent: readonly LayerCache[] | null): KvCache {
  if (recent === null || recent.length === 0) {
    return { layers: stable.layers.map((l) => ({ kT: l.kT.clone(), v: l.v.clone() })), length: stable.length, pad: Int32Array.from(stable.pad) };
  }
  const layers = tf.tidy(() =>
    stable.layers.map((l, i) => ({
      kT: tf.keep(tf.concat([l.kT, (recent[i] as LayerCache).kT], 3)) as tf.Tensor4D,
      v: tf.keep(tf.concat([l.v, (recent[i] as LayerCache).v], 2)) as tf.Tensor4D,
    })),
  );
  return { layers, length: stable.length + ((recent[0] as LayerCache).v.shape[2] as number), pad: Int32Array.from(stable.pad) };
}
