/**
 * Kuhn poker, as pure functions: three cards (J < Q < K), two players, an ante of 1 each, one bet
 * of 1. The first player checks or bets; facing a check the second checks (showdown for the pot of
 * 2) or bets; facing a bet a player folds or calls (showdown for 4). A history is the string of
 * moves in the usual notation: 'p' (pass: check or fold) and 'b' (bet or call).
 *
 * Terminal histories and the first player's payoff (the second gets the negative):
 *   'pp'  showdown, ±1      'bp'  second folds, +1      'bb'  showdown, ±2
 *   'pbp' first folds, −1   'pbb' showdown, ±2
 * The game value for the first player under equilibrium play is −1/18.
 * @module
 */

export const CARDS = ['J', 'Q', 'K'] as const;
export type Card = 0 | 1 | 2;

/** The six deals, (first player's card, second player's card): the game's chance outcomes. */
export const DEALS: readonly (readonly [Card, Card])[] = [
  [0, 1],
  [0, 2],
  [1, 0],
  [1, 2],
  [2, 0],
  [2, 1],
];

export type Move = 'p' | 'b';
const TERMINAL = new Set(['pp', 'bp', 'bb', 'pbp', 'pbb']);

export function isTerminal(history: string): boolean {
  return TERMINAL.has(history);
}

/** The player to act (0 or 1) after `history`; only for non-terminal histories. */
export function playerToAct(history: string): 0 | 1 {
  return (history.length % 2) as 0 | 1;
}

/** True when the player to act faces a bet (so its moves are fold/call, not check/bet). */
export function facingBet(history: string): boolean {
  return history.endsWith('b');
}

/** What each move is called at this point: check/bet, or fold/call when facing a bet. */
export function moveName(history: string, move: Move): 'check' | 'bet' | 'fold' | 'call' {
  if (facingBet(history)) return move === 'p' ? 'fold' : 'call';
  return move === 'p' ? 'check' : 'bet';
}

/** The named moves legal now, in the order (pass-like, bet-like). */
export function legalMoveNames(history: string): ('check' | 'bet' | 'fold' | 'call')[] {
  return isTerminal(history) ? [] : [moveName(history, 'p'), moveName(history, 'b')];
}

/** The move a name stands for at this point, or null when the name is not legal now. */
export function parseMove(history: string, name: string): Move | null {
  const legal = legalMoveNames(history);
  if (name === legal[0]) return 'p';
  if (name === legal[1]) return 'b';
  return null;
}

/** The pot after `history` (antes included). */
export function pot(history: string): number {
  return 2 + [...history].filter((m) => m === 'b').length;
}

/** The first player's payoff at a terminal history with the given deal. */
export function firstPlayerPayoff(history: string, deal: readonly [Card, Card]): number {
  if (!isTerminal(history)) throw new RangeError(`'${history}' is not a terminal Kuhn history`);
  const showdownWinner = deal[0] > deal[1] ? 1 : -1;
  switch (history) {
    case 'pp':
      return showdownWinner;
    case 'bp':
      return 1;
    case 'pbp':
      return -1;
    default:
      return 2 * showdownWinner; // 'bb', 'pbb'
  }
}

/** Whether the hand went to a showdown (both cards are shown). */
export function isShowdown(history: string): boolean {
  return history === 'pp' || history === 'bb' || history === 'pbb';
}
