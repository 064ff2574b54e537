/**
 * The PPO loss as tf functions, plus plain-number twins of the per-row math for tests
 * (docs/algorithms.md, "PPO-clip loss").
 *
 * PPO-clip with ε low/high and dual clip (verl / EasyR1), one row per step, so the token-mean is a
 * (weighted) row mean:
 *   ρ = exp(logp − logpOld);  l1 = −A·ρ;  l2 = −A·clip(ρ, 1−ε_low, 1+ε_high);  l = max(l1, l2)
 *   if A < 0: l = min(l, −A·c)   (dual clip, c = 3)
 * KL to the frozen reference, the k3 / "low_var_kl" estimator on the chosen action:
 *   d = logpRef − logp;  kl = exp(d) − d − 1, clamped to [−10, 10]
 * (or, with `refLogProbs`, the exact KL(π‖π_ref) over each row's candidates). Entropy bonus:
 *   loss = pg + β·kl − c_H·H
 * Defaults follow verl-agent's GiGPO scripts: ε 0.2/0.2, c 3, β 0.01, c_H 0.001.
 * @module
 */

import * as tf from '@tensorflow/tfjs-core';
import { OptionsError } from '../../envs/core/errors.js';

export interface PpoLossConfig {
  /** ε_low: the ratio is clipped below at 1 − clipLow. */
  clipLow: number;
  /** ε_high: the ratio is clipped above at 1 + clipHigh. */
  clipHigh: number;
  /** Dual-clip constant c (> 1) for A < 0; Infinity turns dual clip off. */
  dualClip: number;
  /** β: weight of the KL to the reference policy; 0 turns it off. */
  klCoef: number;
  /** Weight of the entropy bonus; 0 turns it off. */
  entropyCoef: number;
  /** The per-row k3 KL is clamped to [−klClamp, klClamp]. */
  klClamp: number;
}

export const DEFAULT_PPO_LOSS_CONFIG: Readonly<PpoLossConfig> = {
  clipLow: 0.2,
  clipHigh: 0.2,
  dualClip: 3,
  klCoef: 0.01,
  entropyCoef: 0.001,
  klClamp: 10,
};

export interface PpoLossInputs {
  /** [B] log π_θ(chosen), with gradient. */
  logp: tf.Tensor1D;
  /** [B] log π_old(chosen), constant. */
  logpOld: tf.Tensor1D;
  /** [B] advantages. */
  advantages: tf.Tensor1D;
  /** [B] log π_ref(chosen) for the k3 KL; needed when klCoef > 0 unless refLogProbs is given. */
  logpRef?: tf.Tensor1D;
  /** [B, K] full log-probs of the policy and of the reference (same padding) for the exact KL. */
  logProbs?: tf.Tensor2D;
  refLogProbs?: tf.Tensor2D;
  /** [B, K] 1 for real candidates (needed with refLogProbs). */
  mask?: tf.Tensor2D;
  /** [B] entropy of each row's distribution; needed when entropyCoef > 0. */
  entropy?: tf.Tensor1D;
  /** [B] row weights (e.g. 0 for padding rows); default all 1. */
  weights?: tf.Tensor1D;
}

export interface PpoLossStats {
  /** The policy-gradient part (clipped surrogate), weighted row mean. */
  pgLoss: tf.Scalar;
  /** Mean KL to the reference (0 when off). */
  kl: tf.Scalar;
  /** Mean entropy (0 when not given). */
  entropy: tf.Scalar;
  /** Fraction of rows where the clipped branch is the active one (l2 > l1). */
  clipFrac: tf.Scalar;
  /** Fraction of rows (A < 0) where the dual clip bound is active. */
  dualClipFrac: tf.Scalar;
  /** k3 estimate of KL(π_old ‖ π_θ): mean((ρ − 1) − log ρ). */
  approxKl: tf.Scalar;
}

export function resolvePpoLossConfig(partial: Partial<PpoLossConfig> = {}): PpoLossConfig {
  const c = { ...DEFAULT_PPO_LOSS_CONFIG, ...partial };
  const issues: string[] = [];
  if (!(c.clipLow >= 0 && c.clipLow < 1)) issues.push(`clipLow must be in [0, 1), got ${c.clipLow}`);
  if (!(c.clipHigh >= 0)) issues.push(`clipHigh must be >= 0, got ${c.clipHigh}`);
  if (!(c.dualClip > 1)) issues.push(`dualClip must be > 1 (Infinity = off), got ${c.dualClip}`);
  if (!(c.klCoef >= 0)) issues.push(`klCoef must be >= 0, got ${c.klCoef}`);
  if (!(c.entropyCoef >= 0)) issues.push(`entropyCoef must be >= 0, got ${c.entropyCoef}`);
  if (!(c.klClamp > 0)) issues.push(`klClamp must be > 0, got ${c.klClamp}`);
  if (issues.length > 0) throw new OptionsError('the PPO loss', issues);
  return c;
}

