/**
 * `bot:random`: every choice uniform — a night target, a bid, a vote (abstaining included), and a
 * speech of zero to two random claims of the claim grammar about random players (so it may accuse
 * its own teammate, or even call itself a werewolf).
 * @module
 */
import { PLAYER_COUNT, ROLES, speechOf, type Claim } from '../../envs/werewolf/index.js';
import type { Rng } from '../../envs/core/rng.js';
import type { BotBrain } from './rule-bot.js';
import { NEUTRAL_SPEECH } from './speech-candidates.js';

/** One claim of a uniformly drawn type about a uniformly drawn player. */
export function randomClaim(rng: Rng): Claim {
  const target = rng.int(PLAYER_COUNT);
  switch (rng.int(9)) {
    case 0:
      return { type: 'role', role: rng.pick(ROLES) };
    case 1:
      return { type: 'accuse', target };
    case 2:
      return { type: 'clear', target };
    case 3:
      return { type: 'role-of', target, role: rng.pick(['seer', 'doctor', 'villager'] as const) };
    case 4:
      return { type: 'check', target, werewolf: rng.bool() };
    case 5:
      return { type: 'vote', target: rng.bool(0.15) ? null : target };
    case 6:
      return { type: 'protect', target };
    case 7:
      return { type: 'suspect', target };
    default:
      return { type: 'trust', target };
  }
}

export const randomBrain: BotBrain = {
  level: 'random',
  night: (turn, _verb, targets) => turn.rng.pick(targets),
  speak(turn) {
    const claims = Array.from({ length: turn.rng.int(3) }, () => randomClaim(turn.rng));
    return claims.length === 0 ? NEUTRAL_SPEECH : speechOf(claims);
  },
  bid: (turn) => turn.rng.int(5),
  vote: (turn, targets) => turn.rng.pick([...targets, null]),
};
