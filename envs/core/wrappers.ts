/**
 * Single-agent wrappers that `make` stacks in one fixed order, innermost first:
 *   raw env → (snapshot capability) → InvalidActionPolicy → TimeLimit → OrderEnforcing
 * Order enforcing is outermost, so it sees the final `terminated`/`truncated` of every step and
 * needs no back channel from the wrappers below it. Each wrapper keeps its own state inside the
 * snapshot, so `restore` forks the whole stack.
 * @module
 */
import { EpisodePhase } from './episode-phase.js';
import { InvalidStateError } from './errors.js';
import { checkStateLimits } from './state-limits.js';
import { wrapperState } from './wrapper-state.js';

export { wrapperState };
import type { Env, EnvState, InvalidActionPolicy, JsonObject, ResetOptions, ResetResult, StepResult } from './types.js';

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

/**
 * A wrapper's part of a snapshot: an object with `key` and, besides it, only the keys in `allowed`
 * (by default `inner`, the wrapped env's state). Unknown keys are refused, so a typo or a snapshot
 * of another stack never restores half-way.
 */

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

  override async snapshot(): Promise<EnvState> {
    this.phase.checkSnapshot();
    return this.phase.wrap(await this.inner.snapshot());
  }

  override async restore(state: EnvState): Promise<void> {
    checkStateLimits(state); // outermost: no wrapper or env below walks an over-deep state
    const { inner, phase } = this.phase.unwrap(state);
    await this.inner.restore(inner);
    this.phase.restored(phase);
  }

  override async close(): Promise<void> {
    if (this.phase.close()) await this.inner.close();
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
    if (!['noop', 'penalty', 'terminate'].includes(policy)) {
      throw new RangeError(`invalidActionPolicy must be 'noop', 'penalty' or 'terminate', got ${JSON.stringify(policy)}`);
    }
    if (!Number.isFinite(penalty) || penalty < 0) throw new RangeError(`invalidActionPenalty must be a finite number >= 0, got ${penalty}`);
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
  private elapsed = 0;

  constructor(
    inner: Env,
    readonly maxEpisodeSteps: number,
  ) {
    super(inner);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 0) {
      throw new RangeError(`maxEpisodeSteps must be an integer >= 0, got ${maxEpisodeSteps}`);
    }
  }

  get elapsedSteps(): number {
    return this.elapsed;
  }

  override async reset(options?: ResetOptions): Promise<ResetResult> {
    const result = await this.inner.reset(options);
    this.elapsed = 0;
    result.info.elapsedSteps = 0;
    return result;
  }

  override async step(action: string): Promise<StepResult> {
    const result = await this.inner.step(action);
    this.elapsed += 1;
    result.info.elapsedSteps = this.elapsed;
    if (this.maxEpisodeSteps > 0 && this.elapsed >= this.maxEpisodeSteps && !result.terminated && !result.truncated) {
      result.truncated = true;
    }
    return result;
  }

  override async snapshot(): Promise<EnvState> {
    return { elapsed: this.elapsed, inner: await this.inner.snapshot() };
  }

  override async restore(state: EnvState): Promise<void> {
    const s = wrapperState(state, 'elapsed');
    if (typeof s.elapsed !== 'number' || !Number.isInteger(s.elapsed) || s.elapsed < 0) {
      throw new InvalidStateError('Bad elapsed step count in snapshot.');
    }
    await this.inner.restore(s.inner ?? null);
    this.elapsed = s.elapsed;
  }
}
