/**
 * Step rows: the unit of training data between rollout collection and the advantage estimators.
 *
 * One row per env step, as in verl-agent's multi-turn layout: a trajectory of L steps gives L rows,
 * all stamped with the same `groupId` (the G×N block of copies started from one task and seed) and
 * `trajId`, and all carrying the trajectory's `episodeReturn`. Rows are plain data (JSON-safe), so
 * the same values go to the loss, the SQLite store and the viewer unchanged.
 *
 * Order: estimators accept rows in any order (they index by `trajId` and `t`). Where an order
 * matters (the GiGPO similarity clustering is first-fit), it is input order, so the collector
 * should emit rows trajectory by trajectory, each in step order — what {@link trajectoryRows} gives.
 * @module
 */

/** One env step of one trajectory. */
export interface StepRow {
  /** The episode group: every copy started from the same task and seed in this iteration. */
  groupId: string;
  /** Unique per trajectory within the batch. A trajectory belongs to exactly one group. */
  trajId: string;
  /** Step index within the trajectory: 0 for the action taken on the reset observation. */
  t: number;
  /** GiGPO anchor key: the raw current observation text (`Observation.anchor`), without history. */
  anchor: string;
  /** A hash of the true env state (`info.stateKey`), for the state-key anchor ablation. */
  stateKey: string;
  /** The action the policy took (the env's canonical form where it rewrote an alias). */
  action: string;
  /** The admissible actions the policy chose from (the softmax support). */
  candidates: string[];
  /** log π_old(action | state), recorded at or right after sampling. */
  logpOld: number;
  /** The immediate env reward of this step. */
  reward: number;
  /** R(τ) = Σ_t reward_t of the whole trajectory, repeated on every row of it. */
  episodeReturn: number;
  /** The env did not accept the action (`info.invalid` was set). */
  invalid: boolean;
  /** This is the trajectory's last row (terminated or truncated). */
  done: boolean;
  /** Multi-agent rollouts: the seat that acted (absent for single-agent envs). */
  seat?: number;
}

/** What the collector knows about a step when it happens; the rest is stamped at episode end. */
export type StepRecord = Omit<StepRow, 'groupId' | 'trajId' | 't' | 'episodeReturn' | 'done' | 'seat'>;

/**
 * Turns one finished trajectory's steps (in order) into rows: stamps `groupId`, `trajId`,
 * `t` = position, `episodeReturn` = the sum of the steps' rewards, `done` on the last row, and the
 * seat when a multi-agent collector gives one.
 */
export function trajectoryRows(groupId: string, trajId: string, steps: readonly StepRecord[], seat?: number): StepRow[] {
  let episodeReturn = 0;
  for (const s of steps) episodeReturn += s.reward;
  return steps.map((s, t) => ({ ...s, groupId, trajId, t, episodeReturn, done: t === steps.length - 1, ...(seat === undefined ? {} : { seat }) }));
}
