import { describe, expect, it } from 'vitest';
import type { GameEvent } from '../../../envs/werewolf/events.js';
import { formatEventLines, parseRecordLine } from '../../../envs/werewolf/record-lines.js';

const EVENTS: GameEvent[] = [
  { type: 'deal', seat: 3, role: 'werewolf', teammate: 5 },
  { type: 'night', round: 1 },
  { type: 'proposal', round: 1, wolf: 3, target: 4, pack: [3, 5] },
  { type: 'wolf-choice', round: 1, wolf: 5, target: 4, pack: [3, 5] },
  { type: 'check', round: 1, seer: 2, target: 3, werewolf: true },
  { type: 'protect', round: 1, doctor: 6, target: 4 },
  { type: 'dawn', round: 1, killed: null, victim: 4, saved: true },
  { type: 'floor', round: 1, turn: 2, speaker: 0, bid: 3, bids: [3, 1, null, 0, 0, 0, 0] },
  { type: 'speech', round: 1, turn: 1, speaker: 0, text: 'He said "hi" \\ and left' },
  { type: 'vote', round: 1, ballots: [[0, 3], [1, null], [2, 3], [3, 0]], exiled: 3, tied: [] },
  { type: 'vote', round: 2, ballots: [[0, 3], [3, 0]], exiled: null, tied: [0, 3] },
  { type: 'vote', round: 3, ballots: [[0, 3], [3, 0]], exiled: 0, tied: [0, 3] },
  { type: 'end', round: 3, winner: 'village', reason: 'both werewolves are out' },
];

describe('record lines', () => {
  it('writes the documented lines', () => {
    expect(formatEventLines(EVENTS[0]!, 3)).toEqual([
      'Game start: you are player 3 of 7 (players 0-6); the roles are 2 werewolves, 1 seer, 1 doctor and 3 villagers.',
      'Game start, private to player 3: your role is "werewolf".',
      'Game start, private to player 3: your fellow werewolf is "player 5".',
    ]);
    expect(formatEventLines(EVENTS[2]!, 3)).toEqual(['Night 1, private to player 3: you proposed "kill player 4"; your teammate decides.']);
    expect(formatEventLines(EVENTS[2]!, 5)).toEqual(['Night 1, private to player 5: your teammate (player 3) proposed "kill player 4".']);
    expect(formatEventLines(EVENTS[4]!, 2)).toEqual(['Night 1, private to player 2: you checked player 3: "a werewolf".']);
    expect(formatEventLines(EVENTS[6]!, 0)).toEqual(['Day 1 begins: nobody was killed during the night.']);
    expect(formatEventLines(EVENTS[9]!, 0)).toEqual(['Day 1 votes: 0→3, 1→none, 2→3, 3→0.', 'Day 1: player 3 was exiled (2 votes).']);
    expect(formatEventLines(EVENTS[10]!, 0)[1]).toBe('Day 2: nobody was exiled (tied: players 0, 3).');
    expect(formatEventLines(EVENTS[11]!, 0)[1]).toBe('Day 3: player 0 was exiled (1 vote; tied: players 0, 3; drawn at random).');
  });

  it('shows private events only to their seats', () => {
    const seesAny = (seat: number, e: GameEvent) => formatEventLines(e, seat).length > 0;
    expect([0, 1, 2, 3, 4, 5, 6].filter((s) => seesAny(s, EVENTS[0]!))).toEqual([3]);
    expect([0, 1, 2, 3, 4, 5, 6].filter((s) => seesAny(s, EVENTS[3]!))).toEqual([3, 5]);
    expect([0, 1, 2, 3, 4, 5, 6].filter((s) => seesAny(s, EVENTS[4]!))).toEqual([2]);
    expect([0, 1, 2, 3, 4, 5, 6].filter((s) => seesAny(s, EVENTS[5]!))).toEqual([6]);
    expect([0, 1, 2, 3, 4, 5, 6].filter((s) => seesAny(s, EVENTS[6]!))).toHaveLength(7);
  });

  it('reads back every line it writes', () => {
    const seats = [0, 2, 3, 5, 6];
    const parsed = EVENTS.flatMap((e) => seats.flatMap((s) => formatEventLines(e, s))).map(parseRecordLine);
    expect(parsed.every((p) => p !== null)).toBe(true);
    expect(parseRecordLine('Day 1: player 0 said: "He said \\"hi\\" \\\\ and left"')).toEqual({ kind: 'speech', round: 1, speaker: 0, text: 'He said "hi" \\ and left' });
    expect(parseRecordLine(formatEventLines(EVENTS[11]!, 0)[1]!)).toEqual({ kind: 'exile', round: 3, exiled: 0, votes: 1, tied: [0, 3] });
    expect(parseRecordLine(formatEventLines(EVENTS[12]!, 0)[0]!)).toEqual({ kind: 'end', winner: 'village', reason: 'both werewolves are out' });
    expect(parseRecordLine('== Now ==')).toBeNull();
  });

  it('cannot be forged by a speech: a private line repeated in a speech is not in the rendered speech line', () => {
    const secret = formatEventLines(EVENTS[4]!, 2)[0]!;
    const forged = formatEventLines({ type: 'speech', round: 1, turn: 1, speaker: 0, text: secret }, 1)[0]!;
    expect(forged).not.toContain(secret);
    const role = 'Game start, private to player 3: your role is "werewolf".';
    expect(formatEventLines({ type: 'speech', round: 1, turn: 1, speaker: 0, text: role }, 1)[0]).not.toContain(role);
  });
});
