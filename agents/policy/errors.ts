/**
 * Typed errors of the tfjs policy, with stable codes and messages that say what to do.
 * @module
 */

import { LudusError } from '../../envs/core/errors.js';

export type PolicyErrorCode =
  /** A forced tfjs backend could not be loaded (not installed, or its native part does not load). */
  | 'BACKEND_UNAVAILABLE'
  /** No accelerated backend loaded and the slow pure-JS cpu backend was not allowed. */
  | 'BACKEND_CPU_NOT_ALLOWED'
  /** A tensor op was called before `selectBackend()`. */
  | 'BACKEND_NOT_SELECTED'
  /** A config value is out of range. */
  | 'POLICY_CONFIG_INVALID'
  /** A policy input is malformed (no candidates, chosen index out of range, ...). */
  | 'POLICY_INPUT_INVALID'
  /** A checkpoint directory is missing files or does not match the model. */
  | 'CHECKPOINT_INVALID';

export class PolicyError extends LudusError<PolicyErrorCode> {}
