import { describe, expect, it } from 'vitest';
import { Rng } from '../../../envs/core/rng.js';
import { applyActions, admissibleActions, startGame, type WerewolfState } from '../../../envs/werewolf/game.js';
import { werewolfOptionsSchema, type WerewolfOptionsInput } from '../../../envs/werewolf/options.js';
import type { Role } from '../../../envs/werewolf/roles.js';

// Seats: 0 wolf, 1 seer, 2 doctor, 3 villager, 4 wolf, 5 villager, 6 villager.
const ROLES: Role[] = ['werewolf', 'seer', 'doctor', 'villager', 'werewolf', 'villager', 'villager'];

function game(options: WerewolfOptionsInput = {}) {
  const opts = werewolfOptionsSchema.parse(options);
  const state = startGame(ROLES);
  const rng = new Rng('game-test');
  const act = (actions: Record<number, string>) => applyActions(state, new Map(Object.entries(actions).map(([s, a]) => [Number(s), a])), opts, rng);
  const speakAll = (text = 'hello') => {
    while (state.phase === 'discussion') act({ [state.actors[0]!]: `say[${text}]` });
  };
  return { state, opts, act, speakAll };
}

const types = (state: WerewolfState) => state.events.map((e) => e.type);

describe('a scripted game (seat order, default rules)', () => {
  it('plays to a village win as computed by hand', () => {
    const { state, opts, act, speakAll } = game();
    expect(types(state)).toEqual(['deal', 'deal', 'deal', 'deal', 'deal', 'deal', 'deal', 'night']);
    expect(state.actors).toEqual([0, 1, 2]);
    expect(admissibleActions(state, 0, opts)).toEqual(['kill[1]', 'kill[2]', 'kill[3]', 'kill[5]', 'kill[6]']);
    expect(admissibleActions(state, 1, opts)).toEqual(['check[0]', 'check[2]', 'check[3]', 'check[4]', 'check[5]', 'check[6]']);
    expect(admissibleActions(state, 3, opts)).toEqual([]);

    // Night 1: wolf 0 proposes 3; seer checks 4 (a werewolf); doctor protects itself. Then wolf 4 decides on 5.
    let r = act({ 0: 'kill[3]', 1: 'check[4]', 2: 'protect[2]' });
    expect([...r.accepted.keys()]).toEqual([0, 1, 2]);
    expect(state.actors).toEqual([4]);
    expect(state.night).toEqual({ proposal: 3, victim: null, check: 4, protect: 2 });
    r = act({ 4: 'kill[5]' });
    expect(state.alive).toEqual([true, true, true, true, true, false, true]);
    expect(state.events.at(-1)).toEqual({ type: 'dawn', round: 1, killed: 5, victim: 5, saved: false });
    expect(state.seerHits).toBe(1);

    // Day 1: everyone alive speaks once, lowest seat first.
    expect(state.phase).toBe('discussion');
    const order: number[] = [];
    while (state.phase === 'discussion') {
      order.push(state.actors[0]!);
      act({ [state.actors[0]!]: 'say[hi]' });
    }
    expect(order).toEqual([0, 1, 2, 3, 4, 6]);

    // Vote: 4 gets 3 votes, 1 gets 2: 4 is exiled.
    expect(state.actors).toEqual([0, 1, 2, 3, 4, 6]);
    act({ 0: 'vote[1]', 4: 'vote[1]', 1: 'vote[4]' });
    expect(state.actors).toEqual([2, 3, 6]);
    act({ 2: 'vote[4]', 3: 'vote[4]', 6: 'vote[none]' });
    expect(state.events.at(-1)).toEqual({ type: 'night', round: 2 });
    expect(state.events.at(-2)).toEqual({ type: 'vote', round: 1, ballots: [[0, 1], [1, 4], [2, 4], [3, 4], [4, 1], [6, null]], exiled: 4, tied: [] });
    expect(state.correctVotes).toEqual([1, 1, 1, 1, 1, 0, 0]);

    // Night 2: a lone wolf decides alone; the doctor may not protect itself twice running.
    expect(state.actors).toEqual([0, 1, 2]);
    r = act({ 0: 'kill[1]', 1: 'check[0]', 2: 'protect[2]' });
    expect(r.refused.get(2)).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/two nights running/) });
    expect(r.refused.get(2)!.suggestions).not.toContain('protect[2]');
    expect(state.actors).toEqual([2]);
    act({ 2: 'protect[1]' });
    expect(state.events.at(-1)).toEqual({ type: 'dawn', round: 2, killed: null, victim: 1, saved: true });
    expect(state.seerHits).toBe(2);

    // Day 2: everyone votes 0; the village wins.
    speakAll();
    act({ 0: 'vote[1]', 1: 'vote[0]', 2: 'vote[0]', 3: 'vote[0]', 6: 'vote[0]' });
    expect(state.phase).toBe('over');
    expect(state.winner).toBe('village');
    expect(state.actors).toEqual([]);
    expect(state.events.at(-1)).toEqual({ type: 'end', round: 2, winner: 'village', reason: 'both werewolves are out' });
  });

  it('ends at parity with a werewolf win', () => {
    const { state, act, speakAll } = game();
    act({ 0: 'kill[3]', 1: 'check[6]', 2: 'protect[2]' });
    act({ 4: 'kill[3]' });
    speakAll();
    act({ 0: 'vote[1]', 1: 'vote[none]', 2: 'vote[none]', 4: 'vote[1]', 5: 'vote[none]', 6: 'vote[none]' });
    expect(state.alive).toEqual([true, false, true, false, true, true, true]);
    act({ 0: 'kill[2]', 2: 'protect[5]' });
    act({ 4: 'kill[2]' });
    // 2 werewolves (0, 4) and 2 others (5, 6): parity.
    expect(state.winner).toBe('wolves');
    expect(state.endReason).toBe('2 werewolves and 2 other players alive');
  });

  it('ends in a draw at the round cap, never with a random winner', () => {
    const { state, act, speakAll } = game({ maxRounds: 1 });
    act({ 0: 'kill[3]', 1: 'check[6]', 2: 'protect[3]' });
    act({ 4: 'kill[3]' });
    speakAll();
    act({ 0: 'vote[1]', 1: 'vote[0]', 2: 'vote[none]', 3: 'vote[none]', 4: 'vote[6]', 5: 'vote[none]', 6: 'vote[4]' });
    expect(state.events.at(-2)).toMatchObject({ type: 'vote', exiled: null, tied: [0, 1, 4, 6] });
    expect(state.winner).toBe('draw');
    expect(state.endReason).toBe('1 round without a winner');
  });

  it('refuses each kind of bad input with a clear reason and goes on', () => {
    const { state, act, speakAll } = game();
    let r = act({ 0: 'kill[4]', 1: 'check[1]', 2: 'kill[3]', 3: 'vote[0]' });
    expect(r.refused.get(0)).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/werewolf like you/) });
    expect(r.refused.get(1)).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/own role/) });
    expect(r.refused.get(2)).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/doctor protects a player: protect\[p\]/) });
    expect(r.refused.get(3)).toMatchObject({ code: 'NOT_YOUR_TURN' });
    expect(state.actors).toEqual([0, 1, 2]);
    r = act({ 0: 'kill[9]', 1: 'check[x]', 2: '' });
    expect([...r.refused.values()].map((x) => x.code)).toEqual(['UNKNOWN_OBJECT', 'PARSE_ERROR', 'EMPTY_ACTION']);
    act({ 0: 'kill[5]', 1: 'check[4]', 2: 'protect[6]' });
    act({ 4: 'kill[5]' });
    // Acting while dead, voting for the dead or for oneself.
    expect(act({ 5: 'say[boo]' }).refused.get(5)).toMatchObject({ code: 'NOT_YOUR_TURN', message: 'Player 5 is out of the game (killed on night 1) and no longer acts.' });
    speakAll();
    r = act({ 0: 'vote[5]', 1: 'vote[1]', 2: 'vote[7]' });
    expect(r.refused.get(0)).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/out of the game/) });
    expect(r.refused.get(1)).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/yourself/) });
    expect(r.refused.get(2)).toMatchObject({ code: 'UNKNOWN_OBJECT' });
    expect(state.phase).toBe('vote');
    expect(state.actors).toEqual([0, 1, 2, 3, 4, 6]);
  });

  it('accepts a speech over the cap cut, with a notice, and cleans control characters', () => {
    const { state, act } = game({ speechLimit: 10 });
    act({ 0: 'kill[5]', 1: 'check[4]', 2: 'protect[6]' });
    act({ 4: 'kill[5]' });
    const r = act({ 0: 'say[line\none is far too long]' });
    expect(r.accepted.get(0)).toBe('say[line one i]');
    expect(r.notices.get(0)).toEqual({
      notice: 'Your speech was accepted, but it was cut to 10 characters (it had 24), and 1 control character was removed or replaced by spaces.',
      speech: { originalLength: 24, length: 10, cut: true, controlCharacters: 1 },
    });
    expect(state.events.at(-1)).toMatchObject({ type: 'speech', speaker: 0, text: 'line one i' });
  });
});

