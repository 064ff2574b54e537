/**
 * Typed errors of the LSPO pipeline, with stable codes and messages that say what to do.
 * @module
 */
import { LudusError } from '../../envs/core/errors.js';

export type LspoErrorCode =
  /** An LSPO option is out of range or unknown. */
  | 'LSPO_CONFIG_INVALID'
  /** No LSPO domain (speech turns, roles, abstracted game) is defined for this env. */
  | 'LSPO_ENV_UNSUPPORTED'
  /** Self-play produced no speech turns to build a latent space from. */
  | 'LSPO_NO_SPEECH';

export class LspoError extends LudusError<LspoErrorCode> {}
