import { describe, expect, it } from 'vitest';
import { Rng } from '../../../envs/core/rng.js';
import { bidders, mentionedPlayers, nextInSeatOrder, pickSpeaker } from '../../../envs/werewolf/discussion.js';
import {
  checkCheckTarget,
  checkKillTarget,
  checkProtectTarget,
  checkTargets,
  killTargets,
  nightCast,
  protectTargets,
  resolveNight,
} from '../../../envs/werewolf/night.js';
import { isCorrectVote, seatRewardComponents, teamReward } from '../../../envs/werewolf/reward.js';
import type { Role } from '../../../envs/werewolf/roles.js';
import { checkVoteTarget, tallyVotes, voteTargets } from '../../../envs/werewolf/vote.js';
import { checkWinner } from '../../../envs/werewolf/win.js';

// Seats: 0 wolf, 1 seer, 2 doctor, 3 villager, 4 wolf, 5 villager, 6 villager.
const ROLES: Role[] = ['werewolf', 'seer', 'doctor', 'villager', 'werewolf', 'villager', 'villager'];
const ALL = ROLES.map(() => true);
const without = (...dead: number[]) => ROLES.map((_, s) => !dead.includes(s));
const RULES = { doctorSelfSave: true, doctorRepeatSave: false };

describe('night', () => {
  it('casts the first living werewolf as proposer and the second as decider', () => {
    expect(nightCast(ROLES, ALL)).toEqual({ proposer: 0, decider: 4, seer: 1, doctor: 2 });
    expect(nightCast(ROLES, without(0, 2))).toEqual({ proposer: 4, decider: null, seer: 1, doctor: null });
  });

  it('lets the werewolves kill a living non-werewolf only', () => {
    expect(killTargets(ROLES, without(5))).toEqual([1, 2, 3, 6]);
    expect(checkKillTarget(ROLES, ALL, 4)).toMatch(/werewolf like you/);
    expect(checkKillTarget(ROLES, without(3), 3)).toMatch(/out of the game/);
    expect(checkKillTarget(ROLES, ALL, 3)).toBeNull();
  });

  it('lets the seer check a living player other than itself', () => {
    expect(checkTargets(without(6), 1)).toEqual([0, 2, 3, 4, 5]);
    expect(checkCheckTarget(ALL, 1, 1)).toMatch(/own role/);
  });

  it('applies the self-save and repeat-save rules to the doctor', () => {
    expect(protectTargets(ALL, 2, null, RULES)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(protectTargets(ALL, 2, 3, RULES)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(protectTargets(ALL, 2, 3, { doctorSelfSave: false, doctorRepeatSave: true })).toEqual([0, 1, 3, 4, 5, 6]);
    expect(checkProtectTarget(ALL, 2, 2, null, { doctorSelfSave: false, doctorRepeatSave: false })).toMatch(/cannot protect itself/);
    expect(checkProtectTarget(ALL, 2, 5, 5, RULES)).toMatch(/two nights running/);
  });

  it('saves a protected victim and kills an unprotected one', () => {
    expect(resolveNight(3, 3)).toEqual({ killed: null, saved: true });
    expect(resolveNight(3, 5)).toEqual({ killed: 3, saved: false });
    expect(resolveNight(3, null)).toEqual({ killed: 3, saved: false });
  });
});

describe('discussion turn-taking', () => {
  it('goes in seat order over the living', () => {
    expect(nextInSeatOrder(without(0), [])).toBe(1);
    expect(nextInSeatOrder(without(0), [1, 2])).toBe(3);
    expect(nextInSeatOrder(without(6), [0, 1, 2, 3, 4, 5])).toBeNull();
  });

  it('lets everyone alive but the last speaker bid', () => {
    expect(bidders(without(2), 5)).toEqual([0, 1, 3, 4, 6]);
    expect(bidders(ALL, null)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('finds the players a speech names', () => {
    expect(mentionedPlayers('Player 3, and P5, why? player 9 and player 3 again', 7)).toEqual([3, 5]);
  });

  it('gives the floor to the highest bid, then to the mentioned, then by draw', () => {
    const rng = new Rng(1);
    expect(pickSpeaker([1, 4, null, 2, 0, 0, 0], [], rng)).toBe(1);
    expect(pickSpeaker([3, 1, 3, 3, null, 0, 0], [2], rng)).toBe(2);
    const drawn = new Set(Array.from({ length: 40 }, () => pickSpeaker([3, 1, 3, 3, null, 0, 0], [], rng)));
    expect(drawn).toEqual(new Set([0, 2, 3]));
  });
});

describe('vote', () => {
  it('allows a living player other than oneself, or abstaining', () => {
    expect(voteTargets(without(3), 0)).toEqual([1, 2, 4, 5, 6]);
    expect(checkVoteTarget(ALL, 0, null)).toBeNull();
    expect(checkVoteTarget(ALL, 0, 0)).toMatch(/yourself/);
    expect(checkVoteTarget(without(3), 0, 3)).toMatch(/out of the game/);
  });

  it('exiles the plurality', () => {
    const out = tallyVotes([[0, 1], [1, 4], [2, 4], [3, null], [4, 1], [5, 4], [6, 2]], 'no-exile', new Rng(1));
    expect(out.exiled).toBe(4);
    expect(out.tied).toEqual([]);
    expect(Object.fromEntries(out.counts)).toEqual({ 1: 2, 4: 3, 2: 1 });
  });

  it('exiles nobody on a tie by default, and draws among the tied with the random rule', () => {
    const ballots: [number, number | null][] = [[0, 1], [1, 4], [2, 4], [3, 1], [4, null]];
    expect(tallyVotes(ballots, 'no-exile', new Rng(1))).toMatchObject({ exiled: null, tied: [1, 4] });
    const drawn = new Set(Array.from({ length: 30 }, (_, i) => tallyVotes(ballots, 'random', new Rng(i)).exiled));
    expect(drawn).toEqual(new Set([1, 4]));
  });

  it('exiles nobody when everyone abstains', () => {
    expect(tallyVotes([[0, null], [1, null]], 'random', new Rng(1))).toMatchObject({ exiled: null, tied: [] });
  });
});

describe('win conditions', () => {
  it('village wins when both werewolves are out', () => {
    expect(checkWinner(ROLES, without(0, 4))).toEqual({ winner: 'village', reason: 'both werewolves are out' });
  });

  it('werewolves win at parity', () => {
    expect(checkWinner(ROLES, without(1, 2, 3))).toEqual({ winner: 'wolves', reason: '2 werewolves and 2 other players alive' });
    expect(checkWinner(ROLES, without(0, 1, 2, 3, 5))).toEqual({ winner: 'wolves', reason: '1 werewolf and 1 other player alive' });
  });

  it('nobody wins while the werewolves are outnumbered', () => {
    expect(checkWinner(ROLES, ALL)).toBeNull();
    expect(checkWinner(ROLES, without(0, 1, 2))).toBeNull(); // 1 werewolf, 3 others
  });
});

describe('rewards', () => {
  it('pays +1 / −1 by side, 0 for a draw or a running game', () => {
    expect(teamReward('seer', 'village')).toBe(1);
    expect(teamReward('werewolf', 'village')).toBe(-1);
    expect(teamReward('werewolf', 'wolves')).toBe(1);
    expect(teamReward('villager', 'draw')).toBe(0);
    expect(teamReward('villager', null)).toBe(0);
  });

  it('counts a vote as correct when it targets the other side', () => {
    expect(isCorrectVote(ROLES, 3, 4)).toBe(true);
    expect(isCorrectVote(ROLES, 3, 5)).toBe(false);
    expect(isCorrectVote(ROLES, 0, 3)).toBe(true);
    expect(isCorrectVote(ROLES, 0, 4)).toBe(false);
    expect(isCorrectVote(ROLES, 0, null)).toBe(false);
  });

  it('reports the components; seer hits only for the seer', () => {
    expect(seatRewardComponents('seer', true, 'village', 2, 1)).toEqual({ teamWin: 1, survived: 1, correctVotes: 2, seerHits: 1 });
    expect(seatRewardComponents('villager', false, 'wolves', 0, 1)).toEqual({ teamWin: -1, survived: 0, correctVotes: 0, seerHits: 0 });
  });
});
