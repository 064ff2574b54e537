/**
 * Typed errors of the LLM agent, with stable codes and messages that say what to do.
 * @module
 */
import { LudusError } from '../../envs/core/errors.js';

export type LlmErrorCode =
  /** The endpoint answered with an error status after the retries (4xx other than 408/409/429, or 5xx/429 every time). */
  | 'LLM_REQUEST_FAILED'
  /** No answer within the per-request timeout, every attempt. */
  | 'LLM_TIMEOUT'
  /** The endpoint could not be reached (connection refused, DNS, reset), every attempt. */
  | 'LLM_UNREACHABLE'
  /** The answer was not a chat completion (no choices, no message). */
  | 'LLM_BAD_RESPONSE'
  /** An `llm:<model>@<url>` agent name that does not parse. */
  | 'LLM_AGENT_NAME_INVALID';

export class LlmError extends LudusError<LlmErrorCode> {}
