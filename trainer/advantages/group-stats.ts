/**
 * Group statistics and the group-relative scalings every estimator is built from.
 *
 * Conventions (docs/algorithms.md, "Statistics" and "Singleton groups"): float64 throughout; the std is the unbiased one (divisor
 * n − 1, as torch.std); `eps` is added to the std, never to the variance; a group whose values are
 * all identical is special-cased (mean := that value exactly, no division), so float rounding of a
 * mean can never turn a constant group into O(1) noise; the singleton rule is a parameter because
 * the upstream estimators disagree on it.
 * @module
 */
import type { EpisodeStats, NormMode, SingletonRule } from './config.js';
import { episodeScores, type RowIndex } from './row-index.js';

/** Per-group moments of a set of values. Index = group. */
export interface GroupMoments {
  /** Number of values in the group. */
  count: Int32Array;
  sum: Float64Array;
  /** sum / count; for an all-equal group, exactly the common value. */
  mean: Float64Array;
  /** Unbiased std (n − 1); 0 for singletons and all-equal groups. */
  std: Float64Array;
  /** 1 if every value of the group is identical (singletons included). */
  allEqual: Uint8Array;
}

/**
 * Mean, unbiased std and the all-equal flag of `values` bucketed by `groupOf` (two passes: sums,
 * then squared deviations from the mean, which is more accurate than Σx² − n·mean²).
 */
export function groupMoments(values: ArrayLike<number>, groupOf: ArrayLike<number>, groupCount: number): GroupMoments {
  const count = new Int32Array(groupCount);
  const sum = new Float64Array(groupCount);
  const mean = new Float64Array(groupCount);
  const std = new Float64Array(groupCount);
  const allEqual = new Uint8Array(groupCount).fill(1);
  const first = new Float64Array(groupCount);
  const n = values.length;

  for (let i = 0; i < n; i++) {
    const g = groupOf[i];
    const x = values[i];
    if (count[g] === 0) first[g] = x;
    else if (x !== first[g]) allEqual[g] = 0;
    count[g]++;
    sum[g] += x;
  }
  for (let g = 0; g < groupCount; g++) mean[g] = allEqual[g] === 1 ? first[g] : sum[g] / count[g];

  const squares = new Float64Array(groupCount);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i];
    if (allEqual[g] === 1) continue;
    const d = values[i] - mean[g];
    squares[g] += d * d;
  }
  for (let g = 0; g < groupCount; g++) {
    if (allEqual[g] === 0) std[g] = Math.sqrt(squares[g] / (count[g] - 1));
  }
  return { count, sum, mean, std, allEqual };
}

/** The inputs of the episode level: what each row is scored with and what the groups' statistics are over. */
export interface EpisodeStatistics {
  /** Per row: episodeReturn, minus the invalid penalty on invalid rows. The value being scaled. */
  score: Float64Array;
  /** Per row: the value this row's unit contributed to its group's statistics (its score, or its trajectory's return). */
  own: Float64Array;
  /** Per group, over the statistic values. */
  moments: GroupMoments;
  /** The statistic unit. */
  unit: EpisodeStats;
}

/**
 * Builds the episode statistics. `rows`: over all step rows of each group, each row contributing its
 * own score (verl-agent). `trajectories`: over one value per trajectory, its `episodeReturn`
 * (paper Eq. 3); the invalid penalty then only enters the scored value, not the statistics.
 */
export function episodeStatistics(
  index: RowIndex,
  unit: EpisodeStats,
  invalidPenalty: number,
): EpisodeStatistics {
  const score = episodeScores(index, invalidPenalty);
  const groupCount = index.groupIds.length;
  if (unit === 'rows') {
    return { score, own: score, moments: groupMoments(score, index.rowGroup, groupCount), unit };
  }
  const own = new Float64Array(index.n);
  for (let i = 0; i < index.n; i++) own[i] = index.trajReturn[index.rowTraj[i]];
  return { score, own, moments: groupMoments(index.trajReturn, index.trajGroup, groupCount), unit };
}

