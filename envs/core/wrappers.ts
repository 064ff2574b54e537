/**
 * Single-agent wrappers that `make` stacks in one fixed order, innermost first:
 *   raw env → (snapshot capability) → InvalidActionPolicy → TimeLimit → OrderEnforcing
 * Order enforcing is outermost, so it sees the final `terminated`/`truncated` of every step and
 * needs no back channel from the wrappers below it. Each wrapper keeps its own state inside the
 * snapshot, so `restore` forks the whole stack.
 * @module
 */
import { ElapsedSteps } from './elapsed-steps.js';
import { EpisodePhase } from './episode-phase.js';
import { checkInvalidActionPolicy } from './invalid-action-policy.js';
import type { Env, EnvState, InvalidActionPolicy, ResetOptions, ResetResult, StepResult } from './types.js';

export { wrapperState } from './wrapper-state.js';

/** Forwards everything to the inner env. Subclasses override what they change. */
export class EnvWrapper implements Env {
  constructor(readonly inner: Env) {}

  reset(options?: ResetOptions): Promise<ResetResult> {
    return this.inner.reset(options);
  }
  step(action: string): Promise<StepResult> {
    return this.inner.step(action);
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
  unwrapped(): Env {
    let env: Env = this.inner;
    while (env instanceof EnvWrapper) env = env.inner;
    return env;
  }
}

/** Step before reset → ResetNeededError; step after the episode ended → EpisodeOverError. */
export class OrderEnforcing extends EnvWrapper {
  private readonly phase = new EpisodePhase();

  override async reset(options?: ResetOptions): Promise<ResetResult> {
    this.phase.checkReset();
    const result = await this.inner.reset(options);
    this.phase.started();
    return result;
  }

  override async step(action: string): Promise<StepResult> {
    this.phase.checkStep();
    const result = await this.inner.step(action);
    this.phase.stepped(result.terminated || result.truncated);
    return result;
  }

  override snapshot(): Promise<EnvState> {
    return this.phase.snapshotOf(this.inner);
  }

  override restore(state: EnvState): Promise<void> {
    return this.phase.restoreInto(this.inner, state);
  }

  override close(): Promise<void> {
    return this.phase.closeOnce(this.inner);
  }
}

/**
 * Applies the invalid-action policy to steps whose `info.invalid` is set:
 * `noop` leaves the step as the env answered it, `penalty` subtracts `penalty` from the reward
 * (component `invalidPenalty`), `terminate` ends the episode (terminated, success false).
 * The policy in force is recorded in every info as `invalidActionPolicy`.
 */
export class InvalidActionPolicyWrapper extends EnvWrapper {
  constructor(
    inner: Env,
    readonly policy: InvalidActionPolicy,
    readonly penalty: number,
  ) {
    super(inner);
    checkInvalidActionPolicy(policy, penalty);
  }

  override async reset(options?: ResetOptions): Promise<ResetResult> {
    const result = await this.inner.reset(options);
    result.info.invalidActionPolicy = this.policy;
    return result;
  }

  override async step(action: string): Promise<StepResult> {
    const result = await this.inner.step(action);
    result.info.invalidActionPolicy = this.policy;
    if (!result.info.invalid) return result;
    if (this.policy === 'penalty') {
      result.reward -= this.penalty;
      result.info.rewardComponents = { ...result.info.rewardComponents, invalidPenalty: -this.penalty };
    } else if (this.policy === 'terminate' && !result.terminated) {
      result.terminated = true;
      result.truncated = false;
      result.info.success = false;
    }
    return result;
  }
}

/** Sets `truncated` once `maxEpisodeSteps` steps were taken without the task ending. 0 = no limit. */
export class TimeLimit extends EnvWrapper {
  private readonly elapsed: ElapsedSteps;

  constructor(
    inner: Env,
    readonly maxEpisodeSteps: number,
  ) {
    super(inner);
    this.elapsed = new ElapsedSteps(maxEpisodeSteps);
  }

  get elapsedSteps(): number {
    return this.elapsed.elapsed;
  }

  override async reset(options?: ResetOptions): Promise<ResetResult> {
    const result = await this.inner.reset(options);
    result.info.elapsedSteps = this.elapsed.reset();
    return result;
  }

  override async step(action: string): Promise<StepResult> {
    const result = await this.inner.step(action);
    result.info.elapsedSteps = this.elapsed.stepped();
    if (this.elapsed.cuts(result)) {
      result.truncated = true;
    }
    return result;
  }

  override snapshot(): Promise<EnvState> {
    return this.elapsed.snapshotOf(this.inner);
  }

  override restore(state: EnvState): Promise<void> {
    return this.elapsed.restoreInto(this.inner, state);
  }
}
