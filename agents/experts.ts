/**
 * Expert agents by env id: scripted solvers used as a reference baseline and to record SFT demos.
 * A later env adds its expert here.
 * @module
 */
import { LudusError } from '../envs/core/errors.js';
import type { Observation, StepInfo } from '../envs/core/types.js';
import { HouseholdExpert } from './household-expert.js';
import { ShopExpert } from './shop-expert.js';

/** A per-episode agent: `reset` with the first observation, then `act` once per step. */
export interface EpisodeAgent {
  readonly name: string;
  reset(observation: Observation, info?: StepInfo): void;
  act(observation: Observation, info?: StepInfo): string;
}

const EXPERTS: Record<string, () => EpisodeAgent> = {
  'household-v1': () => new HouseholdExpert(),
  'shop-v1': () => new ShopExpert(),
};

export function hasExpert(envId: string): boolean {
  return envId in EXPERTS;
}

/** A fresh expert for `envId`, or a typed error naming the envs that have one. */
export function makeExpert(envId: string): EpisodeAgent {
  const factory = EXPERTS[envId];
  if (factory === undefined) {
    throw new LudusError('ENV_UNKNOWN', `No expert agent for '${envId}' (experts exist for: ${Object.keys(EXPERTS).join(', ')}). Use --init scratch, or add one in agents/experts.ts.`);
  }
  return factory();
}
