/**
 * The werewolf-v1 spec: 7 seats, native snapshots, a 500-step time limit (a default game takes
 * at most 100 steps in seat order and 190 with bidding; the limit only stops a game whose seats
 * keep sending refused actions).
 * @module
 */
import type { MultiAgentSpec } from '../core/spec.js';
import { WEREWOLF_ENV_ID, WerewolfEnv } from './env.js';
import { werewolfOptionsSchema, type WerewolfOptions } from './options.js';
import { PLAYER_COUNT } from './roles.js';
import { WEREWOLF_SPLITS } from './tasks.js';

export const WEREWOLF_SEAT_AGENTS = ['random', 'bot:random', 'bot:naive', 'bot:basic', 'bot:strong'];

export const werewolfSpec: MultiAgentSpec<WerewolfOptions> = {
  id: WEREWOLF_ENV_ID,
  description: 'Werewolf, 7 seats (2 werewolves, seer, doctor, 3 villagers): night actions, free-text discussion, votes; rule bots by skill',
  kind: 'multi',
  seats: {
    count: PLAYER_COUNT,
    names: Array.from({ length: PLAYER_COUNT }, (_, s) => `player ${s}`),
    agents: WEREWOLF_SEAT_AGENTS,
  },
  capabilities: { snapshot: 'native' },
  entryPoint: (options) => new WerewolfEnv(options),
  options: werewolfOptionsSchema,
  maxEpisodeSteps: 500,
  invalidActionPolicy: 'noop',
  splits: { ...WEREWOLF_SPLITS },
};
