import { describe, expect, it } from 'vitest';
import { planGame, planGames, roleSlots, sidePairings } from '../../league/schedule.js';
import { dealForTask } from '../../envs/werewolf/tasks.js';

const SIDES = { schedule: 'sides', split: 'test', splitSize: 1000, seed: 10 } as const;

describe('the sides schedule', () => {
  it('pairs every ordered couple of entrants, mirrors included unless left out', () => {
    expect(sidePairings(['a', 'b'])).toEqual([['a', 'a'], ['a', 'b'], ['b', 'a'], ['b', 'b']]);
    expect(sidePairings(['a', 'b'], false)).toEqual([['a', 'b'], ['b', 'a']]);
  });

  it('gives the werewolf seats to one side\'s entrant and the rest to the other, on the task\'s deal', () => {
    const plan = planGame(['a', 'b'], 1, SIDES);
    expect(plan.wolves).toBe('a');
    expect(plan.village).toBe('b');
    expect(plan.task).toEqual({ split: 'test', index: 10 });
    expect(plan.roles).toEqual(dealForTask('test', 10));
    plan.roles.forEach((role, seat) => expect(plan.seats[seat]).toBe(role === 'werewolf' ? 'a' : 'b'));
  });

  it('plays every pairing of a block on the same task and seed, and moves on block by block', () => {
    const plans = planGames(['a', 'b', 'c'], 18, SIDES);
    for (let block = 0; block < 2; block++) {
      const blockPlans = plans.slice(9 * block, 9 * block + 9);
      expect(new Set(blockPlans.map((p) => `${p.task.index}/${p.seed}`))).toEqual(new Set([`${10 + block}/${10 + block}`]));
      expect(new Set(blockPlans.map((p) => `${p.wolves}>${p.village}`)).size).toBe(9);
    }
  });

  it('wraps around the split', () => {
    expect(planGame(['a'], 5, { ...SIDES, splitSize: 3, seed: 0 }).task.index).toBe(2);
  });
});

describe('the seats schedule', () => {
  it('orders a deal\'s role slots: werewolves, seer, doctor, villagers', () => {
    expect(roleSlots(['villager', 'werewolf', 'doctor', 'villager', 'seer', 'werewolf', 'villager'])).toEqual([1, 5, 4, 2, 0, 3, 6]);
  });

  it('rotates entrants through role slots: over k games each holds each slot once', () => {
    const entrants = ['a', 'b', 'c'];
    const plans = planGames(entrants, 3, { schedule: 'seats', split: 'train', splitSize: 10_000, seed: 0 });
    for (let slot = 0; slot < 7; slot++) {
      const holders = plans.map((p) => p.seats[roleSlots(p.roles)[slot]!]);
      expect(new Set(holders)).toEqual(new Set(entrants));
    }
    expect(plans.every((p) => p.wolves === null && p.village === null)).toBe(true);
  });
});
