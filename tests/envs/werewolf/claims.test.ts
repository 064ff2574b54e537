import { describe, expect, it } from 'vitest';
import { claimText, parseClaims, speechOf, type Claim } from '../../../envs/werewolf/claims.js';

describe('the claim grammar', () => {
  it.each<[string, Claim[]]>([
    ['I am the seer', [{ type: 'role', role: 'seer' }]],
    ["I'm a villager, honestly.", [{ type: 'role', role: 'villager' }]],
    ['player 3 is a werewolf', [{ type: 'accuse', target: 3 }]],
    ['I think P2 is a wolf!', [{ type: 'accuse', target: 2 }]],
    ['player 3 is not a werewolf', [{ type: 'clear', target: 3 }]],
    ['player 6 is innocent', [{ type: 'clear', target: 6 }]],
    ['player 4 is the doctor', [{ type: 'role-of', target: 4, role: 'doctor' }]],
    ['I checked 5: not a werewolf', [{ type: 'check', target: 5, werewolf: false }]],
    ['I checked player 1 and she is a wolf', [{ type: 'check', target: 1, werewolf: true }]],
    ['I will vote 4', [{ type: 'vote', target: 4 }]],
    ['I vote for p0.', [{ type: 'vote', target: 0 }]],
    ["I'll vote none", [{ type: 'vote', target: null }]],
    ['I protected player 2', [{ type: 'protect', target: 2 }]],
    ['I suspect 1 and I trust player 6', [{ type: 'suspect', target: 1 }, { type: 'trust', target: 6 }]],
  ])('reads %j', (speech, claims) => {
    expect(parseClaims(speech)).toEqual(claims);
  });

  it('reads several claims in the order they are said', () => {
    expect(parseClaims('I am the seer. I checked player 4: a werewolf. Player 4 is a werewolf. I will vote player 4.')).toEqual([
      { type: 'role', role: 'seer' },
      { type: 'check', target: 4, werewolf: true },
      { type: 'accuse', target: 4 },
      { type: 'vote', target: 4 },
    ]);
  });

  it('hears text that matches nothing as no claim', () => {
    expect(parseClaims('Good morning everyone, 3 of us look nervous.')).toEqual([]);
    expect(parseClaims('')).toEqual([]);
    expect(parseClaims('player 9 is a werewolf; I checked 12: a werewolf')).toEqual([]);
  });

  it('writes every claim in a form it reads back', () => {
    const claims: Claim[] = [
      { type: 'role', role: 'werewolf' },
      { type: 'role', role: 'doctor' },
      { type: 'accuse', target: 0 },
      { type: 'clear', target: 6 },
      { type: 'role-of', target: 2, role: 'villager' },
      { type: 'check', target: 3, werewolf: true },
      { type: 'check', target: 3, werewolf: false },
      { type: 'vote', target: 5 },
      { type: 'vote', target: null },
      { type: 'protect', target: 1 },
      { type: 'suspect', target: 4 },
      { type: 'trust', target: 2 },
    ];
    for (const c of claims) expect(parseClaims(claimText(c))).toEqual([c]);
    expect(parseClaims(speechOf(claims))).toEqual(claims);
  });
});