/** Σ w·x / max(Σ w, 1e-8), or the plain mean without weights. */
export function weightedMean(x: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  if (weights === undefined) return tf.mean(x) as tf.Scalar;
  return tf.div(tf.sum(tf.mul(x, weights)), tf.maximum(tf.sum(weights), 1e-8)) as tf.Scalar;
}

/** Per-row k3 KL estimate on the chosen action: exp(d) − d − 1 with d = logpRef − logp, clamped. */
export function klK3(logp: tf.Tensor1D, logpRef: tf.Tensor1D, clamp = DEFAULT_PPO_LOSS_CONFIG.klClamp): tf.Tensor1D {
  const d = tf.sub(logpRef, logp);
  return tf.clipByValue(tf.sub(tf.sub(tf.exp(d), d), 1), -clamp, clamp) as tf.Tensor1D;
}

/** Per-row exact KL(π ‖ π_ref) = Σ_k π_k (log π_k − log π_ref,k) over real candidates. */
export function klFull(logProbs: tf.Tensor2D, refLogProbs: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  const p = tf.mul(tf.exp(logProbs), mask);
  return tf.sum(tf.mul(p, tf.mul(tf.sub(logProbs, refLogProbs), mask)), 1) as tf.Tensor1D;
}

/** Per-row PPO-clip loss with dual clip, and the masks of which branch was active. */
export function ppoClipRows(
  logp: tf.Tensor1D,
  logpOld: tf.Tensor1D,
  advantages: tf.Tensor1D,
  cfg: Pick<PpoLossConfig, 'clipLow' | 'clipHigh' | 'dualClip'>,
): { loss: tf.Tensor1D; ratio: tf.Tensor1D; clipped: tf.Tensor1D; dualClipped: tf.Tensor1D } {
  const logRatio = tf.sub(logp, logpOld);
  const ratio = tf.exp(logRatio) as tf.Tensor1D;
  const negA = tf.neg(advantages);
  const l1 = tf.mul(negA, ratio);
  const l2 = tf.mul(negA, tf.clipByValue(ratio, 1 - cfg.clipLow, 1 + cfg.clipHigh));
  const lClip = tf.maximum(l1, l2);
  const clipped = tf.cast(tf.greater(l2, l1), 'float32') as tf.Tensor1D;
  if (!Number.isFinite(cfg.dualClip)) {
    return { loss: lClip as tf.Tensor1D, ratio, clipped, dualClipped: tf.zerosLike(ratio) };
  }
  const bound = tf.mul(negA, cfg.dualClip);
  const negative = tf.less(advantages, 0);
  const loss = tf.where(negative, tf.minimum(lClip, bound), lClip) as tf.Tensor1D;
  const dualClipped = tf.cast(tf.logicalAnd(negative, tf.greater(lClip, bound)), 'float32') as tf.Tensor1D;
  return { loss, ratio, clipped, dualClipped };
}

/**
 * PPO-clip (ε low/high, dual clip) + β·KL(k3 or exact) − c_H·entropy, as a scalar to minimise,
 * with stats for logging. Call inside the optimizer closure.
 */
