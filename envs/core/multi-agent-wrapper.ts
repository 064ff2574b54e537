/**
 * The base of every multi-agent wrapper: forwards everything to the inner env.
 * @module
 */
import type { EnvState, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, ResetOptions, SeatActions } from './types.js';

export class MultiAgentEnvWrapper implements MultiAgentEnv {
  constructor(readonly inner: MultiAgentEnv) {}

  get seats(): number {
    return this.inner.seats;
  }
  reset(options?: ResetOptions): Promise<MultiAgentResetResult> {
    return this.inner.reset(options);
  }
  actors(): number[] {
    return this.inner.actors();
  }
  step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    return this.inner.step(actionsBySeat);
  }
  snapshot(): Promise<EnvState> {
    return this.inner.snapshot();
  }
  restore(state: EnvState): Promise<void> {
    return this.inner.restore(state);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  /** The innermost env. */
  unwrapped(): MultiAgentEnv {
    let env: MultiAgentEnv = this.inner;
    while (env instanceof MultiAgentEnvWrapper) env = env.inner;
    return env;
  }
}
