/**
 * Policy updates: PPO-clip (+ KL to the frozen reference, + entropy bonus) over an iteration's
 * step rows, and SFT (cross-entropy) on expert demonstrations. The loss reads only per-row
 * advantages; it never sees groups or rewards.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PolicyRow } from '../agents/policy/model.js';
import type { ActionScorer } from '../agents/policy/model.js';
import type { AdamClip } from '../agents/policy/optimizer.js';
import { ppoLoss, sftLoss, type PpoLossConfig } from '../agents/policy/losses.js';
import { LudusError } from '../envs/core/errors.js';
import type { Rng } from '../envs/core/rng.js';

export interface PpoRow {
  input: PolicyRow;
  logpOld: number;
  logpRef: number;
  advantage: number;
}

export interface UpdateOptions {
  epochs: number;
  minibatchSize: number;
  rng: Rng;
}

export interface PpoUpdateStats {
  loss: number;
  pgLoss: number;
  kl: number;
  entropy: number;
  clipFraction: number;
  approxKl: number;
  gradNorm: number;
  /** Rows processed per second (epochs × rows / time). */
  rowsPerSecond: number;
  minibatches: number;
}

function assertFinite(what: string, value: number, iterationHint: string): void {
  if (!Number.isFinite(value)) {
    throw new LudusError(
      'TRAINING_DIVERGED',
      `The ${what} became ${value} ${iterationHint}. Lower --lr, keep gradient clipping on (maxGradNorm), or resume from the last checkpoint.`,
    );
  }
}

/** Minibatches of a shuffled index order, one list per epoch. */
function minibatches(n: number, options: UpdateOptions): number[][] {
  const out: number[][] = [];
  const order = Array.from({ length: n }, (_, i) => i);
  for (let e = 0; e < options.epochs; e++) {
    const shuffled = options.rng.shuffle(order);
    for (let s = 0; s < n; s += options.minibatchSize) out.push(shuffled.slice(s, s + options.minibatchSize));
  }
  return out;
}

export function ppoUpdate(
  scorer: ActionScorer,
  optimizer: AdamClip,
  rows: readonly PpoRow[],
  loss: Partial<PpoLossConfig>,
  options: UpdateOptions,
  hint = '',
): PpoUpdateStats {
  const start = performance.now();
  const sums = { loss: 0, pgLoss: 0, kl: 0, entropy: 0, clipFraction: 0, approxKl: 0, gradNorm: 0 };
  const batches = minibatches(rows.length, options);
  const vars = scorer.trainableVariables();
  for (const idx of batches) {
    const batch = idx.map((i) => rows[i] as PpoRow);
    const enc = scorer.encode(batch.map((r) => r.input));
    const logpOld = batch.map((r) => r.logpOld);
    const logpRef = batch.map((r) => r.logpRef);
    const adv = batch.map((r) => r.advantage);
    const step = optimizer.step(() => {
      const out = scorer.logProbsInGraph(enc);
      const { loss: total, stats } = ppoLoss(
        {
          logp: out.logp,
          logpOld: tf.tensor1d(logpOld),
          logpRef: tf.tensor1d(logpRef),
          advantages: tf.tensor1d(adv),
          entropy: out.entropy,
        },
        loss,
      );
      return { loss: total, stats: { ...stats } };
    }, vars);
    assertFinite('loss', step.loss, hint);
    sums.loss += step.loss;
    sums.pgLoss += step.stats.pgLoss ?? 0;
    sums.kl += step.stats.kl ?? 0;
    sums.entropy += step.stats.entropy ?? 0;
    sums.clipFraction += step.stats.clipFrac ?? 0;
    sums.approxKl += step.stats.approxKl ?? 0;
    sums.gradNorm += step.gradNorm;
  }
  const n = Math.max(1, batches.length);
  const seconds = (performance.now() - start) / 1000;
  return {
    loss: sums.loss / n,
    pgLoss: sums.pgLoss / n,
    kl: sums.kl / n,
    entropy: sums.entropy / n,
    clipFraction: sums.clipFraction / n,
    approxKl: sums.approxKl / n,
    gradNorm: sums.gradNorm / n,
    rowsPerSecond: seconds > 0 ? (rows.length * options.epochs) / seconds : 0,
    minibatches: batches.length,
  };
}

/** Cross-entropy on demonstrated actions; returns the mean loss of the last epoch. */
export function sftUpdate(scorer: ActionScorer, optimizer: AdamClip, rows: readonly PolicyRow[], options: UpdateOptions): { loss: number; losses: number[] } {
  const vars = scorer.trainableVariables();
  const losses: number[] = [];
  const perEpoch = Math.ceil(rows.length / options.minibatchSize);
  let epochSum = 0;
  let count = 0;
  for (const idx of minibatches(rows.length, options)) {
    const enc = scorer.encode(idx.map((i) => rows[i] as PolicyRow));
    const step = optimizer.step(() => sftLoss(scorer.logProbsInGraph(enc).logp), vars);
    assertFinite('SFT loss', step.loss, 'during the SFT warm start');
    epochSum += step.loss;
    count += 1;
    if (count === perEpoch) {
      losses.push(epochSum / count);
      epochSum = 0;
      count = 0;
    }
  }
  return { loss: losses.at(-1) ?? Number.NaN, losses };
}
