import { describe, expect, it } from 'vitest';
import { ELO_START, LeagueRatings } from '../../league/ratings.js';
import { computeStandings } from '../../league/standings.js';
import type { Role } from '../../envs/werewolf/roles.js';

const ROLES: Role[] = ['werewolf', 'seer', 'doctor', 'villager', 'werewolf', 'villager', 'villager'];
const sides = (wolves: string, village: string) => ROLES.map((r) => (r === 'werewolf' ? wolves : village));

describe('standings', () => {
  it('count a game once per entrant and side, and once per entrant and role', () => {
    const s = computeStandings(
      [
        { seats: sides('a', 'b'), roles: ROLES, winner: 'wolves' },
        { seats: sides('b', 'a'), roles: ROLES, winner: 'wolves' },
        { seats: sides('a', 'a'), roles: ROLES, winner: 'draw' },
      ],
      ['a', 'b'],
      new Map(),
      [
        { wolves: 'a', village: 'b' },
        { wolves: 'b', village: 'a' },
        { wolves: 'a', village: 'a' },
      ],
    );
    expect(s).toMatchObject({ games: 3, wolvesWins: 2, villageWins: 0, draws: 1 });
    const a = s.entrants.find((e) => e.entrant === 'a')!;
    // a: wolves in games 0 and 2 (won, draw); village in games 1 and 2 (lost, draw).
    expect(a.sides.wolves).toMatchObject({ successes: 1, trials: 2, draws: 1 });
    expect(a.sides.village).toMatchObject({ successes: 0, trials: 2, draws: 1 });
    expect(a.overall).toMatchObject({ successes: 1, trials: 4 });
    expect(a.roles.villager).toMatchObject({ successes: 0, trials: 2 }); // three villager seats, counted once a game
    expect(a.roles.werewolf).toMatchObject({ successes: 1, trials: 2 });
    const b = s.entrants.find((e) => e.entrant === 'b')!;
    expect(b.sides.wolves).toMatchObject({ successes: 1, trials: 1 });
    expect(b.sides.village).toMatchObject({ successes: 0, trials: 1 });
    expect(s.pairings).toHaveLength(3);
    expect(s.pairings.find((p) => p.wolves === 'a' && p.village === 'b')!.wolvesWin).toMatchObject({ successes: 1, trials: 1 });
  });
});

describe('ratings', () => {
  it('move Elo by K/2 = 16 for an even 1-vs-1 game, and leave it for a draw', () => {
    const r = new LeagueRatings(['a', 'b']);
    r.update({ wolves: ['a', 'a'], village: ['b', 'b', 'b', 'b', 'b'], winner: 'wolves' });
    expect(r.get('a').elo).toBeCloseTo(ELO_START + 16, 10);
    expect(r.get('b').elo).toBeCloseTo(ELO_START - 16, 10);
    const d = new LeagueRatings(['a', 'b']);
    d.update({ wolves: ['a', 'a'], village: ['b', 'b', 'b', 'b', 'b'], winner: 'draw' });
    expect(d.get('a').elo).toBeCloseTo(ELO_START, 10);
  });

  it('raise the winners\' OpenSkill μ, lower the losers\', and shrink σ', () => {
    const r = new LeagueRatings(['a', 'b']);
    const before = { ...r.get('a') };
    r.update({ wolves: ['a', 'a'], village: ['b', 'b', 'b', 'b', 'b'], winner: 'village' });
    expect(r.get('b').mu).toBeGreaterThan(before.mu);
    expect(r.get('a').mu).toBeLessThan(before.mu);
    expect(r.get('a').sigma).toBeLessThan(before.sigma);
    expect(r.get('b').ordinal).toBeCloseTo(r.get('b').mu - 3 * r.get('b').sigma, 10);
    expect(r.all()[0]!.entrant).toBe('b');
  });

  it('leave an entrant on both teams of a mirror game where it was', () => {
    const r = new LeagueRatings(['a']);
    r.update({ wolves: ['a', 'a'], village: ['a', 'a', 'a', 'a', 'a'], winner: 'wolves' });
    expect(r.get('a').elo).toBeCloseTo(ELO_START, 10);
    expect(r.get('a').games).toBe(1);
  });
});
