/**
 * Advantage estimators: pure functions from step rows to per-row advantages.
 *
 * The training loop picks one by name and passes one options bag:
 *
 * @example
 * const result = ESTIMATORS[config.estimator](rows, config.advantage);
 * // result.advantage[i] is the advantage of rows[i]; result.stats goes to the metric sink.
 * @module
 */
import type { AdvantageEstimatorName } from './config.js';
import { gigpoAdvantages } from './gigpo.js';
import { grpoAdvantages } from './grpo.js';
import type { AdvantageFn } from './result.js';
import { rlooAdvantages } from './rloo.js';

export const ESTIMATORS = {
  grpo: grpoAdvantages,
  rloo: rlooAdvantages,
  gigpo: gigpoAdvantages,
} satisfies Record<AdvantageEstimatorName, AdvantageFn>;

/** The estimator names, for option validation and CLI help. */
export const ESTIMATOR_NAMES = Object.keys(ESTIMATORS) as AdvantageEstimatorName[];

export type {
  AdvantageEstimatorName,
  AdvantageOptions,
  AnchorKey,
  EpisodeStats,
  GigpoConfig,
  GrpoConfig,
  NormMode,
  RlooConfig,
  SingletonRule,
} from './config.js';
export { ADVANTAGE_OPTION_KEYS } from './config.js';
export type { AdvantageFn, AdvantageResult, AdvantageStats, StepGroupStats } from './result.js';
export { DEFAULT_GIGPO_CONFIG, gigpoAdvantages, resolveGigpoConfig } from './gigpo.js';
export { DEFAULT_GRPO_CONFIG, grpoAdvantages, resolveGrpoConfig } from './grpo.js';
export { DEFAULT_RLOO_CONFIG, resolveRlooConfig, rlooAdvantages } from './rloo.js';
export { buildStepGroups, type StepGroups } from './anchor-groups.js';
export { discountedStepReturns } from './step-returns.js';
export { groupMoments, type GroupMoments } from './group-stats.js';
export { indexRows, type RowIndex } from './row-index.js';
export { lcsLength, similarityRatio } from './similarity.js';
