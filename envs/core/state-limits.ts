/**
 * Limits every restore state must respect before any env sees it: nesting depth and size. A state
 * nested thousands of levels deep would otherwise overflow the stack of whatever walks it (a
 * validator, a wrapper, JSON.stringify) and surface as an internal error instead of STATE_INVALID.
 *
 * The check is iterative (it cannot overflow itself) and generic: the envs' own validators then
 * check the shape of their snapshots.
 * @module
 */
import { InvalidStateError } from './errors.js';

export interface StateLimits {
  /** Deepest nesting of objects/arrays. Default 64 (ludus's own snapshots are under 12). */
  maxDepth: number;
  /** Most values (objects, arrays, primitives) in one state. Default 1 000 000. */
  maxValues: number;
}

export const DEFAULT_STATE_LIMITS: StateLimits = { maxDepth: 64, maxValues: 1_000_000 };

/**
 * Throws InvalidStateError (code STATE_INVALID) when `state` is not plain JSON, nests deeper than
 * `maxDepth` or holds more than `maxValues` values. Never recurses.
 */
export function checkStateLimits(state: unknown, limits: StateLimits = DEFAULT_STATE_LIMITS): void {
  const stack: { value: unknown; depth: number }[] = [{ value: state, depth: 0 }];
  let values = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    values += 1;
    if (values > limits.maxValues) {
      throw new InvalidStateError(`The state holds more than ${limits.maxValues} values, more than any snapshot does.`);
    }
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InvalidStateError('The state holds a number that is not finite; states are plain JSON.');
      continue;
    }
    if (typeof value !== 'object') throw new InvalidStateError(`The state holds a ${typeof value}; states are plain JSON.`);
    if (depth >= limits.maxDepth) {
      throw new InvalidStateError(`The state nests deeper than ${limits.maxDepth} levels, deeper than any snapshot does.`);
    }
    const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
}
