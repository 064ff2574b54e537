/**
 * The trainer's one metric naming scheme: `<section>/<snake_case name>`, as CleanRL's TensorBoard
 * keys. Sections:
 *
 * | section      | what                                                                          |
 * |--------------|-------------------------------------------------------------------------------|
 * | `charts/`    | how the run is doing: success rate, mean return and length of the iteration's episodes, env steps so far (the x-axis of learning curves), rollout speed |
 * | `losses/`    | the update: total loss, policy loss, KL, entropy, clip fraction, approx KL, gradient norm, REFUEL's residual |
 * | `rollout/`   | the collected groups: invalid-action rate, retried groups, all-failure and all-success groups |
 * | `advantage/` | the estimator's statistics (group counts, step groups, advantage spread)        |
 * | `arpo/`      | the replay buffer: groups injected, successes stored                            |
 * | `refuel/`    | branched pairs: kept, dropped (same turn-h action), mean |ΔR|                   |
 * | `eval/<split>/` | periodic evaluation: success rate, loop rate                                 |
 * | `time/`      | wall time of the iteration and its stages, update throughput (rows/s; tokens/s for the LM) |
 * | `lm/`        | a language-model policy: tokens trained on, mean completion tokens, share of prompts cut from the front |
 *
 * The store keeps a few of these in typed columns (replay/codec.ts maps `charts/success_rate` to
 * `success_rate`, and so on); every one is kept in the iteration's metrics JSON.
 * @module
 */
import type { AdvantageStats } from './advantages/index.js';
import type { Batch, Collection } from './batch.js';

export const METRIC = {
  successRate: 'charts/success_rate',
  meanReturn: 'charts/mean_return',
  meanLength: 'charts/mean_length',
  envSteps: 'charts/env_steps',
  stepsPerSecond: 'charts/steps_per_second',
  loss: 'losses/loss',
  policyLoss: 'losses/policy_loss',
  kl: 'losses/kl',
  entropy: 'losses/entropy',
  /** Share of the rows left out of the PPO loss (`skipGroups`). */
  skippedRows: 'losses/skipped_rows',
  clipFraction: 'losses/clipfrac',
  approxKl: 'losses/approx_kl',
  gradNorm: 'losses/grad_norm',
  refuelResidual: 'losses/refuel_residual',
  invalidRate: 'rollout/invalid_rate',
  retriedGroups: 'rollout/retried_groups',
  allFailGroups: 'rollout/all_fail_groups',
  allSuccessGroups: 'rollout/all_success_groups',
  arpoInjected: 'arpo/injected_groups',
  arpoStored: 'arpo/stored',
  selectedTasks: 'select/tasks_kept',
  selectionEnvSteps: 'select/env_steps',
  refuelPairs: 'refuel/pairs',
  refuelDropped: 'refuel/dropped_identical',
  refuelMeanAbsReturnGap: 'refuel/mean_abs_return_gap',
  /** Share of all branched pairs (kept or dropped) whose two returns differ. */
  refuelDiffering: 'refuel/differing_share',
  /** `branch: success`: share of pairs whose roll-in replayed a stored success, and successes stored this iteration. */
  refuelReplayed: 'refuel/replayed_rollins',
  refuelStored: 'refuel/stored',
  iterationMs: 'time/iteration_ms',
  collectMs: 'time/collect_ms',
  updateMs: 'time/update_ms',
  updateRowsPerSecond: 'time/update_rows_per_second',
  updateTokensPerSecond: 'time/update_tokens_per_second',
  trainedTokens: 'lm/trained_tokens',
  completionTokens: 'lm/completion_tokens',
  cutPromptRate: 'lm/cut_prompt_rate',
} as const;

/** `eval/<split>/success_rate` and friends. */
export function evalMetric(split: string, name: 'success_rate' | 'loop_rate' | 'mean_length' | 'invalid_rate'): string {
  return `eval/${split}/${name}`;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return xs.length === 0 ? 0 : s / xs.length;
}

/**
 * What the iteration's episodes say: success, return, length, invalid actions, and the share of
 * groups whose trajectories all failed / all succeeded. Replayed trajectories (ARPO) are left out:
 * they say nothing about the current policy.
 */
export function rolloutMetrics(batch: Batch, collection: Collection): Record<string, number> {
  const fresh = batch.trajectories.map((t, i) => ({ t, i })).filter(({ t }) => t.replayed !== true);
  const byGroup = new Map<string, boolean[]>();
  for (const { t } of fresh) {
    const list = byGroup.get(t.groupId) ?? [];
    list.push(t.success);
    byGroup.set(t.groupId, list);
  }
  const groups = [...byGroup.values()];
  const steps = fresh.reduce((n, { t }) => n + t.steps.length, 0);
  const invalid = fresh.reduce((n, { t }) => n + t.steps.filter((s) => s.record.invalid).length, 0);
  return {
    [METRIC.successRate]: mean(fresh.map(({ t }) => (t.success ? 1 : 0))),
    [METRIC.meanReturn]: mean(fresh.map(({ i }) => batch.returns[i] as number)),
    [METRIC.meanLength]: mean(fresh.map(({ t }) => t.steps.length)),
    [METRIC.stepsPerSecond]: collection.ms > 0 ? collection.envSteps / (collection.ms / 1000) : 0,
    [METRIC.invalidRate]: steps === 0 ? 0 : invalid / steps,
    [METRIC.allFailGroups]: groups.length === 0 ? 0 : groups.filter((g) => g.every((s) => !s)).length / groups.length,
    [METRIC.allSuccessGroups]: groups.length === 0 ? 0 : groups.filter((g) => g.every((s) => s)).length / groups.length,
    [METRIC.collectMs]: collection.ms,
    ...collection.metrics,
  };
}

/** The estimator's statistics as `advantage/...` metrics (numbers only, nested objects flattened, snake_case). */
export function advantageMetrics(stats: AdvantageStats | null): Record<string, number> {
  return stats === null ? {} : numericStats('advantage', stats as unknown as Record<string, unknown>);
}

function numericStats(prefix: string, stats: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats)) {
    const key = `${prefix}/${snakeCase(k)}`;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (v !== null && typeof v === 'object') Object.assign(out, numericStats(key, v as Record<string, unknown>));
  }
  return out;
}

/** `stepGroups` → `step_groups`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
