/**
 * The episode phase that order enforcing keeps (single- and multi-agent alike): fresh → running →
 * over → (reset) running …, and closed for good. Each guard throws the typed error that says what
 * the caller must do.
 * @module
 */
import { EnvClosedError, EpisodeOverError, InvalidStateError, ResetNeededError } from './errors.js';
import type { EnvState } from './types.js';
import { wrapperState } from './wrapper-state.js';

type Phase = 'fresh' | 'running' | 'over' | 'closed';

export class EpisodePhase {
  private phase: Phase = 'fresh';

  get running(): boolean {
    return this.phase === 'running';
  }

  /** Before reset: only a closed env refuses. */
  checkReset(): void {
    if (this.phase === 'closed') throw new EnvClosedError();
  }

  started(): void {
    this.phase = 'running';
  }

  /** Before a step: refused when closed, before the first reset, and after the end. */
  checkStep(): void {
    if (this.phase === 'closed') throw new EnvClosedError();
    if (this.phase === 'fresh') throw new ResetNeededError();
    if (this.phase === 'over') throw new EpisodeOverError();
  }

  stepped(ended: boolean): void {
    if (ended) this.phase = 'over';
  }

  /** Before a snapshot: refused when closed or before the first reset. */
  checkSnapshot(): void {
    if (this.phase === 'closed') throw new EnvClosedError();
    if (this.phase === 'fresh') throw new ResetNeededError();
  }

  /** The wrapper's part of a snapshot around the inner one. */
  wrap(inner: EnvState): EnvState {
    return { order: this.phase, inner };
  }

  /** Validates the wrapper's part of a snapshot; returns the inner state and the phase to take after the inner restore. */
  unwrap(state: EnvState): { inner: EnvState; phase: 'running' | 'over' } {
    if (this.phase === 'closed') throw new EnvClosedError();
    const s = wrapperState(state, 'order');
    if (s.order !== 'running' && s.order !== 'over') throw new InvalidStateError(`Bad episode phase ${JSON.stringify(s.order)}.`);
    return { inner: s.inner ?? null, phase: s.order };
  }

  restored(phase: 'running' | 'over'): void {
    this.phase = phase;
  }

  /** Marks the env closed; false when it already was. */
  close(): boolean {
    if (this.phase === 'closed') return false;
    this.phase = 'closed';
    return true;
  }
}
