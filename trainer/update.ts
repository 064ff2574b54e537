/**
 * Policy updates over a Batch, one per loss: PPO-clip (+ KL to the frozen reference, + entropy
 * bonus) over rows, REFUEL's squared regression over pairs of rows, and SFT (cross-entropy) on
 * expert demonstrations. Each loops minibatches × epochs with Adam and gradient clipping; the loss
 * reads only what the batch gives it (advantages, or regression targets), never groups or rewards.
 * `UPDATES` names them for the ALGORITHMS record.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActionScorer, PolicyRow } from '../agents/policy/model.js';
import type { AdamClip } from '../agents/policy/optimizer.js';
import type { Rng } from '../envs/core/rng.js';
import type { Batch } from './batch.js';
import { TrainerError } from './errors.js';
import { ppoLoss, type PpoLossConfig } from './losses/ppo.js';
import { refuelLoss } from './losses/refuel.js';
import { sftLoss } from './losses/sft.js';

export interface UpdateOptions {
  epochs: number;
  minibatchSize: number;
  rng: Rng;
}

/** What every update reports; `stats` are the loss's own numbers (policy loss, KL, residual, ...). */
export interface UpdateStats {
  /** Mean total loss over minibatches. */
  loss: number;
  /** Mean global gradient norm before clipping. */
  gradNorm: number;
  /** Rows processed per second (epochs × rows / time). */
  rowsPerSecond: number;
  minibatches: number;
  ms: number;
  stats: Record<string, number>;
}

/** The rows the PPO loss reads (a Batch is one). */
export type PpoData = Pick<Batch, 'decisions' | 'logpOld' | 'logpRef' | 'advantage'> & Partial<Pick<Batch, 'weights'>>;
/** The pairs the REFUEL loss reads (a Batch is one). */
export type RefuelData = Pick<Batch, 'decisions' | 'logpOld' | 'pairs'>;

function assertFinite(what: string, value: number, iterationHint: string): void {
  if (!Number.isFinite(value)) {
    throw new TrainerError(
      'TRAINING_DIVERGED',
      `The ${what} became ${value} ${iterationHint}. Lower --lr, keep gradient clipping on (maxGradNorm), or resume from the last checkpoint.`,
    );
  }
}

/** Minibatches of a shuffled order of `n` units, one list per epoch. */
function minibatches(n: number, options: UpdateOptions): number[][] {
  const out: number[][] = [];
  const order = Array.from({ length: n }, (_, i) => i);
  for (let e = 0; e < options.epochs; e++) {
    const shuffled = options.rng.shuffle(order);
    for (let s = 0; s < n; s += options.minibatchSize) out.push(shuffled.slice(s, s + options.minibatchSize));
  }
  return out;
}

/** Runs the optimizer over minibatches; `step` builds one minibatch's loss (inside the gradient closure). */
function runMinibatches(
  scorer: ActionScorer,
  optimizer: AdamClip,
  units: number,
  rowsPerUnit: number,
  options: UpdateOptions,
  hint: string,
  lossOf: (units: number[]) => () => { loss: tf.Scalar; stats: Record<string, tf.Scalar> },
): UpdateStats {
  const start = performance.now();
  const batches = minibatches(units, options);
  const vars = scorer.trainableVariables();
  let loss = 0;
  let gradNorm = 0;
  const sums: Record<string, number> = {};
  for (const idx of batches) {
    const step = optimizer.step(lossOf(idx), vars);
    assertFinite('loss', step.loss, hint);
    loss += step.loss;
    gradNorm += step.gradNorm;
    for (const [k, v] of Object.entries(step.stats)) sums[k] = (sums[k] ?? 0) + v;
  }
  const n = Math.max(1, batches.length);
  const ms = performance.now() - start;
  return {
    loss: loss / n,
    gradNorm: gradNorm / n,
    rowsPerSecond: ms > 0 ? (units * rowsPerUnit * options.epochs) / (ms / 1000) : 0,
    minibatches: batches.length,
    ms,
    stats: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n])),
  };
}

/**
 * PPO-clip over the batch's rows. Stats: `pgLoss`, `kl`, `entropy`, `clipFrac`, `dualClipFrac`,
 * `approxKl` (minibatch means).
 */
