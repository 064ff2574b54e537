/**
 * GRPO advantage (docs/algorithms.md, "Baselines"): A = (score − mean_g) / (std_g + eps) with the unbiased std, or
 * A = score − mean_g for Dr.GRPO (`mode: 'mean_norm'`). Every row of a trajectory gets its
 * trajectory's value (minus the invalid penalty on invalid rows). With the defaults this is exactly
 * verl-agent's multi-turn GRPO, i.e. GiGPO's episode term without the step term.
 * @module
 */
import type { StepRow } from '../rows.js';
import {
  checkEpisodeStats,
  checkMode,
  checkNonNegative,
  checkSingleton,
  withDefaults,
  type GrpoConfig,
} from './config.js';
import { episodeStatistics, normalizedEpisodeAdvantages } from './group-stats.js';
import { episodeOnlyResult, type AdvantageResult } from './result.js';
import { indexRows } from './row-index.js';

export const DEFAULT_GRPO_CONFIG: Readonly<GrpoConfig> = Object.freeze({
  /** 'mean_std_norm' as GRPO/verl-agent; 'mean_norm' is Dr.GRPO (`norm_adv_by_std_in_grpo=False`). */
  mode: 'mean_std_norm',
  /** verl's 1e-6 (TRL uses 1e-4, CleanRL 1e-8). */
  eps: 1e-6,
  /** 'rows' as verl-agent (statistics over step rows); 'trajectories' as the original one-row-per-output GRPO. */
  episodeStats: 'rows',
  /** 'score' as verl-agent (mean 0, std 1); 'throw' reproduces EasyR1/ARPO's assertion. */
  singleton: 'score',
  /** verl-agent's 0.1; set 0 when the env already runs the `penalty` invalid-action policy. */
  invalidPenalty: 0.1,
});

/** Defaults overlaid with `options`, validated. Keys of other estimators are accepted and dropped. */
export function resolveGrpoConfig(options: Partial<GrpoConfig> = {}): GrpoConfig {
  const c = withDefaults(DEFAULT_GRPO_CONFIG, options);
  return {
    mode: checkMode(c.mode),
    eps: checkNonNegative('eps', c.eps),
    episodeStats: checkEpisodeStats(c.episodeStats),
    singleton: checkSingleton(c.singleton),
    invalidPenalty: checkNonNegative('invalidPenalty', c.invalidPenalty),
  };
}

/** GRPO / Dr.GRPO advantages of a batch of step rows. Non-GiGPO conventions: see {@link AdvantageResult}. */
export function grpoAdvantages(rows: readonly StepRow[], options: Partial<GrpoConfig> = {}): AdvantageResult {
  const cfg = resolveGrpoConfig(options);
  const index = indexRows(rows);
  const stats = episodeStatistics(index, cfg.episodeStats, cfg.invalidPenalty);
  const episodeAdvantage = normalizedEpisodeAdvantages(
    stats,
    index.rowGroup,
    index.groupIds,
    cfg.mode,
    cfg.eps,
    cfg.singleton,
  );
  return episodeOnlyResult('grpo', index, stats, episodeAdvantage);
}
