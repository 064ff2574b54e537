import { describe, expect, it } from 'vitest';
import { UnknownTaskError } from '../../../envs/core/errors.js';
import { dealFromSeed, ROLE_DECK, seatsWith, sideOf } from '../../../envs/werewolf/roles.js';
import { dealForTask, resolveWerewolfTask, taskForSeed, WEREWOLF_SPLITS, werewolfTaskId } from '../../../envs/werewolf/tasks.js';

const sorted = (roles: readonly string[]) => [...roles].sort();

describe('the deal', () => {
  it('deals the whole deck: 2 werewolves, a seer, a doctor, 3 villagers', () => {
    for (let seed = 0; seed < 50; seed++) expect(sorted(dealFromSeed(seed))).toEqual(sorted(ROLE_DECK));
  });

  it('is a function of the seed, and seeds spread over seats', () => {
    expect(dealFromSeed(7)).toEqual(dealFromSeed(7));
    const wolfSeats = new Set<string>();
    for (let seed = 0; seed < 200; seed++) wolfSeats.add(seatsWith(dealFromSeed(seed), 'werewolf').join(','));
    expect(wolfSeats.size).toBeGreaterThan(15); // of the 21 possible pairs
  });

  it('puts werewolves on one side and everyone else on the other', () => {
    expect(sideOf('werewolf')).toBe('wolves');
    for (const role of ['seer', 'doctor', 'villager'] as const) expect(sideOf(role)).toBe('village');
  });
});

describe('tasks and splits', () => {
  it('has the documented sizes', () => {
    expect(WEREWOLF_SPLITS).toEqual({ train: 10_000, valid: 1_000, test: 1_000 });
  });

  it('resolves split/index, ids and bare id strings to the same task', () => {
    const a = resolveWerewolfTask({ split: 'valid', index: 42 });
    expect(a).toEqual({ id: 'werewolf/valid/00042', split: 'valid', index: 42 });
    expect(resolveWerewolfTask({ id: 'werewolf/valid/00042' })).toEqual(a);
    expect(resolveWerewolfTask('werewolf/valid/42')).toEqual(a);
    expect(werewolfTaskId('test', 7)).toBe('werewolf/test/00007');
  });

  it('refuses unknown splits and out-of-range indices, naming the ranges', () => {
    expect(() => resolveWerewolfTask({ split: 'dev', index: 0 })).toThrow(UnknownTaskError);
    expect(() => resolveWerewolfTask({ split: 'test', index: 1000 })).toThrow(/test \(0\.\.999\)/);
    expect(() => resolveWerewolfTask('werewolf/train/10000')).toThrow(UnknownTaskError);
    expect(() => resolveWerewolfTask('nonsense')).toThrow(/werewolf\/train\/\d{5}/);
  });

  it('deals the same roles for a task every time, and differently across tasks', () => {
    expect(dealForTask('train', 3)).toEqual(dealForTask('train', 3));
    const deals = new Set(Array.from({ length: 30 }, (_, i) => dealForTask('train', i).join()));
    expect(deals.size).toBeGreaterThan(20);
  });

  it('draws a train task from a seed when none is given', () => {
    expect(taskForSeed(5)).toEqual(taskForSeed(5));
    expect(taskForSeed(5).split).toBe('train');
  });
});
