import { describe, expect, it } from 'vitest';
import { ALL_DEALS, possibleDeals, roleBeliefs } from '../../../agents/werewolf/beliefs.js';
import { newSeatView, type SeatView } from '../../../agents/werewolf/seat-view.js';
import { parseClaims } from '../../../envs/werewolf/claims.js';
import type { Role } from '../../../envs/werewolf/roles.js';

function view(me: number, role: Role, patch: Partial<SeatView> = {}): SeatView {
  return { ...newSeatView(), me, role, round: 1, ...patch };
}

const say = (speaker: number, text: string, round = 1) => ({ round, speaker, text, claims: parseClaims(text) });

describe('beliefs over deals', () => {
  it('enumerates the 420 deals of the deck', () => {
    expect(ALL_DEALS).toHaveLength(420);
    expect(new Set(ALL_DEALS.map((d) => d.join())).size).toBe(420);
  });

  it('keeps the deals a seat\'s sure knowledge allows (counted by hand)', () => {
    // A villager: the other 6 seats hold 2 werewolves, seer, doctor, 2 villagers: 6!/(2!·2!) = 180.
    expect(possibleDeals(view(0, 'villager'))).toHaveLength(180);
    // A werewolf who knows its teammate: 5 seats hold seer, doctor, 3 villagers: 5!/3! = 20.
    expect(possibleDeals(view(0, 'werewolf', { teammate: 3 }))).toHaveLength(20);
    // The seer: 6 seats hold 2 werewolves, doctor, 3 villagers: 6!/(2!·3!) = 60; a check that
    // found seat 2 a werewolf leaves 5 choices for the other werewolf × 4 doctors = 20.
    expect(possibleDeals(view(0, 'seer'))).toHaveLength(60);
    expect(possibleDeals(view(0, 'seer', { checks: [{ round: 1, target: 2, werewolf: true }] }))).toHaveLength(20);
    // Night victims are never werewolves: a villager who saw seat 4 die has 5 seats for the pair: C(5,2)·4·3 = 120.
    expect(possibleDeals(view(0, 'villager', { nightKills: new Map([[1, 4]]) }))).toHaveLength(120);
  });

  it('without evidence, spreads the werewolves evenly', () => {
    const b = roleBeliefs(view(0, 'villager'));
    expect(b.wolf[0]).toBe(0);
    for (let s = 1; s < 7; s++) expect(b.wolf[s]).toBeCloseTo(2 / 6, 10);
    expect(b.wolf.reduce((a, x) => a + x, 0)).toBeCloseTo(2, 10);
    expect(b.seer.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 10);
  });

  it('weighs a lone seer claim and its result as computed by hand', () => {
    // Seat 1 claims the seer and says seat 2 is a werewolf. Over the 180 deals of a villager at 0:
    //  1 the seer (30 deals): 12 with 2 a werewolf (×1), 18 without (×0.02)       → 12.36
    //  1 a werewolf (60): ×0.15; 12 name its teammate 2 (×0.1)  → 12·0.015 + 48·0.15 = 7.38
    //  1 the doctor or a villager (90): ×0.02, 2 a werewolf in 2/5 of them        → 1.8
    // P(1 seer) = 12.36 / 21.54; P(2 werewolf) = (12 + 0.18 + 0.72) / 21.54.
    const b = roleBeliefs(view(0, 'villager', { speeches: [say(1, 'I am the seer. I checked player 2: a werewolf.')] }));
    expect(b.seer[1]).toBeCloseTo(12.36 / 21.54, 10);
    expect(b.wolf[2]).toBeCloseTo(12.9 / 21.54, 10);
  });

  it('doubts a counter-claim that names the first claimant a werewolf', () => {
    const v = view(0, 'villager', {
      speeches: [say(1, 'I am the seer. I checked player 3: not a werewolf.'), say(2, 'I am the seer. I checked player 1: a werewolf.')],
    });
    const b = roleBeliefs(v);
    expect(b.seer[1]).toBeGreaterThan(b.seer[2]!);
    expect(b.wolf[2]).toBeGreaterThan(b.wolf[1]!);
  });

  it('counts nonsense against the talker, and ignores what it says', () => {
    const v = view(0, 'villager', { speeches: [say(5, 'I am a werewolf. I am the seer. I checked player 2: a werewolf.')] });
    const b = roleBeliefs(v);
    expect(b.wolf[5]).toBeGreaterThan(b.wolf[2]!);
    expect(b.seer[5]).toBeLessThan(0.2);
  });
});
