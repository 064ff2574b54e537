/**
 * League standings (pure): win rates with 95% Wilson intervals per entrant — overall, per side and
 * per role — the sides schedule's pairing matrix, and the ratings. A participation is one
 * (game, entrant, side) — or (game, entrant, role) for the role table — so an entrant holding
 * three villager seats of one game counts that game once; a mirror game counts once per side.
 * Draws count as games not won.
 * @module
 */
import { ROLES, sideOf, type Role, type Side, type Winner } from '../envs/werewolf/index.js';
import type { EntrantRating } from './ratings.js';
import { wilson, type Proportion } from './wilson.js';

export interface PlayedGame {
  seats: readonly string[];
  roles: readonly Role[];
  winner: Winner;
}

export interface WinRecord extends Proportion {
  draws: number;
}

export interface EntrantStanding {
  entrant: string;
  overall: WinRecord;
  sides: Record<Side, WinRecord>;
  roles: Record<Role, WinRecord>;
  rating: EntrantRating | null;
}

export interface PairingCell {
  wolves: string;
  village: string;
  /** The werewolves' win rate in this pairing. */
  wolvesWin: WinRecord;
}

export interface Standings {
  games: number;
  wolvesWins: number;
  villageWins: number;
  draws: number;
  entrants: EntrantStanding[];
  /** 'sides' schedule only: one cell per (wolves entrant, village entrant). */
  pairings: PairingCell[];
}

class Tally {
  wins = 0;
  trials = 0;
  draws = 0;
  add(won: boolean, draw: boolean): void {
    this.trials++;
    if (won) this.wins++;
    if (draw) this.draws++;
  }
  record(): WinRecord {
    return { ...wilson(this.wins, this.trials), draws: this.draws };
  }
}

export const SIDES: readonly Side[] = ['wolves', 'village'];

export function computeStandings(
  games: readonly PlayedGame[],
  entrants: readonly string[],
  ratings: ReadonlyMap<string, EntrantRating> = new Map(),
  pairs: readonly { wolves: string | null; village: string | null }[] = [],
): Standings {
  const overall = new Map(entrants.map((e) => [e, new Tally()]));
  const bySide = new Map(entrants.map((e) => [e, { wolves: new Tally(), village: new Tally() } as Record<Side, Tally>]));
  const byRole = new Map(entrants.map((e) => [e, Object.fromEntries(ROLES.map((r) => [r, new Tally()])) as Record<Role, Tally>]));
  const cells = new Map<string, { wolves: string; village: string; tally: Tally }>();
  let wolvesWins = 0;
  let villageWins = 0;
  let draws = 0;
  games.forEach((g, i) => {
    if (g.winner === 'wolves') wolvesWins++;
    else if (g.winner === 'village') villageWins++;
    else draws++;
    const draw = g.winner === 'draw';
    const sides = new Set<string>();
    const roles = new Set<string>();
    g.seats.forEach((entrant, seat) => {
      const role = g.roles[seat]!;
      const side = sideOf(role);
      const won = g.winner === side;
      if (!sides.has(`${entrant}/${side}`)) {
        sides.add(`${entrant}/${side}`);
        bySide.get(entrant)?.[side].add(won, draw);
        overall.get(entrant)?.add(won, draw);
      }
      if (!roles.has(`${entrant}/${role}`)) {
        roles.add(`${entrant}/${role}`);
        byRole.get(entrant)?.[role].add(won, draw);
      }
    });
    const pair = pairs[i];
    if (pair && pair.wolves !== null && pair.village !== null) {
      const key = `${pair.wolves}\u0000${pair.village}`;
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { wolves: pair.wolves, village: pair.village, tally: new Tally() }));
      cell.tally.add(g.winner === 'wolves', draw);
    }
  });
  return {
    games: games.length,
    wolvesWins,
    villageWins,
    draws,
    entrants: entrants.map((entrant) => ({
      entrant,
      overall: overall.get(entrant)!.record(),
      sides: { wolves: bySide.get(entrant)!.wolves.record(), village: bySide.get(entrant)!.village.record() },
      roles: Object.fromEntries(ROLES.map((r) => [r, byRole.get(entrant)![r].record()])) as Record<Role, WinRecord>,
      rating: ratings.get(entrant) ?? null,
    })),
    pairings: [...cells.values()].map((c) => ({ wolves: c.wolves, village: c.village, wolvesWin: c.tally.record() })),
  };
}
