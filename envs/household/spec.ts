/**
 * The household-v1 spec: what `register` needs. The lead wires it into the builtin registry.
 * @module
 */
import type { EnvSpec } from '../core/spec.js';
import { HOUSEHOLD_ENV_ID, HouseholdEnv } from './env.js';
import { householdOptionsSchema, type HouseholdOptions } from './options.js';
import { HOUSEHOLD_SPLITS } from './splits.js';

export const householdSpec: EnvSpec<HouseholdOptions> = {
  id: HOUSEHOLD_ENV_ID,
  description: 'ALFWorld-like household text game: six task types, admissible commands, sparse success reward',
  kind: 'single',
  capabilities: { snapshot: 'native' },
  entryPoint: (options) => new HouseholdEnv(options),
  options: householdOptionsSchema,
  maxEpisodeSteps: 50,
  invalidActionPolicy: 'noop',
  splits: { ...HOUSEHOLD_SPLITS },
};
