/**
 * WerewolfEnv: werewolf-v1 as a MultiAgentEnv ("parallel with actors"), the async face of a
 * WerewolfSession (session.ts).
 *
 * Every reset and step returns all 7 seats' observations, per-seat infos (reward components;
 * `invalid` for a refused action; `notice` when a speech was cut or cleaned; `success` at the
 * end), the omniscient `info` (state key, task, roles, phase, this step's events, and `secrets`:
 * each seat's private lines, which no other seat's observation contains) and `actors`.
 * @module
 */
import type { EnvState, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, ResetOptions, SeatActions } from '../core/types.js';
import type { WerewolfState } from './game.js';
import type { WerewolfOptions, WerewolfOptionsInput } from './options.js';
import { WerewolfSession } from './session.js';

export { WEREWOLF_ENV_ID } from './id.js';

export class WerewolfEnv implements MultiAgentEnv {
  private readonly session: WerewolfSession;

  constructor(options: WerewolfOptionsInput = {}) {
    this.session = new WerewolfSession(options);
  }

  get seats(): number {
    return this.session.seats;
  }

  get options(): WerewolfOptions {
    return this.session.options;
  }

  /** The game state (read-only; for tests and tools). Null before reset. */
  get state(): Readonly<WerewolfState> | null {
    return this.session.state;
  }

  async reset(options?: ResetOptions): Promise<MultiAgentResetResult> {
    return this.session.reset(options);
  }

  actors(): number[] {
    return this.session.actors();
  }

  async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    return this.session.step(actionsBySeat);
  }

  async snapshot(): Promise<EnvState> {
    return this.session.snapshot();
  }

  async restore(state: EnvState): Promise<void> {
    this.session.restore(state);
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
