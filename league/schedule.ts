/**
 * League schedules (pure): which agent holds which seat in each game.
 *
 *  - 'sides' (default): every ordered pair of entrants (A, B) — mirrors A = B included — plays
 *    with A holding both werewolf seats and B the five village seats, LSPO's protocol of a win
 *    rate per side against fixed opponents. Pairings cycle game by game; each block of
 *    pairings plays one task and one seed (block b: task seed + b of the split, seed + b), so
 *    every pairing meets the same deals (a paired
 *    design: differences between entrants are not differences of luck). The task's deal decides
 *    which seats are the werewolves, so roles rotate over seats from block to block.
 *  - 'seats': mixed tables. The deal's role slots (werewolf, werewolf, seer, doctor, villager ×3)
 *    go to the entrants in rotation — slot j of game g to entrant (g + j) mod k — so over any k
 *    consecutive games every entrant holds every slot once; teams mix entrants.
 * @module
 */
import { dealForTask, type Role, type WerewolfSplit } from '../envs/werewolf/index.js';

export const LEAGUE_SCHEDULES = ['sides', 'seats'] as const;
export type LeagueSchedule = (typeof LEAGUE_SCHEDULES)[number];

export interface GamePlan {
  /** 0-based game number in the league. */
  index: number;
  task: { split: WerewolfSplit; index: number };
  seed: number;
  /** The deal of the task, by seat. */
  roles: Role[];
  /** The entrant holding each seat. */
  seats: string[];
  /** 'sides' schedule: the entrant holding each side. */
  wolves: string | null;
  village: string | null;
}

export interface ScheduleOptions {
  schedule: LeagueSchedule;
  /** Task split the games are dealt from. */
  split: WerewolfSplit;
  splitSize: number;
  /** Block b (game g for 'seats') plays task (seed + b) mod splitSize with seed + b. */
  seed: number;
  /** 'sides': include A-vs-A games (default true). */
  mirrors?: boolean;
}

/** The ordered (wolves, village) pairings of the 'sides' schedule. */
export function sidePairings(entrants: readonly string[], mirrors = true): [string, string][] {
  const out: [string, string][] = [];
  for (const w of entrants) for (const v of entrants) if (mirrors || w !== v) out.push([w, v]);
  return out;
}

/** Role slots of a deal in a fixed order: werewolves, seer, doctor, villagers (each by seat). */
export function roleSlots(roles: readonly Role[]): number[] {
  const order: Role[] = ['werewolf', 'seer', 'doctor', 'villager'];
  return order.flatMap((role) => roles.flatMap((r, seat) => (r === role ? [seat] : [])));
}

/** The plan of game `index`. */
export function planGame(entrants: readonly string[], index: number, options: ScheduleOptions): GamePlan {
  if (entrants.length === 0) throw new RangeError('A league needs at least one entrant.');
  if (options.schedule === 'sides') {
    const pairings = sidePairings(entrants, options.mirrors ?? true);
    if (pairings.length === 0) throw new RangeError('Without mirrors, the sides schedule needs at least two entrants.');
    const block = Math.floor(index / pairings.length);
    const [wolves, village] = pairings[index % pairings.length]!;
    const task = { split: options.split, index: (options.seed + block) % options.splitSize };
    const roles = dealForTask(task.split, task.index);
    return { index, task, seed: options.seed + block, roles, seats: roles.map((r) => (r === 'werewolf' ? wolves : village)), wolves, village };
  }
  const task = { split: options.split, index: (options.seed + index) % options.splitSize };
  const roles = dealForTask(task.split, task.index);
  const seats = new Array<string>(roles.length);
  roleSlots(roles).forEach((seat, slot) => {
    seats[seat] = entrants[(index + slot) % entrants.length]!;
  });
  return { index, task, seed: options.seed + index, roles, seats, wolves: null, village: null };
}

export function planGames(entrants: readonly string[], games: number, options: ScheduleOptions): GamePlan[] {
  return Array.from({ length: games }, (_, i) => planGame(entrants, i, options));
}
