/**
 * Multi-agent wrappers that `makeMulti` stacks in one fixed order, innermost first:
 *   raw env → (snapshot capability) → TurnEnforcing → InvalidActionPolicy → TimeLimit → OrderEnforcing
 *
 * - TurnEnforcing: an action for a seat that is not an actor never reaches the raw env; that seat's
 *   info says `NOT_YOUR_TURN`. A `null` action marks an actor that missed its turn (the server's
 *   per-turn deadline): its info says `NO_ACTION`. A seat that does not exist is a typed error
 *   (`SEAT_UNKNOWN`): that is a caller bug, not a move.
 * - InvalidActionPolicy, per seat: `noop` leaves the step as it is (an actor whose action was not
 *   accepted stays an actor and acts again), `penalty` subtracts the penalty from that seat's
 *   reward, `terminate` ends the game (`terminated`, `info.endReason`) and charges the offending
 *   seat the penalty. `NOT_YOUR_TURN` is reported but never penalised: it is a slip of timing, not
 *   a move of the game.
 * - TimeLimit: `truncated` once `maxEpisodeSteps` steps were taken.
 * - OrderEnforcing: step before reset → `RESET_NEEDED`; after the end → `EPISODE_OVER`.
 * Each keeps its state in the snapshot, so `restore` forks the whole stack.
 * @module
 */
import { ElapsedSteps } from './elapsed-steps.js';
import { EpisodePhase } from './episode-phase.js';
import { checkInvalidActionPolicy } from './invalid-action-policy.js';
import { UnknownSeatError } from './errors.js';
import { MultiAgentEnvWrapper } from './multi-agent-wrapper.js';
import type {
  EnvState,
  InvalidAction,
  InvalidActionPolicy,
  MultiAgentEnv,
  MultiAgentResetResult,
  MultiAgentStepResult,
  ResetOptions,
  SeatInfo,
  SeatActions,
} from './types.js';

function seatInfo(result: MultiAgentStepResult, seat: number): SeatInfo {
  return (result.infos[seat] ??= { rewardComponents: {} });
}

/** Validates seat keys and routes off-turn and missing actions to the seat's info. */
export class TurnEnforcing extends MultiAgentEnvWrapper {
  override async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    if (actionsBySeat === null || typeof actionsBySeat !== 'object' || Array.isArray(actionsBySeat)) {
      throw new UnknownSeatError(actionsBySeat, this.seats);
    }
    const actors = new Set(this.inner.actors());
    const passed: Record<number, string> = {};
    const refused = new Map<number, InvalidAction>();
    for (const [key, action] of Object.entries(actionsBySeat)) {
      const seat = Number(key);
      if (!Number.isInteger(seat) || seat < 0 || seat >= this.seats || String(seat) !== key) throw new UnknownSeatError(key, this.seats);
      if (!actors.has(seat)) {
        refused.set(seat, {
          code: 'NOT_YOUR_TURN',
          message: `Seat ${seat} is not to act now (acting: ${[...actors].join(', ') || 'nobody'}); wait for its turn.`,
          suggestions: [],
        });
      } else if (action === null || action === undefined) {
        refused.set(seat, { code: 'NO_ACTION', message: `Seat ${seat} did not act in time.`, suggestions: [] });
      } else {
        passed[seat] = typeof action === 'string' ? action : String(action);
      }
    }
    const result = await this.inner.step(passed);
    for (const [seat, invalid] of refused) seatInfo(result, seat).invalid = invalid;
    return result;
  }
}

export class MultiAgentInvalidActionPolicy extends MultiAgentEnvWrapper {
  constructor(
    inner: MultiAgentEnv,
    readonly policy: InvalidActionPolicy,
    readonly penalty: number,
  ) {
    super(inner);
    checkInvalidActionPolicy(policy, penalty);
  }

  override async reset(options?: ResetOptions): Promise<MultiAgentResetResult> {
    const result = await this.inner.reset(options);
    result.info.invalidActionPolicy = this.policy;
    return result;
  }

  override async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    const result = await this.inner.step(actionsBySeat);
    result.info.invalidActionPolicy = this.policy;
    if (this.policy === 'noop') return result;
    const offenders = Object.entries(result.infos)
      .filter(([, info]) => info.invalid !== undefined && info.invalid.code !== 'NOT_YOUR_TURN')
      .map(([seat]) => Number(seat));
    for (const seat of offenders) {
      const info = seatInfo(result, seat);
      result.rewards[seat] = (result.rewards[seat] ?? 0) - this.penalty;
      info.rewardComponents = { ...info.rewardComponents, invalidPenalty: -this.penalty };
    }
    if (this.policy === 'terminate' && offenders.length > 0 && !result.terminated && !result.truncated) {
      result.terminated = true;
      result.actors = [];
      const first = offenders[0] as number;
      result.info.endReason = `invalid action by seat ${first} (${result.infos[first]?.invalid?.code})`;
      for (let s = 0; s < this.seats; s++) seatInfo(result, s).success = false;
    }
    return result;
  }
}

export class MultiAgentTimeLimit extends MultiAgentEnvWrapper {
  private readonly elapsed: ElapsedSteps;

  constructor(
    inner: MultiAgentEnv,
    readonly maxEpisodeSteps: number,
  ) {
    super(inner);
    this.elapsed = new ElapsedSteps(maxEpisodeSteps);
  }

  override async reset(options?: ResetOptions): Promise<MultiAgentResetResult> {
    const result = await this.inner.reset(options);
    result.info.elapsedSteps = this.elapsed.reset();
    return result;
  }

  override async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    const result = await this.inner.step(actionsBySeat);
    result.info.elapsedSteps = this.elapsed.stepped();
    if (this.elapsed.cuts(result)) {
      result.truncated = true;
      result.actors = [];
      result.info.endReason = `time limit of ${this.maxEpisodeSteps} steps`;
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

export class MultiAgentOrderEnforcing extends MultiAgentEnvWrapper {
  private readonly phase = new EpisodePhase();

  override actors(): number[] {
    return this.phase.running ? this.inner.actors() : [];
  }

  override async reset(options?: ResetOptions): Promise<MultiAgentResetResult> {
    this.phase.checkReset();
    const result = await this.inner.reset(options);
    this.phase.started();
    return result;
  }

  override async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    this.phase.checkStep();
    const result = await this.inner.step(actionsBySeat);
    const ended = result.terminated || result.truncated;
    if (ended) result.actors = [];
    this.phase.stepped(ended);
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
