/**
 * Expert agents by env id: scripted solvers used as a reference baseline and to record SFT demos.
 *
 * Each expert is a per-episode planner (`reset` with the first observation, then `act` once per
 * step); {@link ExpertAgent} runs one planner per decision stream behind the Agent contract.
 * A later env adds its planner to `EXPERTS`.
 * @module
 */
import { LudusError } from '../envs/core/errors.js';
import { BrowserExpert } from './browser-expert.js';
import { HouseholdExpert } from './household-expert.js';
import { PlannerAgent, type ExpertPlanner } from './planner-agent.js';
import { ShopExpert } from './shop-expert.js';

export type { ExpertPlanner };

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
export class ExpertAgent extends PlannerAgent {
  constructor(envId: string) {
    makeExpert(envId); // fail fast for an env without an expert
    super('expert', () => makeExpert(envId));
  }
}
