/**
 * Typed errors of the language-model policy, with stable codes and messages that say what to do.
 * @module
 */
import { LudusError } from '../../envs/core/errors.js';

export type LmErrorCode =
  /** A model or tokenizer config value is out of range. */
  | 'LM_CONFIG_INVALID'
  /** An input the model cannot take (a token id outside the vocabulary, an empty batch, ...). */
  | 'LM_INPUT_INVALID'
  /** A checkpoint folder is missing files, has damaged ones, or its weights do not fit its config. */
  | 'LM_CHECKPOINT_INVALID'
  /** A checkpoint's tokenizer does not belong to its weights (their vocabulary sizes differ). */
  | 'LM_TOKENIZER_MISMATCH';

export class LmError extends LudusError<LmErrorCode> {}
