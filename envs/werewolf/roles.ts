/**
 * Roles, sides and the deal of werewolf-v1 (LSPO's seven-player setting): 2 werewolves, 1 seer,
 * 1 doctor and 3 villagers, dealt to seats 0..6 by a seeded shuffle.
 * @module
 */
import { Rng } from '../core/rng.js';

export const ROLES = ['werewolf', 'seer', 'doctor', 'villager'] as const;
export type Role = (typeof ROLES)[number];

/** The two teams: the werewolves, and the village (seer, doctor, villagers). */
export type Side = 'wolves' | 'village';

export const PLAYER_COUNT = 7;

/** The roles dealt in every game, before the shuffle. */
export const ROLE_DECK: readonly Role[] = ['werewolf', 'werewolf', 'seer', 'doctor', 'villager', 'villager', 'villager'];

export function sideOf(role: Role): Side {
  return role === 'werewolf' ? 'wolves' : 'village';
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Deals the deck to seats 0..6 with a Fisher–Yates shuffle drawn from `rng`. */
export function dealRoles(rng: Rng): Role[] {
  return rng.shuffle(ROLE_DECK);
}

/** The deal of a deal seed (a task's seed): the same seed always deals the same roles. */
export function dealFromSeed(dealSeed: number | string): Role[] {
  return dealRoles(new Rng(`werewolf-v1/deal/${dealSeed}`));
}

/** The seats holding `role`, in seat order. */
export function seatsWith(roles: readonly Role[], role: Role): number[] {
  const out: number[] = [];
  roles.forEach((r, seat) => {
    if (r === role) out.push(seat);
  });
  return out;
}

/** Role counts as the game states them ("2 werewolves, 1 seer, 1 doctor and 3 villagers"). */
export const DECK_TEXT = '2 werewolves, 1 seer, 1 doctor and 3 villagers';
