/**
 * A per-episode planner behind the Agent contract: one planner per decision stream, made on the
 * stream's first decision (`reset` with its first observation, then `act` once per step) and
 * dropped when the stream ends. The experts are planners.
 * @module
 */
import type { Observation, StepInfo } from '../envs/core/types.js';
import type { Agent, AgentInput, Decision } from './agent.js';

/** A per-episode scripted planner: `reset` with the first observation, then `act` once per step. */
export interface ExpertPlanner {
  readonly name: string;
  reset(observation: Observation, info?: StepInfo): void;
  act(observation: Observation, info?: StepInfo): string;
}

export class PlannerAgent implements Agent {
  private readonly planners = new Map<string, ExpertPlanner>();

  constructor(
    readonly name: string,
    private readonly makePlanner: () => ExpertPlanner,
  ) {}

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => {
      let planner = this.planners.get(input.key);
      const info = input.info as StepInfo;
      if (planner === undefined) {
        planner = this.makePlanner();
        planner.reset(input.observation, info);
        this.planners.set(input.key, planner);
      }
      return { action: planner.act(input.observation, info), logp: null, probs: null };
    });
  }

  end(keys: readonly string[]): void {
    for (const key of keys) this.planners.delete(key);
  }
}
