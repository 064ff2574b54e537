/**
 * A wrapper's own part of a snapshot: `{ <key>: ..., inner: <the inner env's state> }`, checked
 * strictly (a missing key or an unknown one is STATE_INVALID).
 * @module
 */
import { InvalidStateError } from './errors.js';
import type { EnvState, JsonObject } from './types.js';

export function wrapperState(state: EnvState, key: string, allowed: readonly string[] = ['inner']): JsonObject {
  if (state === null || typeof state !== 'object' || Array.isArray(state) || !(key in state)) {
    throw new InvalidStateError(`Not a snapshot of this wrapper stack (missing '${key}').`);
  }
  const extra = Object.keys(state).filter((k) => k !== key && !allowed.includes(k));
  if (extra.length > 0) {
    throw new InvalidStateError(`Not a snapshot of this wrapper stack: unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')} beside '${key}'.`);
  }
  return state as JsonObject;
}
