import { describe, expect, it } from 'vitest';
import { dealForTask } from '../../../envs/werewolf/tasks.js';
import { newSeatView, readObservation, viewOf } from '../../../agents/werewolf/seat-view.js';
import { scriptedGame } from './fixtures.js';

const ROLES = dealForTask('valid', 0);

describe('the seat view', () => {
  it('reads role, teammate, deaths, speeches with claims and votes from a seat\'s own observation', () => {
    const { results } = scriptedGame(30, (seat) => `I am a villager. I suspect player ${(seat + 1) % 7}.`);
    const wolf = ROLES.indexOf('werewolf');
    const mate = ROLES.lastIndexOf('werewolf');
    const last = results.at(-1)!;
    const view = viewOf(last.observations[wolf]!.text);
    expect(view.me).toBe(wolf);
    expect(view.role).toBe('werewolf');
    expect(view.teammate).toBe(mate);
    expect(view.wolfChoices.length).toBeGreaterThan(0);
    expect(view.speeches[0]!.claims).toEqual([{ type: 'role', role: 'villager' }, { type: 'suspect', target: (view.speeches[0]!.speaker + 1) % 7 }]);
    const roles = last.info.roles as string[];
    const dead = roles.map((_, s) => s).filter((s) => !view.alive[s]);
    expect(new Set(view.deaths.map((d) => d.seat))).toEqual(new Set(dead));
    expect(view.votes.length).toBeGreaterThan(0);
    const seer = ROLES.indexOf('seer');
    expect(viewOf(last.observations[seer]!.text).checks.length).toBeGreaterThan(0);
    expect(viewOf(last.observations[seer]!.text).teammate).toBeNull();
  });

  it('reads incrementally what a fresh read gets at once', () => {
    const { results } = scriptedGame(40);
    for (let seat = 0; seat < 7; seat++) {
      const incremental = newSeatView();
      for (const r of results) readObservation(incremental, r.observations[seat]!.text, r.observations[seat]!.anchor);
      const fresh = viewOf(results.at(-1)!.observations[seat]!.text);
      expect(incremental).toEqual(fresh);
    }
  });

  it('refuses a record that shrank (a view reused across games)', () => {
    const { results } = scriptedGame(10);
    const view = viewOf(results.at(-1)!.observations[0]!.text);
    expect(() => readObservation(view, results[0]!.observations[0]!.text)).toThrow(/shrank/);
  });
});
