/**
 * RLOO advantage (docs/algorithms.md, "Baselines"): A_i = R_i − mean of the group's other values, no std
 * normalization. With the defaults the leave-one-out runs over step rows, as verl-agent computes it
 * (N/(N−1)·(score − mean) over the rows of a group). This module only produces advantages; ludus
 * feeds them to the same PPO-clip + KL loss as GRPO/GiGPO (verl-agent's choice), not to plain
 * REINFORCE as in the original RLOO paper.
 * @module
 */
import type { StepRow } from '../rows.js';
import { checkEpisodeStats, checkNonNegative, checkSingleton, withDefaults, type RlooConfig } from './config.js';
import { episodeStatistics, leaveOneOutEpisodeAdvantages } from './group-stats.js';
import { episodeOnlyResult, type AdvantageResult } from './result.js';
import { indexRows } from './row-index.js';

export const DEFAULT_RLOO_CONFIG: Readonly<RlooConfig> = Object.freeze({
  /** 'rows' as verl-agent; 'trajectories' is one value per trajectory, as EasyR1's (sum − r_i)/(N − 1). */
  episodeStats: 'rows',
  /** 'score': a lone value has no baseline, so A = R (docs/algorithms.md, "Singleton groups"). */
  singleton: 'score',
  /** verl-agent's 0.1; set 0 when the env already runs the `penalty` invalid-action policy. */
  invalidPenalty: 0.1,
});

/** Defaults overlaid with `options`, validated. Keys of other estimators are accepted and dropped. */
export function resolveRlooConfig(options: Partial<RlooConfig> = {}): RlooConfig {
  const c = withDefaults(DEFAULT_RLOO_CONFIG, options);
  return {
    episodeStats: checkEpisodeStats(c.episodeStats),
    singleton: checkSingleton(c.singleton),
    invalidPenalty: checkNonNegative('invalidPenalty', c.invalidPenalty),
  };
}

/** RLOO advantages of a batch of step rows. Non-GiGPO conventions: see {@link AdvantageResult}. */
export function rlooAdvantages(rows: readonly StepRow[], options: Partial<RlooConfig> = {}): AdvantageResult {
  const cfg = resolveRlooConfig(options);
  const index = indexRows(rows);
  const stats = episodeStatistics(index, cfg.episodeStats, cfg.invalidPenalty);
  const episodeAdvantage = leaveOneOutEpisodeAdvantages(stats, index.rowGroup, index.groupIds, cfg.singleton);
  return episodeOnlyResult('rloo', index, stats, episodeAdvantage);
}
