/**
 * Ratings from game results, with maintained libraries: Elo by `multi-elo` and Weng–Lin
 * (OpenSkill, Plackett–Luce) by `openskill`. A game is two teams, the werewolves and the village;
 * the winners place first, a draw ties them.
 *
 *  - Elo: each team's rating is the mean of its seats' entrant ratings; multi-elo updates the two
 *    team ratings (K = 32, D = 400), and each entrant moves by its team's change times its share
 *    of the team's seats (an entrant on both teams gets both moves).
 *  - OpenSkill: each team lists its distinct entrants, weighted by the seats they hold; the
 *    library updates every entrant's (μ, σ). The ordinal μ − 3σ ranks.
 * Updates are applied game by game, in game order, so a league's ratings are reproducible.
 * @module
 */
import { MultiElo } from 'multi-elo';
import { ordinal, rate, rating } from 'openskill';
import type { Winner } from '../envs/werewolf/index.js';

export const ELO_START = 1500;
export const ELO_K = 32;

export interface EntrantRating {
  elo: number;
  mu: number;
  sigma: number;
  ordinal: number;
  /** Games rated. */
  games: number;
}

export interface RatedGame {
  /** The entrant of each werewolf seat and of each village seat. */
  wolves: readonly string[];
  village: readonly string[];
  winner: Winner;
}

export class LeagueRatings {
  private readonly elo = new MultiElo({ k: ELO_K, d: 400 });
  private readonly table = new Map<string, EntrantRating>();

  constructor(entrants: readonly string[]) {
    for (const e of entrants) {
      const r = rating();
      this.table.set(e, { elo: ELO_START, mu: r.mu, sigma: r.sigma, ordinal: ordinal(r), games: 0 });
    }
  }

  get(entrant: string): EntrantRating {
    const r = this.table.get(entrant);
    if (!r) throw new RangeError(`No rating for '${entrant}'.`);
    return r;
  }

  /** Every entrant's rating, best ordinal first. */
  all(): { entrant: string; rating: EntrantRating }[] {
    return [...this.table].map(([entrant, rating]) => ({ entrant, rating: { ...rating } })).sort((a, b) => b.rating.ordinal - a.rating.ordinal || b.rating.elo - a.rating.elo);
  }

  update(game: RatedGame): void {
    const teams = [game.wolves, game.village];
    const places = game.winner === 'draw' ? [1, 1] : game.winner === 'wolves' ? [1, 2] : [2, 1];
    // Elo on team means.
    const means = teams.map((team) => team.reduce((s, e) => s + this.get(e).elo, 0) / team.length);
    const after = this.elo.getNewRatings(means, places);
    const eloDelta = new Map<string, number>();
    teams.forEach((team, i) => {
      const change = after[i]! - means[i]!;
      for (const e of team) eloDelta.set(e, (eloDelta.get(e) ?? 0) + change / team.length);
    });
    // OpenSkill on distinct entrants weighted by seats.
    const distinct = teams.map((team) => [...new Set(team)]);
    const weights = teams.map((team, i) => distinct[i]!.map((e) => team.filter((x) => x === e).length));
    const rated = rate(
      distinct.map((team) => team.map((e) => ({ mu: this.get(e).mu, sigma: this.get(e).sigma }))),
      { rank: places, weight: weights },
    );
    const muDelta = new Map<string, number>();
    const sigmaAfter = new Map<string, number>();
    distinct.forEach((team, i) =>
      team.forEach((e, j) => {
        const r = rated[i]![j]!;
        muDelta.set(e, (muDelta.get(e) ?? 0) + (r.mu - this.get(e).mu));
        sigmaAfter.set(e, Math.min(sigmaAfter.get(e) ?? Infinity, r.sigma));
      }),
    );
    for (const e of new Set([...game.wolves, ...game.village])) {
      const r = this.get(e);
      r.elo += eloDelta.get(e) ?? 0;
      r.mu += muDelta.get(e) ?? 0;
      r.sigma = sigmaAfter.get(e) ?? r.sigma;
      r.ordinal = ordinal({ mu: r.mu, sigma: r.sigma });
      r.games += 1;
    }
  }
}
