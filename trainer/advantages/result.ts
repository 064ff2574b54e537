/**
 * What every advantage estimator returns: per-row arrays (index i belongs to `rows[i]`) and summary
 * statistics the training loop logs. Nothing here prints; the loop owns the metric sink.
 * @module
 */
import type { StepRow } from '../rows.js';
import type { AdvantageEstimatorName, AdvantageOptions, EpisodeStats } from './config.js';
import { episodeGroupCounts, type EpisodeStatistics } from './group-stats.js';
import type { RowIndex } from './row-index.js';

/** Step-level (anchor-state) group statistics of one GiGPO call. */
export interface StepGroupStats {
  /** Number of step groups (buckets) over all episode groups. */
  stepGroups: number;
  /** Rows per step group, averaged over step groups. */
  meanStepGroupSize: number;
  /** Largest step group (can exceed N: revisits within a trajectory pool together). */
  maxStepGroupSize: number;
  /** Step groups with one row: their step advantage is 0. */
  singletonStepGroups: number;
  /** singletonStepGroups / stepGroups (the paper's Fig. 5 reports it below 0.35 on ALFWorld). */
  fracSingletonStepGroups: number;
  /** Step groups of ≥ 2 rows whose step returns are all identical: step advantage 0. */
  zeroStdStepGroups: number;
}

/** Summary numbers for one estimator call. Fractions are 0 when their denominator is 0. */
export interface AdvantageStats {
  estimator: AdvantageEstimatorName;
  /** Which statistic unit the episode level used. */
  episodeStats: EpisodeStats;
  rows: number;
  trajectories: number;
  /** Episode groups. */
  groups: number;
  /** Episode groups with one statistic value (one row, or one trajectory): the singleton rule applied. */
  singletonGroups: number;
  /** Episode groups with ≥ 2 statistic values, all identical: no episode-level signal. */
  zeroStdGroups: number;
  /** zeroStdGroups / groups (TRL's `frac_reward_zero_std`). */
  fracZeroStdGroups: number;
  /** Mean of the final advantage over rows. */
  advantageMean: number;
  /** Population std of the final advantage over rows. */
  advantageStd: number;
  advantageMin: number;
  advantageMax: number;
  /** GiGPO only; null for the other estimators. */
  step: StepGroupStats | null;
}

/**
 * Per-row advantages. Non-GiGPO estimators have no step level: for them `episodeAdvantage` equals
 * `advantage`, `stepAdvantage` is all 0, `anchorGroup` is all −1 and `stepReturn` is null.
 */
export interface AdvantageResult {
  /** The advantage the loss uses: A^E + ω·A^S for GiGPO, the group-relative score otherwise. */
  advantage: Float64Array;
  /** The episode-level (group-relative) term A^E. */
  episodeAdvantage: Float64Array;
  /** The step-level term A^S before the ω weighting (0 for non-GiGPO estimators). */
  stepAdvantage: Float64Array;
  /** Id of the step group the row fell into, unique within this call (−1 for non-GiGPO estimators). */
  anchorGroup: Int32Array;
  /** GiGPO's discounted step return G_t after the invalid-row penalty; null for the others. */
  stepReturn: Float64Array | null;
  stats: AdvantageStats;
}

/** An estimator: rows in, per-row advantages out. Pure; throws `RangeError` on bad rows or options. */
export type AdvantageFn = (rows: readonly StepRow[], options?: AdvantageOptions) => AdvantageResult;

/** Mean, population std, min and max of the final advantages (all 0 for no rows). */
export function summarizeAdvantages(
  advantage: Float64Array,
): Pick<AdvantageStats, 'advantageMean' | 'advantageStd' | 'advantageMin' | 'advantageMax'> {
  const n = advantage.length;
  if (n === 0) return { advantageMean: 0, advantageStd: 0, advantageMin: 0, advantageMax: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = advantage[i];
    sum += a;
    if (a < min) min = a;
    if (a > max) max = a;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (advantage[i] - mean) ** 2;
  return { advantageMean: mean, advantageStd: Math.sqrt(ss / n), advantageMin: min, advantageMax: max };
}

/** The result of an estimator without a step level (GRPO, RLOO). */
export function episodeOnlyResult(
  estimator: AdvantageEstimatorName,
  index: RowIndex,
  stats: EpisodeStatistics,
  episodeAdvantage: Float64Array,
): AdvantageResult {
  const advantage = episodeAdvantage.slice();
  return {
    advantage,
    episodeAdvantage,
    stepAdvantage: new Float64Array(index.n),
    anchorGroup: new Int32Array(index.n).fill(-1),
    stepReturn: null,
    stats: {
      estimator,
      episodeStats: stats.unit,
      rows: index.n,
      trajectories: index.trajIds.length,
      ...episodeGroupCounts(stats.moments),
      ...summarizeAdvantages(advantage),
      step: null,
    },
  };
}
