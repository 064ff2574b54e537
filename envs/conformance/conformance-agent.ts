/**
 * The agent the conformance kit plays with: uniformly random over the candidates (or the
 * free-form actions the caller gave), except that each decision stream's second decision is a
 * hostile action, so every trajectory also exercises the env's invalid-action path.
 * @module
 */
import type { Agent, AgentInput, Decision } from '../../agents/agent.js';
import { Rng } from '../core/rng.js';
import { HOSTILE_ACTIONS } from './kit.js';

export class ConformanceAgent implements Agent {
  readonly name = 'conformance';

  constructor(
    private readonly rng: Rng,
    private readonly freeformActions: readonly string[],
    private readonly hostileAt = 1,
  ) {}

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => {
      const legal = input.candidates.length > 0 ? input.candidates : this.freeformActions;
      const hostile = input.history.length === this.hostileAt || legal.length === 0;
      return { action: this.rng.pick(hostile ? HOSTILE_ACTIONS.slice(0, 4) : legal), logp: null, probs: null };
    });
  }
}
