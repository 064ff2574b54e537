import { describe, expect, it } from 'vitest';
import { Rng } from '../../../envs/core/rng.js';
import { LEARNER } from '../../../league/training/payoff-table.js';
import { TrainingLeague } from '../../../league/training/training-league.js';

describe('TrainingLeague', () => {
  it('rates the learner against members and gives a new checkpoint the learner rating and record', () => {
    const league = TrainingLeague.create(['bot:a', 'bot:b'], { meta: 'pfsp' });
    const start = league.rating(LEARNER).mu;
    for (let i = 0; i < 5; i++) league.record('bot:a', 1);
    expect(league.rating(LEARNER).mu).toBeGreaterThan(start);
    expect(league.rating('bot:a').mu).toBeLessThan(start);
    expect(league.rating('bot:b').mu).toBe(start);
    league.addCheckpoint('it4', '/x/it4', 4);
    expect(league.rating('it4').mu).toBe(league.rating(LEARNER).mu);
    expect(league.payoffs.meanScore('it4', 'bot:a')).toBe(1);
    expect(() => league.addCheckpoint('it4', '/x', 4)).toThrow(/already/);
  });

  it('pfsp draws the members the learner does not beat; an unloadable member is never drawn', () => {
    const league = TrainingLeague.create(['bot:a', 'bot:b'], { meta: 'pfsp' });
    for (let i = 0; i < 10; i++) league.record('bot:a', 1); // beaten: weight 0
    const d = league.distribution();
    expect(d.map((x) => [x.member.name, x.probability])).toEqual([
      ['bot:a', 0],
      ['bot:b', 1],
    ]);
    const rng = new Rng('t');
    for (let i = 0; i < 20; i++) expect(league.sample(rng).name).toBe('bot:b');
    league.addCheckpoint('it0', '/x/it0', 0);
    league.markUnloadable('it0', 'gone');
    expect(league.active().map((m) => m.name)).toEqual(['bot:a', 'bot:b']);
    expect(league.allMembers().find((m) => m.name === 'it0')).toMatchObject({ status: 'unloadable', error: 'gone' });
  });

  it('round-trips its state (members, ratings, payoff table) and keeps drawing the same', () => {
    const league = TrainingLeague.create(['bot:a'], { meta: 'uniform' });
    league.record('bot:a', 0);
    league.addCheckpoint('it0', '/x/it0', 0);
    league.endIteration(0.5);
    const copy = TrainingLeague.fromState(JSON.parse(JSON.stringify(league.state())));
    expect(copy.state()).toEqual(league.state());
    const [r1, r2] = [new Rng('s'), new Rng('s')];
    for (let i = 0; i < 10; i++) expect(copy.sample(r1).name).toBe(league.sample(r2).name);
  });

  it('nash plays the equilibrium of the members matrix', () => {
    const league = TrainingLeague.create(['r', 'p', 's'], { meta: 'nash' });
    // Members' own rows (as checkpoints would have): an RPS cycle.
    for (const [a, b] of [['r', 's'], ['s', 'p'], ['p', 'r']] as const) for (let i = 0; i < 4; i++) league.payoffs.record(a, b, 1);
    for (const { probability } of league.distribution()) expect(probability).toBeCloseTo(1 / 3, 2);
  });
});