export function ppoUpdate(
  scorer: ActionScorer,
  optimizer: AdamClip,
  data: PpoData,
  loss: Partial<PpoLossConfig>,
  options: UpdateOptions,
  hint = '',
): UpdateStats {
  const useRef = data.logpRef !== null && (loss.klCoef ?? 0) > 0;
  const cfg = useRef ? loss : { ...loss, klCoef: 0 };
  // rows of weight 0 (skipped groups) are left out of the minibatches altogether
  const weights = data.weights ?? null;
  const kept = weights === null ? null : Array.from({ length: data.decisions.length }, (_, i) => i).filter((i) => (weights[i] as number) > 0);
  const units = kept === null ? data.decisions.length : kept.length;
  return runMinibatches(scorer, optimizer, units, 1, options, hint, (unitIdx) => {
    const idx = kept === null ? unitIdx : unitIdx.map((u) => kept[u] as number);
    const enc = scorer.encode(idx.map((i) => data.decisions[i] as PolicyRow));
    const w = weights === null ? null : idx.map((i) => weights[i] as number);
    const pick = (xs: ArrayLike<number>) => idx.map((i) => xs[i] as number);
    const logpOld = pick(data.logpOld);
    const adv = pick(data.advantage);
    const logpRef = useRef ? pick(data.logpRef as Float64Array) : null;
    return () => {
      const out = scorer.logProbsInGraph(enc);
      const { loss: total, stats } = ppoLoss(
        {
          logp: out.logp,
          logpOld: tf.tensor1d(logpOld),
          advantages: tf.tensor1d(adv),
          entropy: out.entropy,
          ...(logpRef === null ? {} : { logpRef: tf.tensor1d(logpRef) }),
          ...(w === null ? {} : { weights: tf.tensor1d(w) }),
        },
        cfg,
      );
      return { loss: total, stats: { ...stats } };
    };
  });
}

/** REFUEL's regression over the batch's pairs (both rows of a pair in one minibatch). Stats: `residual`, `logRatioGap`. */
export function refuelUpdate(scorer: ActionScorer, optimizer: AdamClip, data: RefuelData, options: UpdateOptions, hint = ''): UpdateStats {
  const pairs = data.pairs;
  if (pairs === null) throw new RangeError('refuelUpdate: the batch has no pairs.');
  const pairsPerMinibatch = Math.max(1, Math.floor(options.minibatchSize / 2));
  return runMinibatches(scorer, optimizer, pairs.a.length, 2, { ...options, minibatchSize: pairsPerMinibatch }, hint, (idx) => {
    const rows = [...idx.map((p) => pairs.a[p] as number), ...idx.map((p) => pairs.b[p] as number)];
    const enc = scorer.encode(rows.map((r) => data.decisions[r] as PolicyRow));
    const old = rows.map((r) => data.logpOld[r] as number);
    const target = idx.map((p) => pairs.target[p] as number);
    const P = idx.length;
    return () => {
      const logp = scorer.logProbsInGraph(enc).logp;
      const oldT = tf.tensor1d(old);
      const { loss, stats } = refuelLoss({
        logpA: logp.slice(0, P),
        logpB: logp.slice(P, P),
        logpOldA: oldT.slice(0, P),
        logpOldB: oldT.slice(P, P),
        target: tf.tensor1d(target),
      });
      return { loss, stats: { ...stats } };
    };
  });
}

/** Cross-entropy on demonstrated actions; returns the mean loss of the last epoch (and of every epoch). */
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

/** What an algorithm's `loss` names. */
export interface LossUpdate {
  (scorer: ActionScorer, optimizer: AdamClip, batch: Batch, loss: PpoLossConfig, options: UpdateOptions, hint: string): UpdateStats;
}

export const UPDATES = {
  ppo: (scorer, optimizer, batch, loss, options, hint) => ppoUpdate(scorer, optimizer, batch, loss, options, hint),
  refuel: (scorer, optimizer, batch, _loss, options, hint) => refuelUpdate(scorer, optimizer, batch, options, hint),
} as const satisfies Record<string, LossUpdate>;

export type LossName = keyof typeof UPDATES;
