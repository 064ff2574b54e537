/**
 * The trainer's typed errors: a `LudusError` with the trainer's own codes and messages that say
 * what to do. Nothing here crosses the env protocol, so the codes are not in the core union.
 * @module
 */
import { LudusError } from '../envs/core/errors.js';

export type TrainerErrorCode =
  /** A loss (or a REFUEL regression residual) became NaN or infinite. */
  | 'TRAINING_DIVERGED'
  /** `--resume` (or `ludus eval`) found no usable checkpoint. */
  | 'CHECKPOINT_NOT_FOUND'
  /** The algorithm needs something the env cannot do (REFUEL: fork an episode from a snapshot). */
  | 'ENV_CAPABILITY_MISSING'
  /** Task selection (`selectTasks`) found no task the starting policy can solve. */
  | 'NO_TASKS_SELECTED'
  /** `--league` on an env (or a policy, or an algorithm) that has no opponents to draw: a league is for multi-agent envs. */
  | 'LEAGUE_NEEDS_MULTI_AGENT';

export class TrainerError extends LudusError<TrainerErrorCode> {}
