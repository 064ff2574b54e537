/**
 * The invalid-action policy's options, checked once for both wrappers that apply it.
 * @module
 */
import type { InvalidActionPolicy } from './types.js';

/** Throws a RangeError naming the bad value unless `policy` is known and `penalty` a finite number >= 0. */
export function checkInvalidActionPolicy(policy: InvalidActionPolicy, penalty: number): void {
  if (!['noop', 'penalty', 'terminate'].includes(policy)) {
    throw new RangeError(`invalidActionPolicy must be 'noop', 'penalty' or 'terminate', got ${JSON.stringify(policy)}`);
  }
  if (!Number.isFinite(penalty) || penalty < 0) throw new RangeError(`invalidActionPenalty must be a finite number >= 0, got ${penalty}`);
}
