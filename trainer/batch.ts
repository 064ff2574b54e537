/**
 * The Batch: an iteration's training data, built once from what the collector returned, as one
 * struct of arrays (CleanRL's `b_*`): row i is `rows[i]` (what the estimators read),
 * `decisions[i]` (what the policy saw and chose), `logpOld[i]`, `logpRef[i]` and `advantage[i]`,
 * and it came from step `rowStep[i]` of trajectory `rowTrajectory[i]`.
 *
 * A language-model policy keeps `decisions` empty and fills `tokens` instead (trainer/token-batch.ts:
 * per turn the prompt and completion ids, the loss mask, per-token π_old and π_ref), with the turn's
 * sequence log-prob in `logpOld` / `logpRef`; rows, returns and advantages are the same for both.
 *
 * Every stage after collection reads and fills this one object: `scorePolicy` fills the log-probs,
 * the algorithm's estimate fills `advantage` (and `estimate`, or REFUEL's `pairs.target`), the
 * loss reads it, and the records read it back by (trajectory, step).
 * @module
 */
import type { PolicyRow } from '../agents/policy/model.js';
import type { ActionScorer } from '../agents/policy/model.js';
import type { AdvantageResult } from './advantages/index.js';
import type { TrainConfig } from './config.js';
import type { CollectedTrajectory } from './rollout.js';
import { trajectoryRows, type StepRecord, type StepRow } from './rows.js';
import type { TokenTurns } from './token-batch.js';

/** One decision the loss trains on: step `t` of trajectory `trajectory` (an index into `trajectories`). */
export interface TrainStep {
  trajectory: number;
  t: number;
}

/** What a collector returns for one iteration. */
export interface Collection {
  /** Every trajectory of the iteration, group by group (fresh rollouts, replayed ones, branches). */
  trajectories: CollectedTrajectory[];
  /** The decisions the loss trains on, when not every step of every trajectory (REFUEL: the branch turns). */
  trainSteps?: readonly TrainStep[];
  /** REFUEL: pairs of entries of `trainSteps` (two continuations branched from one state). */
  pairs?: readonly { a: number; b: number }[];
  /** Env steps this collection cost (replayed trajectories cost none). */
  envSteps: number;
  /** Wall time of the collection, ms. */
  ms: number;
  /** Collector-specific metrics, already named in the metric scheme (trainer/metrics.ts). */
  metrics: Record<string, number>;
}

export interface Batch {
  trajectories: readonly CollectedTrajectory[];
  /** Each trajectory's return as the estimators see it (`rewardMode` applied). */
  returns: Float64Array;
  rows: StepRow[];
  /** The scorer's view of each row (empty for a language-model policy, which fills `tokens`). */
  decisions: PolicyRow[];
  /** A language-model policy's turns: token ids, loss masks, per-token π_old and π_ref; null for the scorer. */
  tokens: TokenTurns | null;
  /** Row → index of its trajectory in `trajectories`. */
  rowTrajectory: Int32Array;
  /** Row → its step index within the trajectory. */
  rowStep: Int32Array;
  /** log π_old(action): the current weights right after the collection, at temperature 1. */
  logpOld: Float64Array;
  /** log π_ref(action) of the frozen reference; null when the loss has no KL term. */
  logpRef: Float64Array | null;
  /** What the loss weighs each row by (REFUEL: ±the pair's regression target, for the record). */
  advantage: Float64Array;
  /** The estimator's whole result (episode and step parts, anchor groups), when one ran. */
  estimate: AdvantageResult | null;
  /** REFUEL: pairs of rows and their regression targets η·(R¹ − R²). */
  pairs: { a: Int32Array; b: Int32Array; target: Float64Array } | null;
  /** What each row counts for in the PPO loss (trainer/row-weights.ts); null: every row alike. */
  weights: Float64Array | null;
}

/** A trajectory's step records with the reward the estimators should see (see `rewardMode`). */
export function trainingRecords(t: CollectedTrajectory, rewardMode: TrainConfig['rewardMode']): StepRecord[] {
  if (rewardMode === 'env') return t.steps.map((s) => s.record);
  const last = t.steps.length - 1;
  return t.steps.map((s, k) => ({ ...s.record, reward: k === last && t.success ? 1 : 0 }));
}

