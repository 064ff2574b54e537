/**
 * GiGPO advantage (docs/algorithms.md, "GiGPO"; paper Eq. 3, 5, 6, 7, 8):
 *
 *   A^E  episode level: the group-normalized episode score (the GRPO term, Eq. 3);
 *   G_t  discounted step return within the trajectory (Eq. 5);
 *   S    anchor-state groups: rows of one episode group with the same anchor key (Eq. 6);
 *   A^S  step level: G normalized within its step group (Eq. 7);
 *   A    = A^E + ω·A^S (Eq. 8), the same mode at both levels.
 *
 * Singleton rules differ by level, as in verl-agent: an episode group with a single value follows
 * `singleton` (default: the raw score), a step group with a single row gets A^S = 0 in both modes.
 * When no anchor repeats, every A^S is 0 and GiGPO reduces to (row-weighted) GRPO / Dr.GRPO.
 * @module
 */
import type { StepRow } from '../rows.js';
import {
  checkAnchorKey,
  checkBoolean,
  checkEpisodeStats,
  checkInterval,
  checkMode,
  checkNonNegative,
  checkSingleton,
  withDefaults,
  type GigpoConfig,
} from './config.js';
import { buildStepGroups } from './anchor-groups.js';
import {
  episodeGroupCounts,
  episodeStatistics,
  groupMoments,
  normalizedEpisodeAdvantages,
  normalizedStepAdvantages,
  type GroupMoments,
} from './group-stats.js';
import { summarizeAdvantages, type AdvantageResult, type StepGroupStats } from './result.js';
import { indexRows } from './row-index.js';
import { discountedStepReturns } from './step-returns.js';

export const DEFAULT_GIGPO_CONFIG: Readonly<GigpoConfig> = Object.freeze({
  /** 'mean_std_norm' as the ALFWorld script and the paper's "w/ std"; WebShop's script uses 'mean_norm'. */
  mode: 'mean_std_norm',
  /** verl-agent's 1e-6, at both levels. */
  eps: 1e-6,
  /** 'rows' as verl-agent (`compute_mean_std_cross_steps=True`); 'trajectories' is paper Eq. 3. */
  episodeStats: 'rows',
  /** 'score' as verl-agent's episode term (mean 0, std 1). */
  singleton: 'score',
  /** verl-agent's 0.1; set 0 when the env already runs the `penalty` invalid-action policy. */
  invalidPenalty: 0.1,
  /** γ = 0.95 as the shipped scripts. */
  gamma: 0.95,
  /** ω = 1, "no further tuning" (paper). */
  stepWeight: 1,
  /** 'observation' as the reference (the raw current observation); 'stateKey' is a deliberate deviation. */
  anchorKey: 'observation',
  /** Off, as verl-agent's `enable_similarity=False`. */
  enableSimilarity: false,
  /** 0.95 as verl-agent's config (its Search/QA script uses 0.9). */
  similarityThreshold: 0.95,
});

/** Defaults overlaid with `options`, validated. Keys of other estimators are accepted and dropped. */
export function resolveGigpoConfig(options: Partial<GigpoConfig> = {}): GigpoConfig {
  const c = withDefaults(DEFAULT_GIGPO_CONFIG, options);
  const cfg: GigpoConfig = {
    mode: checkMode(c.mode),
    eps: checkNonNegative('eps', c.eps),
    episodeStats: checkEpisodeStats(c.episodeStats),
    singleton: checkSingleton(c.singleton),
    invalidPenalty: checkNonNegative('invalidPenalty', c.invalidPenalty),
    gamma: checkInterval('gamma', c.gamma, 0, 1),
    stepWeight: checkNonNegative('stepWeight', c.stepWeight),
    anchorKey: checkAnchorKey(c.anchorKey),
    enableSimilarity: checkBoolean('enableSimilarity', c.enableSimilarity),
    similarityThreshold: checkInterval('similarityThreshold', c.similarityThreshold, 0, 1, true),
  };
  if (cfg.enableSimilarity && cfg.anchorKey === 'stateKey') {
    throw new RangeError("enableSimilarity requires anchorKey 'observation', because state keys are hashes, not text.");
  }
  return cfg;
}

/** GiGPO advantages of a batch of step rows. */
export function gigpoAdvantages(rows: readonly StepRow[], options: Partial<GigpoConfig> = {}): AdvantageResult {
  const cfg = resolveGigpoConfig(options);
  const index = indexRows(rows);
  const n = index.n;

  const stats = episodeStatistics(index, cfg.episodeStats, cfg.invalidPenalty);
  const episodeAdvantage = normalizedEpisodeAdvantages(
    stats,
    index.rowGroup,
    index.groupIds,
    cfg.mode,
    cfg.eps,
    cfg.singleton,
  );

  const stepReturn = discountedStepReturns(index, cfg.gamma, cfg.invalidPenalty);
  const stepGroups = buildStepGroups(rows, index, cfg.anchorKey, cfg.enableSimilarity ? cfg.similarityThreshold : null);
  const stepMoments = groupMoments(stepReturn, stepGroups.rowStepGroup, stepGroups.count);
  const stepAdvantage = normalizedStepAdvantages(stepReturn, stepGroups.rowStepGroup, stepMoments, cfg.mode, cfg.eps);

  const advantage = new Float64Array(n);
  for (let i = 0; i < n; i++) advantage[i] = episodeAdvantage[i] + cfg.stepWeight * stepAdvantage[i];

  return {
    advantage,
    episodeAdvantage,
    stepAdvantage,
    anchorGroup: stepGroups.rowStepGroup,
    stepReturn,
    stats: {
      estimator: 'gigpo',
      episodeStats: cfg.episodeStats,
      rows: n,
      trajectories: index.trajIds.length,
      ...episodeGroupCounts(stats.moments),
      ...summarizeAdvantages(advantage),
      step: stepGroupStats(stepMoments),
    },
  };
}

function stepGroupStats(moments: GroupMoments): StepGroupStats {
  const stepGroups = moments.count.length;
  let rows = 0;
  let maxStepGroupSize = 0;
  let singletonStepGroups = 0;
  let zeroStdStepGroups = 0;
  for (let s = 0; s < stepGroups; s++) {
    const c = moments.count[s];
    rows += c;
    if (c > maxStepGroupSize) maxStepGroupSize = c;
    if (c === 1) singletonStepGroups++;
    else if (moments.allEqual[s] === 1) zeroStdStepGroups++;
  }
  return {
    stepGroups,
    meanStepGroupSize: stepGroups === 0 ? 0 : rows / stepGroups,
    maxStepGroupSize,
    singletonStepGroups,
    fracSingletonStepGroups: stepGroups === 0 ? 0 : singletonStepGroups / stepGroups,
    zeroStdStepGroups,
  };
}
