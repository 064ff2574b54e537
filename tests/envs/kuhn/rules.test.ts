import { describe, expect, it } from 'vitest';
import { DEALS, facingBet, firstPlayerPayoff, isTerminal, legalMoveNames, parseMove, playerToAct, pot } from '../../../envs/kuhn/rules.js';

describe('Kuhn poker rules', () => {
  it('has five terminal histories and alternates players', () => {
    expect(['pp', 'bp', 'bb', 'pbp', 'pbb'].every(isTerminal)).toBe(true);
    expect(['', 'p', 'b', 'pb'].some(isTerminal)).toBe(false);
    expect(['', 'p', 'b', 'pb'].map(playerToAct)).toEqual([0, 1, 1, 0]);
    expect(DEALS).toHaveLength(6);
  });

  it('names moves by situation: check/bet, or fold/call facing a bet', () => {
    expect(legalMoveNames('')).toEqual(['check', 'bet']);
    expect(legalMoveNames('p')).toEqual(['check', 'bet']);
    expect(legalMoveNames('b')).toEqual(['fold', 'call']);
    expect(legalMoveNames('pb')).toEqual(['fold', 'call']);
    expect(legalMoveNames('pp')).toEqual([]);
    expect(facingBet('pb')).toBe(true);
    expect(parseMove('b', 'call')).toBe('b');
    expect(parseMove('b', 'fold')).toBe('p');
    expect(parseMove('b', 'bet')).toBeNull();
    expect(parseMove('', 'fold')).toBeNull();
  });

  it('pays the first player by hand (J=0, Q=1, K=2)', () => {
    const KJ = [2, 0] as const;
    const JQ = [0, 1] as const;
    expect(firstPlayerPayoff('pp', KJ)).toBe(1);
    expect(firstPlayerPayoff('pp', JQ)).toBe(-1);
    expect(firstPlayerPayoff('bp', JQ)).toBe(1); // the second folded
    expect(firstPlayerPayoff('pbp', KJ)).toBe(-1); // the first folded
    expect(firstPlayerPayoff('bb', KJ)).toBe(2);
    expect(firstPlayerPayoff('pbb', JQ)).toBe(-2);
    expect(() => firstPlayerPayoff('pb', KJ)).toThrow(/not a terminal/);
    expect([pot(''), pot('b'), pot('pbb')]).toEqual([2, 3, 4]);
  });
});
