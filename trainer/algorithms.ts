/**
 * The algorithms the trainer runs, one entry each: how it collects an iteration's data, how it
 * estimates what the loss weighs each row by, which loss it uses, and the defaults it brings.
 * The training loop (train.ts) reads an entry and runs collect → batch → estimate → update →
 * record; nothing else in the loop depends on the algorithm's name.
 *
 * | algo   | collect                         | estimate                         | loss   |
 * |--------|---------------------------------|----------------------------------|--------|
 * | gigpo  | G tasks × N copies              | GiGPO (episode + anchor-state step terms) | PPO-clip |
 * | grpo   | G tasks × N copies              | GRPO                             | PPO-clip |
 * | rloo   | G tasks × N copies              | RLOO                             | PPO-clip |
 * | arpo   | groups + replay of stored successes into all-failure groups | GRPO or GiGPO (`arpo.estimator`) | PPO-clip, ε_high 0.3, no KL, no entropy |
 * | refuel | branched pairs from snapshots   | η·(R¹ − R²) per pair             | squared regression |
 * | sft    | — (expert demos only)           | —                                | cross-entropy |
 * @module
 */
import { DEFAULT_PPO_LOSS_CONFIG, type PpoLossConfig } from './losses/ppo.js';
import { ESTIMATORS, type AdvantageEstimatorName, type AdvantageOptions } from './advantages/index.js';
import { withReplay } from './arpo.js';
import type { Batch } from './batch.js';
import { groupCollector, type CollectStage } from './collect.js';
import type { Algo, TrainConfig } from './config.js';
import { refuelTargets } from './losses/refuel.js';
import { checkBranchable, refuelCollector } from './refuel.js';
import type { LossName } from './update.js';
import type { EnvSummary } from '../envs/core/spec.js';

/** Fills `batch.advantage` (and `batch.estimate`, or REFUEL's `batch.pairs.target`). */
export type Estimate = (batch: Batch, config: TrainConfig) => void;

export interface Algorithm {
  /** One line for docs and help. */
  readonly description: string;
  /** How an iteration's data is collected; null: no RL iterations (SFT only). */
  readonly collect: CollectStage | null;
  readonly estimate: Estimate;
  /** Which update (trainer/update.ts `UPDATES`) trains on the batch. */
  readonly loss: LossName;
  /** Advantage options this algorithm changes from the estimator's defaults. */
  readonly advantageDefaults?: AdvantageOptions;
  /** PPO loss options this algorithm changes from DEFAULT_PPO_LOSS_CONFIG. */
  readonly lossDefaults?: Partial<PpoLossConfig>;
  /** Keeps a replay buffer in the store (always, or for the configs this says); its capacity per task. */
  readonly replayBuffer?: boolean | ((config: TrainConfig) => boolean);
  readonly replayCapacity?: (config: TrainConfig) => number;
  /** Refuses, before any work, an env the algorithm cannot run on. */
  readonly check?: (env: EnvSummary, config: TrainConfig) => void;
}

/** An estimator by name over the batch's rows. */
function estimator(name: (config: TrainConfig) => AdvantageEstimatorName): Estimate {
  return (batch, config) => {
    const result = ESTIMATORS[name(config)](batch.rows, advantageOptions(config));
    batch.advantage = result.advantage;
    batch.estimate = result;
  };
}

/** REFUEL's regression targets η·(R¹ − R²), and ±target as the rows' recorded advantage. */
const refuelEstimate: Estimate = (batch, config) => {
  const pairs = batch.pairs;
  if (pairs === null) throw new RangeError('REFUEL: the batch has no pairs.');
  const ret = (row: number) => batch.returns[batch.rowTrajectory[row] as number] as number;
  pairs.target = refuelTargets(Array.from(pairs.a, ret), Array.from(pairs.b, ret), config.refuel.eta);
  for (let p = 0; p < pairs.target.length; p++) {
    batch.advantage[pairs.a[p] as number] = pairs.target[p] as number;
    batch.advantage[pairs.b[p] as number] = -(pairs.target[p] as number);
  }
};

const noEstimate: Estimate = () => undefined;

export const ALGORITHMS = {
  gigpo: { description: 'GiGPO: GRPO episode term + anchor-state step term', collect: groupCollector, estimate: estimator(() => 'gigpo'), loss: 'ppo' },
  grpo: { description: 'GRPO: group-normalised episode returns', collect: groupCollector, estimate: estimator(() => 'grpo'), loss: 'ppo' },
  rloo: { description: 'RLOO: leave-one-out baseline', collect: groupCollector, estimate: estimator(() => 'rloo'), loss: 'ppo' },
  arpo: {
    description: 'ARPO: GRPO (or GiGPO) with a per-task replay of successes into all-failure groups',
    collect: withReplay(groupCollector),
    estimate: estimator((config) => config.arpo.estimator),
    loss: 'ppo',
    advantageDefaults: { episodeStats: 'trajectories' },
    lossDefaults: { clipHigh: 0.3, klCoef: 0, entropyCoef: 0 },
    replayBuffer: true,
    replayCapacity: (config) => config.arpo.capacity,
  },
  refuel: {
    description: 'REFUEL: regress turn-h log-ratio gaps of branched pairs onto η·ΔR',
    collect: refuelCollector,
    estimate: refuelEstimate,
    loss: 'refuel',
    check: (env) => checkBranchable(env),
    // the success branch rolls in from the run's own stored successes
    replayBuffer: (config) => config.refuel.branch === 'success',
    replayCapacity: (config) => config.refuel.capacity,
  },
  sft: { description: 'SFT only: cross-entropy on expert demonstrations, no RL', collect: null, estimate: noEstimate, loss: 'ppo' },
} as const satisfies Record<Algo, Algorithm>;

/** The advantage options the estimator gets: the algorithm's defaults, overlaid with the config's. */
export function advantageOptions(config: TrainConfig): AdvantageOptions {
  const algorithm: Algorithm = ALGORITHMS[config.algo];
  return { ...(algorithm.advantageDefaults ?? {}), ...config.advantage };
}

/** The PPO loss options: DEFAULT_PPO_LOSS_CONFIG, the algorithm's defaults, then the config's. */
export function lossOptions(config: TrainConfig): PpoLossConfig {
  const algorithm: Algorithm = ALGORITHMS[config.algo];
  return { ...DEFAULT_PPO_LOSS_CONFIG, ...(algorithm.lossDefaults ?? {}), ...config.loss };
}
