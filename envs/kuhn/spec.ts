/**
 * The kuhn-poker-v1 spec: two seats, native snapshots, the six deals as tasks.
 * @module
 */
import type { EnvSpec } from '../core/spec.js';
import { KUHN_ENV_ID, KUHN_SPLITS, KuhnPokerEnv } from './env.js';

export const kuhnSpec: EnvSpec<Record<string, never>> = {
  id: KUHN_ENV_ID,
  description: 'Kuhn poker: 3 cards, 2 seats, ante 1, one bet of 1; the multi-agent reference game (value −1/18 for seat 0)',
  kind: 'multi',
  seats: { count: 2, names: ['first', 'second'], agents: ['random', 'bot:nash', 'bot:always-bet'] },
  capabilities: { snapshot: 'native' },
  entryPoint: () => new KuhnPokerEnv(),
  maxEpisodeSteps: 10,
  invalidActionPolicy: 'noop',
  splits: { ...KUHN_SPLITS },
};
