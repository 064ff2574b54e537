/**
 * RemoteMultiAgentEnv: the MultiAgentEnv interface over a WebSocket session, stepped by its opener
 * for every seat (`session.step {actions}`) — what the trainer and the conformance kit use to play
 * a multi-agent env that lives on a server. Results are the same JSON as in process, including the
 * omniscient `info` (the opener is the game's host). For play by seats see RemoteGame.
 * @module
 */
import { EnvClosedError } from '../core/errors.js';
import type { EnvState, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, ResetOptions, SeatActions } from '../core/types.js';
import type { RemoteEnvClient } from './remote-env-client.js';

export class RemoteMultiAgentEnv implements MultiAgentEnv {
  private closed = false;
  private closing?: Promise<void>;
  private lastActors: number[] = [];

  constructor(
    readonly client: RemoteEnvClient,
    readonly session: string,
    readonly id: string,
    readonly seats: number,
  ) {}

  actors(): number[] {
    return [...this.lastActors];
  }

  async reset(options: ResetOptions = {}): Promise<MultiAgentResetResult> {
    const params: Record<string, unknown> = { session: this.session };
    if (options.seed !== undefined) params.seed = options.seed;
    if (options.task !== undefined) params.task = options.task;
    const result = (await this.guard(() => this.client.call('session.reset', params))) as MultiAgentResetResult;
    this.lastActors = result.actors;
    return result;
  }

  async step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult> {
    const result = (await this.guard(() => this.client.stepSeats(this.session, actionsBySeat))) as MultiAgentStepResult;
    this.lastActors = result.actors;
    return result;
  }

  async snapshot(): Promise<EnvState> {
    return (await this.guard(() => this.client.call('session.snapshot', { session: this.session }))).state;
  }

  async restore(state: EnvState): Promise<void> {
    const result = await this.guard(() => this.client.call('session.restore', { session: this.session, state }));
    this.lastActors = result.actors ?? [];
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.client.closeSession(this.session);
    return this.closing;
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new EnvClosedError());
    return call();
  }
}
