import { describe, expect, it } from 'vitest';
import { newSeatView, type SeatView } from '../../../agents/werewolf/seat-view.js';
import { parseClaims } from '../../../envs/werewolf/index.js';
import { speechEmbedTexts, speechOfAction, werewolfInfoSet } from '../../../trainer/lspo/domains/werewolf-speech.js';

function view(fields: Partial<SeatView>, speeches: [number, number, string][] = []): SeatView {
  return { ...newSeatView(), ...fields, speeches: speeches.map(([round, speaker, text]) => ({ round, speaker, text, claims: parseClaims(text) })) };
}

describe('werewolf speech as LSPO reads it (by hand)', () => {
  // Player 2, the seer, on day 1: it found player 5 a werewolf and player 0 not.
  // Player 4 claimed the seer and "checked" player 2 (an accusation of the speaker); player 1 suspects player 2.
  const seer = view(
    { me: 2, role: 'seer', round: 1, checks: [{ round: 1, target: 5, werewolf: true }] },
    [
      [1, 4, 'I am the seer. I checked player 2: a werewolf.'],
      [1, 1, 'I suspect player 2.'],
    ],
  );

  it('names every player by what the speaker knows of them', () => {
    expect(
      speechEmbedTexts(seer, [
        'I am the seer. I checked player 5: a werewolf.',
        'Player 4 is a werewolf. I will vote player 4.',
        'I am a villager. I suspect player 1. I will vote player 1.',
        'Player 3 is not a werewolf.',
        'I protected player 2.',
        'I have nothing to add yet.',
      ]),
    ).toEqual([
      'i am the seer . i checked foundwolf a werewolf',
      'seerclaimant is a werewolf . i will vote seerclaimant',
      'i am the villager . i suspect accuser . i will vote accuser',
      'someone is not a werewolf',
      'i protected myself',
      'I have nothing to add yet.',
    ]);
  });

  it("a werewolf's partner, and the same move against different players, read the same", () => {
    const wolf = view({ me: 3, role: 'werewolf', teammate: 6, round: 2 });
    expect(speechEmbedTexts(wolf, ['I am the seer. I checked player 6: not a werewolf.', 'Player 0 is a werewolf.', 'Player 1 is a werewolf.'])).toEqual([
      'i am the seer . i checked partner not a werewolf',
      'someone is a werewolf',
      'someone is a werewolf',
    ]);
  });

  it('information sets: role, day, another seer claim, accused today, and the seer’s find', () => {
    expect(werewolfInfoSet(seer)).toBe('seer|d1|claim1|accused1|found1');
    expect(werewolfInfoSet(view({ me: 0, role: 'villager', round: 5 }))).toBe('villager|d3|claim0|accused0');
    // Yesterday's accusation does not count today; a dead claimant's claim does not count.
    const later = view({ me: 0, role: 'doctor', round: 2, alive: [true, true, true, true, false, true, true] }, [[1, 4, 'I am the seer. Player 0 is a werewolf.']]);
    expect(werewolfInfoSet(later)).toBe('doctor|d2|claim0|accused0');
    // The seer's find counts only while the werewolf lives.
    const dead = { ...seer, alive: seer.alive.map((a, s) => s !== 5) };
    expect(werewolfInfoSet(dead)).toBe('seer|d1|claim1|accused1|found0');
  });

  it('reads the speech inside say[...]', () => {
    expect(speechOfAction('say[I am a villager.]')).toBe('I am a villager.');
    expect(speechOfAction('vote[3]')).toBe('vote[3]');
  });
});
