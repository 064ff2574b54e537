/**
 * The rpssl-v1 spec: two seats that speak at once, native snapshots, one task.
 * @module
 */
import type { EnvSpec } from '../core/spec.js';
import { RPSSL_ENV_ID, RPSSL_SPLITS, RpsslEnv } from './env.js';

export const rpsslSpec: EnvSpec<Record<string, never>> = {
  id: RPSSL_ENV_ID,
  description: 'Rock-paper-scissors-Spock-lizard with words: the move is the first move name a speech says (2 seats, value 0, uniform equilibrium)',
  kind: 'multi',
  seats: { count: 2, names: ['first', 'second'], agents: ['random'] },
  capabilities: { snapshot: 'native' },
  entryPoint: () => new RpsslEnv(),
  maxEpisodeSteps: 10,
  invalidActionPolicy: 'noop',
  splits: { ...RPSSL_SPLITS },
};
