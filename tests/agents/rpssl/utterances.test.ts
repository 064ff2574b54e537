import { describe, expect, it } from 'vitest';
import { RPSSL_PHRASINGS, RPSSL_UTTERANCES, rpsslSpeechProposer } from '../../../agents/rpssl/utterances.js';
import { moveOfSpeech, MOVES } from '../../../envs/rpssl/rules.js';

describe('rpssl utterances', () => {
  it('every phrasing carries its own move, and no word is shared between two moves', () => {
    const owner = new Map<string, string>();
    for (const move of MOVES) {
      for (const phrase of RPSSL_PHRASINGS[move]) {
        expect(moveOfSpeech(phrase)).toBe(move);
        for (const word of phrase.split(' ')) {
          expect(owner.get(word) ?? move).toBe(move);
          owner.set(word, move);
        }
      }
    }
    expect(RPSSL_UTTERANCES).toHaveLength(20);
  });

  it('the proposer replaces the placeholder and leaves other observations alone', () => {
    const obs = { text: '', anchor: '', actions: ['say[<speech>]'] };
    expect(rpsslSpeechProposer(obs)).toEqual(RPSSL_UTTERANCES.map((u) => `say[${u}]`));
    expect(rpsslSpeechProposer({ ...obs, actions: [] })).toEqual([]);
  });
});
