import { describe, expect, it } from 'vitest';
import { beats, MOVES, moveOfSpeech, outcomeSentence, payoff, payoffMatrix } from '../../../envs/rpssl/rules.js';

describe('rpssl rules', () => {
  it('each move beats exactly the two the rules name', () => {
    const wins = Object.fromEntries(MOVES.map((a) => [a, MOVES.filter((b) => beats(a, b))]));
    expect(wins).toEqual({
      rock: ['scissors', 'lizard'],
      paper: ['rock', 'spock'],
      scissors: ['paper', 'lizard'],
      spock: ['rock', 'scissors'],
      lizard: ['paper', 'spock'],
    });
  });

  it('the payoff matrix is antisymmetric with a zero diagonal; no move loses to every move', () => {
    const m = payoffMatrix();
    expect(m).toHaveLength(6);
    m.forEach((row, i) => row.forEach((v, j) => expect(v + (m[j]![i] as number)).toBe(0)));
    expect(payoff('none', 'rock')).toBe(-1);
    expect(payoff('lizard', 'none')).toBe(1);
    expect(payoff('none', 'none')).toBe(0);
    expect(payoff('spock', 'rock')).toBe(1);
    expect(payoff('spock', 'paper')).toBe(-1);
  });

  it('uniform play over the five moves earns 0 against every move (the known equilibrium)', () => {
    const m = payoffMatrix();
    for (let i = 0; i < 5; i++) expect(m[i]!.slice(0, 5).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('reads the first move name of a speech, as a whole word, in any case', () => {
    expect(moveOfSpeech('I will play Spock, then rock')).toBe('spock');
    expect(moveOfSpeech('ROCK!')).toBe('rock');
    expect(moveOfSpeech('sneaky lizard')).toBe('lizard');
    expect(moveOfSpeech('rocks and papers')).toBe('none');
    expect(moveOfSpeech('')).toBe('none');
  });

  it('says how a round went', () => {
    expect(outcomeSentence('rock', 'paper')).toBe('Paper covers rock.');
    expect(outcomeSentence('spock', 'rock')).toBe('Spock vaporizes rock.');
    expect(outcomeSentence('lizard', 'lizard')).toBe('Both said lizard: a draw.');
    expect(outcomeSentence('none', 'scissors')).toBe('Scissors beats no move.');
  });
});
