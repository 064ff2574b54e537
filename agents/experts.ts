/**
 * Expert agents by env id: scripted solvers used as a reference baseline and to record SFT demos.
 *
 * Each expert is a per-episode planner (`reset` with the first observation, then `act` once per
 * step); {@link ExpertAgent} runs one planner per decision stream behind the Agent contract.
 * A later env adds its planner to `EXPERTS`.
 * @module
 */
import { LudusError } from '../envs/core/errors.js';
import type { Observation, StepInfo } from '../envs/core/types.js';
import type { Agent, AgentInput, Decision } from './agent.js';
import { BrowserExpert } from './browser-expert.js';
import { HouseholdExpert } from './household-expert.js';
import { ShopExpert } from './shop-expert.js';

/** A per-episode scripted planner: `reset` with the first observation, then `act` once per step. */
export interface ExpertPlanner {
  readonly name: string;
  reset(observation: Observation, info?: StepInfo): void;
  act(observation: Observation, info?: StepInfo): string;
}

/** The planners, by env id. */
export const EXPERTS: Readonly<Record<string, () => ExpertPlanner>> = {
  'household-v1': () => new HouseholdExpert(),
  'shop-v1': () => new ShopExpert(),
  'browser-v1': () => new BrowserExpert(),
};

export function hasExpert(envId: string): boolean {
  return envId in EXPERTS;
}

/** A fresh planner for `envId`, or a typed error naming the envs that have one. */
export function makeExpert(envId: string): ExpertPlanner {
  const factory = EXPERTS[envId];
  if (factory === undefined) {
    throw new LudusError('AGENT_UNKNOWN', `No expert agent for '${envId}' (experts exist for: ${Object.keys(EXPERTS).join(', ')}). Use --init scratch, or add one in agents/experts.ts.`);
  }
  return factory();
}

/** The env's expert as an Agent: one planner per decision stream, made on the stream's first decision. */
export class ExpertAgent implements Agent {
  readonly name = 'expert';
  private readonly planners = new Map<string, ExpertPlanner>();

  constructor(private readonly envId: string) {
    makeExpert(envId); // fail fast for an env without an expert
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => {
      let planner = this.planners.get(input.key);
      const info = input.info as StepInfo;
      if (planner === undefined) {
        planner = makeExpert(this.envId);
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