/** Throws if the rule is `throw` and some group has a single statistic value. */
function enforceSingletonRule(stats: EpisodeStatistics, groupIds: readonly string[], rule: SingletonRule): void {
  if (rule !== 'throw') return;
  const { count } = stats.moments;
  for (let g = 0; g < count.length; g++) {
    if (count[g] === 1) {
      const unit = stats.unit === 'rows' ? 'row' : 'trajectory';
      throw new RangeError(`Group '${groupIds[g]}' has a single ${unit}; singleton 'throw' needs at least two per group.`);
    }
  }
}

/**
 * Group-normalized episode advantage (GRPO; GiGPO Eq. 3): (score − mean) / (std + eps) in
 * `mean_std_norm`, score − mean in `mean_norm`. Singleton groups follow `singleton`; all-equal
 * groups give score − mean without division (exactly 0 unless the row carries an invalid penalty
 * that the statistics did not, which only happens in `trajectories` mode).
 */
export function normalizedEpisodeAdvantages(
  stats: EpisodeStatistics,
  rowGroup: Int32Array,
  groupIds: readonly string[],
  mode: NormMode,
  eps: number,
  singleton: SingletonRule,
): Float64Array {
  enforceSingletonRule(stats, groupIds, singleton);
  const { score } = stats;
  const { count, mean, std, allEqual } = stats.moments;
  const out = new Float64Array(score.length);
  const divide = mode === 'mean_std_norm';
  for (let i = 0; i < score.length; i++) {
    const g = rowGroup[i];
    if (count[g] === 1) out[i] = singleton === 'score' ? score[i] : 0;
    else if (allEqual[g] === 1 || !divide) out[i] = score[i] - mean[g];
    else out[i] = (score[i] - mean[g]) / (std[g] + eps);
  }
  return out;
}

/**
 * Leave-one-out episode advantage (RLOO): score − (sum − own) / (count − 1), i.e. the row's score
 * minus the mean of the group's other statistic values. Equal to count/(count−1)·(score − mean) in
 * `rows` mode (verl-agent's form). Singleton groups follow `singleton`; all-equal groups give
 * score − the common value.
 */
export function leaveOneOutEpisodeAdvantages(
  stats: EpisodeStatistics,
  rowGroup: Int32Array,
  groupIds: readonly string[],
  singleton: SingletonRule,
): Float64Array {
  enforceSingletonRule(stats, groupIds, singleton);
  const { score, own } = stats;
  const { count, sum, mean, allEqual } = stats.moments;
  const out = new Float64Array(score.length);
  for (let i = 0; i < score.length; i++) {
    const g = rowGroup[i];
    const c = count[g];
    if (c === 1) out[i] = singleton === 'score' ? score[i] : 0;
    else if (allEqual[g] === 1) out[i] = score[i] - mean[g];
    else out[i] = score[i] - (sum[g] - own[i]) / (c - 1);
  }
  return out;
}

/**
 * Step-level advantage within anchor-state groups (GiGPO Eq. 7): (G − mean_S) / (std_S + eps) or
 * G − mean_S. A singleton or all-equal step group gives 0 in both modes.
 */
export function normalizedStepAdvantages(
  stepReturn: Float64Array,
  rowStepGroup: Int32Array,
  moments: GroupMoments,
  mode: NormMode,
  eps: number,
): Float64Array {
  const { count, mean, std, allEqual } = moments;
  const out = new Float64Array(stepReturn.length);
  const divide = mode === 'mean_std_norm';
  for (let i = 0; i < stepReturn.length; i++) {
    const s = rowStepGroup[i];
    if (count[s] === 1 || allEqual[s] === 1) continue;
    const d = stepReturn[i] - mean[s];
    out[i] = divide ? d / (std[s] + eps) : d;
  }
  return out;
}

/** Episode-group counts for {@link AdvantageStats}. */
export function episodeGroupCounts(moments: GroupMoments): {
  groups: number;
  singletonGroups: number;
  zeroStdGroups: number;
  fracZeroStdGroups: number;
} {
  const groups = moments.count.length;
  let singletonGroups = 0;
  let zeroStdGroups = 0;
  for (let g = 0; g < groups; g++) {
    if (moments.count[g] === 1) singletonGroups++;
    else if (moments.allEqual[g] === 1) zeroStdGroups++;
  }
  return { groups, singletonGroups, zeroStdGroups, fracZeroStdGroups: groups === 0 ? 0 : zeroStdGroups / groups };
}
