/**
 * The reward browser-v1 reports for a task's check (pure).
 *
 * - The task's raw reward is clamped to [−1, 1].
 * - Success is a raw reward of exactly 1, on the step the task ends. Partial credit (a positive
 *   reward below 1: most boxes right, the right route but not the cheapest flight) is reward,
 *   never success — BrowserGym counts any positive MiniWoB reward as success, which made wrong
 *   answers successes.
 * - With `timeDecay` on (off by default), a positive reward is scaled by
 *   `max(0, 1 − elapsed / maxTime)` as MiniWoB's `endEpisode(r, true)` does; negative rewards are
 *   not scaled. Wall-clock time is not deterministic, so decayed rewards are not either.
 * @module
 */

export interface RewardResult {
  reward: number;
  success: boolean;
  components: Record<string, number>;
}

export function clampReward(r: number): number {
  if (!Number.isFinite(r)) return 0;
  return Math.max(-1, Math.min(1, r));
}

/** MiniWoB's decay factor: 1 at the start, 0 at (and after) `maxTimeMs`. */
export function decayFactor(elapsedMs: number, maxTimeMs: number): number {
  if (!(maxTimeMs > 0)) return 1;
  return Math.max(0, 1 - Math.max(0, elapsedMs) / maxTimeMs);
}

/**
 * The step reward for a task check. `done` false gives 0. `decay` null means time decay is off.
 * Components: the task's own, plus `raw` (the undecayed reward) and, with decay, `timeFactor`.
 */
export function stepReward(check: { done: boolean; reward: number; components: Record<string, number> }, decay: { elapsedMs: number; maxTimeMs: number } | null): RewardResult {
  if (!check.done) return { reward: 0, success: false, components: { ...check.components, raw: 0 } };
  const raw = clampReward(check.reward);
  const components: Record<string, number> = { ...check.components, raw };
  let reward = raw;
  if (decay !== null) {
    const factor = decayFactor(decay.elapsedMs, decay.maxTimeMs);
    components.timeFactor = factor;
    if (raw > 0) reward = raw * factor;
  }
  return { reward, success: raw === 1, components };
}