describe('bidding discussion', () => {
  it('collects bids, gives the floor to the highest, prefers the mentioned on ties, and stops after maxTurns', () => {
    const { state, opts, act } = game({ discussion: 'bidding', maxTurns: 2 });
    act({ 0: 'kill[5]', 1: 'check[4]', 2: 'protect[6]' });
    act({ 4: 'kill[5]' });
    expect(state.discussion.stage).toBe('bid');
    expect(state.actors).toEqual([0, 1, 2, 3, 4, 6]);
    expect(admissibleActions(state, 3, opts)).toEqual(['bid[0]', 'bid[1]', 'bid[2]', 'bid[3]', 'bid[4]']);
    act({ 0: 'bid[1]', 1: 'bid[4]', 2: 'bid[0]', 3: 'bid[2]', 4: 'bid[0]', 6: 'bid[3]' });
    expect(state.events.at(-1)).toEqual({ type: 'floor', round: 1, turn: 1, speaker: 1, bid: 4, bids: [1, 4, 0, 2, 0, null, 3] });
    expect(state.actors).toEqual([1]);
    expect(act({ 1: 'bid[4]' }).refused.get(1)).toMatchObject({ code: 'NOT_ADMISSIBLE' });
    act({ 1: 'say[player 6, what do you say?]' });
    // Bidders exclude the last speaker; 3 and 6 tie at 4, and 6 was named.
    expect(state.actors).toEqual([0, 2, 3, 4, 6]);
    act({ 0: 'bid[0]', 2: 'bid[0]', 3: 'bid[4]', 4: 'bid[1]', 6: 'bid[4]' });
    expect(state.events.at(-1)).toMatchObject({ type: 'floor', turn: 2, speaker: 6, bid: 4 });
    act({ 6: 'say[I am a villager]' });
    expect(state.phase).toBe('vote');
  });
});
