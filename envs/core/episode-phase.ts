/**
 * The episode phase that order enforcing keeps (single- and multi-agent alike): fresh → running →
 * over → (reset) running …, and closed for good. Each guard throws the typed error that says what
 * the caller must do.
 * @module
 */
import { EnvClosedError, EpisodeOverError, InvalidStateError, ResetNeededError } from './errors.js';
import { checkStateLimits } from './state-limits.js';
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

  /** Order enforcing's snapshot: refused when closed or before the first reset; the phase around the inner env's state. */
  async snapshotOf(inner: { snapshot(): Promise<EnvState> }): Promise<EnvState> {
    if (this.phase === 'closed') throw new EnvClosedError();
    if (this.phase === 'fresh') throw new ResetNeededError();
    return { order: this.phase, inner: await inner.snapshot() };
  }

  /**
   * Order enforcing's restore: checks the state's size and depth (order enforcing is outermost, so
   * no wrapper or env below walks an over-deep state), validates its own part, restores the inner
   * env from the rest, then takes the phase.
   */
  async restoreInto(inner: { restore(state: EnvState): Promise<void> }, state: EnvState): Promise<void> {
    checkStateLimits(state);
    if (this.phase === 'closed') throw new EnvClosedError();
    const s = wrapperState(state, 'order');
    if (s.order !== 'running' && s.order !== 'over') throw new InvalidStateError(`Bad episode phase ${JSON.stringify(s.order)}.`);
    await inner.restore(s.inner ?? null);
    this.phase = s.order;
  }

  /** Closes the inner env the first time; later calls do nothing. */
  async closeOnce(inner: { close(): Promise<void> }): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    await inner.close();
  }
}
