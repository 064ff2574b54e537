/**
 * Adam with gradient clipping by global norm, keyed by the scorer's logical weight names so its
 * state (step count, first and second moments) saves and restores across instances and backends.
 *
 * Update (Kingma & Ba), after scaling all gradients by min(1, maxGradNorm / ‖g‖₂):
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
 * @module
 */

import * as tf from '@tensorflow/tfjs-core';
import { PolicyError } from './errors.js';
import type { NamedTensor, NamedVariable } from './model.js';

export interface AdamConfig {
  /** Learning rate. */
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Clip the global gradient norm to this; 0 or Infinity turns clipping off. */
  maxGradNorm: number;
}

export const DEFAULT_ADAM_CONFIG: Readonly<AdamConfig> = {
  lr: 3e-4,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  maxGradNorm: 1.0,
};

/** What a loss closure returns: the scalar to minimise, and optional scalars to report. */
export type LossClosure = () => tf.Scalar | { loss: tf.Scalar; stats?: Record<string, tf.Scalar> };

export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  clipped: boolean;
  /** The closure's stats, as numbers. */
  stats: Record<string, number>;
}

export class AdamClip {
  private cfg: AdamConfig;
  private step_ = 0;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(config: Partial<AdamConfig> = {}) {
    this.cfg = validate({ ...DEFAULT_ADAM_CONFIG, ...config });
  }

  get config(): Readonly<AdamConfig> {
    return { ...this.cfg };
  }

  /** Updates applied so far. */
  get stepCount(): number {
    return this.step_;
  }

  setLearningRate(lr: number): void {
    this.cfg = validate({ ...this.cfg, lr });
  }

  /**
   * Computes the loss and its gradients w.r.t. `vars`, clips, and applies one Adam update.
   * Tensors the closure creates are disposed; `stats` come back as numbers.
   */
  step(lossFn: LossClosure, vars: readonly NamedVariable[]): StepResult {
    let kept: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const out = lossFn();
      if (out instanceof tf.Tensor) return out;
      kept = {};
      for (const [k, t] of Object.entries(out.stats ?? {})) kept[k] = tf.keep(t);
      return out.loss;
    }, vars.map((v) => v.variable));
    try {
      const named: Record<string, tf.Tensor> = {};
      for (const v of vars) {
        const g = grads[v.variable.name];
        if (g !== undefined) named[v.name] = g;
      }
      const { gradNorm, clipped } = this.applyGradients(named, vars);
      const stats: Record<string, number> = {};
      for (const [k, t] of Object.entries(kept)) stats[k] = t.dataSync()[0] as number;
      return { loss: value.dataSync()[0] as number, gradNorm, clipped, stats };
    } finally {
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
      for (const t of Object.values(kept)) t.dispose();
    }
  }

  /** Clips `grads` (by logical name) by global norm and applies one Adam update to `vars`. */
  applyGradients(grads: Record<string, tf.Tensor>, vars: readonly NamedVariable[]): { gradNorm: number; clipped: boolean } {
    const present = vars.filter((v) => grads[v.name] !== undefined);
    const gradNorm = tf.tidy(() => {
      const sq = present.map((v) => tf.sum(tf.square(grads[v.name] as tf.Tensor)));
      return sq.length === 0 ? 0 : (tf.sqrt(tf.addN(sq)).dataSync()[0] as number);
    });
    const max = this.cfg.maxGradNorm;
    const clipped = max > 0 && Number.isFinite(max) && gradNorm > max;
    const scale = clipped ? max / (gradNorm + 1e-6) : 1;
    this.step_ += 1;
    const { lr, beta1, beta2, epsilon } = this.cfg;
    const bc1 = 1 - beta1 ** this.step_;
    const bc2 = 1 - beta2 ** this.step_;
    tf.tidy(() => {
      for (const v of present) {
        const g0 = grads[v.name] as tf.Tensor;
        const g = scale === 1 ? g0 : tf.mul(g0, scale);
        const mom = this.momentsOf(v);
        mom.m.assign(tf.add(tf.mul(mom.m, beta1), tf.mul(g, 1 - beta1)));
        mom.v.assign(tf.add(tf.mul(mom.v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(mom.m, bc1), tf.add(tf.sqrt(tf.div(mom.v, bc2)), epsilon));
        v.variable.assign(tf.sub(v.variable, tf.mul(update, lr)));
      }
    });
    return { gradNorm, clipped };
  }

  private momentsOf(v: NamedVariable): { m: tf.Variable; v: tf.Variable } {
    let mom = this.moments.get(v.name);
    if (mom === undefined) {
      mom = {
        m: tf.variable(tf.zerosLike(v.variable), false),
        v: tf.variable(tf.zerosLike(v.variable), false),
      };
      this.moments.set(v.name, mom);
    }
    return mom;
  }

  /** The state as named tensors (copies): `step`, then `<name>/m` and `<name>/v` per weight. */
  getWeights(): NamedTensor[] {
    const out: NamedTensor[] = [{ name: 'step', tensor: tf.scalar(this.step_, 'float32') }];
    for (const [name, mom] of this.moments) {
      out.push({ name: `${name}/m`, tensor: mom.m.clone() }, { name: `${name}/v`, tensor: mom.v.clone() });
    }
    return out;
  }

  /** Restores what `getWeights()` returned (moments are copied; the caller keeps ownership). */
  setWeights(weights: readonly NamedTensor[]): void {
    const byName = new Map(weights.map((w) => [w.name, w.tensor]));
    const step = byName.get('step');
    if (step === undefined) throw new PolicyError('CHECKPOINT_INVALID', "Optimizer state has no 'step' entry.");
    this.disposeMoments();
    this.step_ = Math.round(step.dataSync()[0] as number);
    for (const [key, m] of byName) {
      if (!key.endsWith('/m')) continue;
      const name = key.slice(0, -2);
      const v = byName.get(`${name}/v`);
      if (v === undefined) throw new PolicyError('CHECKPOINT_INVALID', `Optimizer state has '${key}' but no '${name}/v'.`);
      this.moments.set(name, { m: tf.variable(m.clone(), false), v: tf.variable(v.clone(), false) });
    }
  }

  dispose(): void {
    this.disposeMoments();
  }

  private disposeMoments(): void {
    for (const mom of this.moments.values()) {
      mom.m.dispose();
      mom.v.dispose();
    }
    this.moments.clear();
  }
}

function validate(c: AdamConfig): AdamConfig {
  const issues: string[] = [];
  if (!(c.lr > 0) || !Number.isFinite(c.lr)) issues.push(`lr must be a positive number, got ${c.lr}`);
  if (!(c.beta1 >= 0 && c.beta1 < 1)) issues.push(`beta1 must be in [0, 1), got ${c.beta1}`);
  if (!(c.beta2 >= 0 && c.beta2 < 1)) issues.push(`beta2 must be in [0, 1), got ${c.beta2}`);
  if (!(c.epsilon > 0)) issues.push(`epsilon must be positive, got ${c.epsilon}`);
  if (!(c.maxGradNorm >= 0)) issues.push(`maxGradNorm must be >= 0 (0 = no clipping), got ${c.maxGradNorm}`);
  if (issues.length > 0) throw new PolicyError('POLICY_CONFIG_INVALID', `Invalid optimizer config: ${issues.join('; ')}.`);
  return c;
}
