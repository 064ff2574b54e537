/**
 * The step count that the time limit keeps (single- and multi-agent alike), with its part of a
 * snapshot: `{ elapsed, inner }`.
 * @module
 */
import { InvalidStateError } from './errors.js';
import type { EnvState } from './types.js';
import { wrapperState } from './wrapper-state.js';

export class ElapsedSteps {
  private count = 0;

  /** `maxEpisodeSteps`: the limit; 0 = none. */
  constructor(readonly maxEpisodeSteps: number) {
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 0) {
      throw new RangeError(`maxEpisodeSteps must be an integer >= 0, got ${maxEpisodeSteps}`);
    }
  }

  get elapsed(): number {
    return this.count;
  }

  reset(): number {
    this.count = 0;
    return this.count;
  }

  /** Counts a step; returns the steps taken so far. */
  stepped(): number {
    this.count += 1;
    return this.count;
  }

  /** Whether a step that neither terminated nor truncated by itself must be truncated now. */
  cuts(result: { terminated: boolean; truncated: boolean }): boolean {
    return this.maxEpisodeSteps > 0 && this.count >= this.maxEpisodeSteps && !result.terminated && !result.truncated;
  }

  /** The wrapper's snapshot: the count around the inner env's state. */
  async snapshotOf(inner: { snapshot(): Promise<EnvState> }): Promise<EnvState> {
    return { elapsed: this.count, inner: await inner.snapshot() };
  }

  /** Validates the wrapper's part of a snapshot, restores the inner env from the rest, then takes the count. */
  async restoreInto(inner: { restore(state: EnvState): Promise<void> }, state: EnvState): Promise<void> {
    const s = wrapperState(state, 'elapsed');
    if (typeof s.elapsed !== 'number' || !Number.isInteger(s.elapsed) || s.elapsed < 0) throw new InvalidStateError('Bad elapsed step count in snapshot.');
    await inner.restore(s.inner ?? null);
    this.count = s.elapsed;
  }
}