/** The policy's view of one step: the input it saw and the index of the action it took. */
export function decisionOf(t: CollectedTrajectory, k: number): PolicyRow {
  const s = t.steps[k]!;
  return {
    ...(s.observation.goal === undefined ? {} : { goal: s.observation.goal }),
    text: s.observation.text,
    history: s.history,
    candidates: s.record.candidates,
    chosen: s.record.candidates.indexOf(s.record.action),
  };
}

/**
 * Builds the batch: rows and decisions of every trained step; log-probs and advantages still
 * empty. `decisions: false` (a language-model policy, whose actions are free text) skips the
 * scorer's view of each step, which needs the action among the candidates.
 */
export function toBatch(collection: Collection, rewardMode: TrainConfig['rewardMode'], options: { decisions?: boolean } = {}): Batch {
  const withDecisions = options.decisions !== false;
  const trajectories = collection.trajectories;
  const perTrajectory = trajectories.map((t) => trajectoryRows(t.groupId, t.trajId, trainingRecords(t, rewardMode), t.seat));
  const returns = Float64Array.from(perTrajectory, (rows, i) => rows[0]?.episodeReturn ?? trainingReturn(trajectories[i]!, rewardMode));
  const steps: TrainStep[] =
    collection.trainSteps !== undefined
      ? [...collection.trainSteps]
      : trajectories.flatMap((t, i) => t.steps.map((_, k) => ({ trajectory: i, t: k })));
  const rows: StepRow[] = [];
  const decisions: PolicyRow[] = [];
  const rowTrajectory = new Int32Array(steps.length);
  const rowStep = new Int32Array(steps.length);
  steps.forEach((s, i) => {
    const row = perTrajectory[s.trajectory]?.[s.t];
    if (row === undefined) throw new RangeError(`toBatch: train step ${s.t} of trajectory ${s.trajectory} does not exist.`);
    if (withDecisions) {
      const decision = decisionOf(trajectories[s.trajectory]!, s.t);
      if (decision.chosen < 0) {
        throw new RangeError(`toBatch: trajectory ${trajectories[s.trajectory]!.trajId} step ${s.t}: the action '${row.action}' is not among its candidates.`);
      }
      decisions.push(decision);
    }
    rows.push(row);
    rowTrajectory[i] = s.trajectory;
    rowStep[i] = s.t;
  });
  const pairs =
    collection.pairs === undefined
      ? null
      : {
          a: Int32Array.from(collection.pairs, (p) => p.a),
          b: Int32Array.from(collection.pairs, (p) => p.b),
          target: new Float64Array(collection.pairs.length),
        };
  return {
    trajectories,
    returns,
    rows,
    decisions,
    tokens: null,
    rowTrajectory,
    rowStep,
    logpOld: new Float64Array(rows.length),
    logpRef: null,
    advantage: new Float64Array(rows.length),
    estimate: null,
    pairs,
    weights: null,
  };
}

/** A trajectory's return under `rewardMode`. */
export function trainingReturn(t: CollectedTrajectory, rewardMode: TrainConfig['rewardMode']): number {
  if (rewardMode === 'success') return t.success ? 1 : 0;
  return t.steps.reduce((sum, s) => sum + s.record.reward, 0);
}

/**
 * Fills π_old (the current weights, temperature 1) and, when `reference` is given, π_ref. Replayed
 * trajectories get π_old from the current weights like every other row (ARPO: no importance
 * correction for the policy that once produced them).
 */
export function scorePolicy(batch: Batch, scorer: ActionScorer, reference: ActionScorer | null): void {
  if (batch.rows.length === 0) return;
  batch.logpOld = scorer.policyLogProbs(batch.decisions).logp;
  batch.logpRef = reference === null ? null : reference.policyLogProbs(batch.decisions).logp;
}

/** (trajectory, step) → row index, or −1 when that step is not a row of the batch. */
export function rowLookup(batch: Batch): (trajectory: number, t: number) => number {
  const byTrajectory = new Map<number, Map<number, number>>();
  for (let i = 0; i < batch.rows.length; i++) {
    const tr = batch.rowTrajectory[i] as number;
    let m = byTrajectory.get(tr);
    if (m === undefined) byTrajectory.set(tr, (m = new Map()));
    m.set(batch.rowStep[i] as number, i);
  }
  return (trajectory, t) => byTrajectory.get(trajectory)?.get(t) ?? -1;
}