export function ppoLoss(inputs: PpoLossInputs, config: Partial<PpoLossConfig> = {}): { loss: tf.Scalar; stats: PpoLossStats } {
  const cfg = resolvePpoLossConfig(config);
  const w = inputs.weights;
  const rows = ppoClipRows(inputs.logp, inputs.logpOld, inputs.advantages, cfg);
  const pgLoss = weightedMean(rows.loss, w);
  let loss: tf.Scalar = pgLoss;

  let kl: tf.Scalar = tf.scalar(0);
  if (inputs.refLogProbs !== undefined) {
    if (inputs.logProbs === undefined || inputs.mask === undefined) {
      throw new RangeError('ppoLoss: refLogProbs needs logProbs and mask (from the same encoded batch).');
    }
    kl = weightedMean(klFull(inputs.logProbs, inputs.refLogProbs, inputs.mask), w);
  } else if (inputs.logpRef !== undefined) {
    kl = weightedMean(klK3(inputs.logp, inputs.logpRef, cfg.klClamp), w);
  } else if (cfg.klCoef > 0) {
    throw new RangeError('ppoLoss: klCoef > 0 needs logpRef (or refLogProbs); pass klCoef 0 to train without a reference.');
  }
  if (cfg.klCoef > 0) loss = tf.add(loss, tf.mul(kl, cfg.klCoef));

  let entropy: tf.Scalar = tf.scalar(0);
  if (inputs.entropy !== undefined) entropy = weightedMean(inputs.entropy, w);
  else if (cfg.entropyCoef > 0) {
    throw new RangeError('ppoLoss: entropyCoef > 0 needs entropy; pass entropyCoef 0 to train without the bonus.');
  }
  if (cfg.entropyCoef > 0) loss = tf.sub(loss, tf.mul(entropy, cfg.entropyCoef));

  const logRatio = tf.sub(inputs.logp, inputs.logpOld);
  const approxKl = weightedMean(tf.sub(tf.sub(rows.ratio, 1), logRatio) as tf.Tensor1D, w);
  return {
    loss,
    stats: {
      pgLoss,
      kl,
      entropy,
      clipFrac: weightedMean(rows.clipped, w),
      dualClipFrac: weightedMean(rows.dualClipped, w),
      approxKl,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Plain-number twins (float64), for hand-computed tests and for checking the tf versions.

/** Per-row PPO-clip loss (to minimise) for a ratio ρ and advantage A. */
export function ppoClipLossNumber(
  ratio: number,
  advantage: number,
  cfg: Pick<PpoLossConfig, 'clipLow' | 'clipHigh' | 'dualClip'> = DEFAULT_PPO_LOSS_CONFIG,
): number {
  const l1 = -advantage * ratio;
  const l2 = -advantage * Math.min(Math.max(ratio, 1 - cfg.clipLow), 1 + cfg.clipHigh);
  const l = Math.max(l1, l2);
  return advantage < 0 ? Math.min(l, -advantage * cfg.dualClip) : l;
}

/** The per-row objective (to maximise): −ppoClipLossNumber. */
export function ppoClipObjectiveNumber(ratio: number, advantage: number, cfg?: Pick<PpoLossConfig, 'clipLow' | 'clipHigh' | 'dualClip'>): number {
  return -ppoClipLossNumber(ratio, advantage, cfg);
}

/** k3 KL on the chosen action: exp(d) − d − 1, d = logpRef − logp, clamped to ±clamp. */
export function klK3Number(logp: number, logpRef: number, clamp = DEFAULT_PPO_LOSS_CONFIG.klClamp): number {
  const d = logpRef - logp;
  return Math.min(Math.max(Math.exp(d) - d - 1, -clamp), clamp);
}

/** Entropy (nats) of a distribution given as log-probs. */
export function entropyNumber(logProbs: readonly number[] | Float64Array): number {
  let h = 0;
  for (const lp of logProbs) if (Number.isFinite(lp)) h -= Math.exp(lp) * lp;
  return h;
}

/** The whole PPO loss over rows, in plain numbers (the twin of `ppoLoss` with k3 KL, unweighted). */
export function ppoLossNumbers(
  rows: { logp: readonly number[]; logpOld: readonly number[]; advantages: readonly number[]; logpRef?: readonly number[]; entropy?: readonly number[] },
  config: Partial<PpoLossConfig> = {},
): { loss: number; pgLoss: number; kl: number; entropy: number; clipFrac: number; dualClipFrac: number; approxKl: number } {
  const cfg = resolvePpoLossConfig(config);
  const n = rows.logp.length;
  let pg = 0;
  let kl = 0;
  let ent = 0;
  let clip = 0;
  let dual = 0;
  let akl = 0;
  for (let i = 0; i < n; i++) {
    const logRatio = (rows.logp[i] as number) - (rows.logpOld[i] as number);
    const ratio = Math.exp(logRatio);
    const a = rows.advantages[i] as number;
    const l1 = -a * ratio;
    const l2 = -a * Math.min(Math.max(ratio, 1 - cfg.clipLow), 1 + cfg.clipHigh);
    const lc = Math.max(l1, l2);
    if (l2 > l1) clip++;
    if (a < 0 && lc > -a * cfg.dualClip) dual++;
    pg += ppoClipLossNumber(ratio, a, cfg);
    if (rows.logpRef !== undefined) kl += klK3Number(rows.logp[i] as number, rows.logpRef[i] as number, cfg.klClamp);
    if (rows.entropy !== undefined) ent += rows.entropy[i] as number;
    akl += ratio - 1 - logRatio;
  }
  const m = (x: number): number => (n === 0 ? 0 : x / n);
  const loss = m(pg) + cfg.klCoef * m(kl) - cfg.entropyCoef * m(ent);
  return { loss, pgLoss: m(pg), kl: m(kl), entropy: m(ent), clipFrac: m(clip), dualClipFrac: m(dual), approxKl: m(akl) };
}
