/**
 * Reads a kuhn-poker-v1 seat observation back into (seat, card, history): what a rule bot or a
 * tabular strategy needs. The inverse of the env's rendering; null for text that is not one.
 * @module
 */
import { CARDS, type Card } from './rules.js';

export interface KuhnView {
  seat: 0 | 1;
  card: Card;
  /** The moves so far in 'p'/'b' notation. */
  history: string;
}

const MOVE_LETTER: Record<string, 'p' | 'b'> = { checked: 'p', folded: 'p', bet: 'b', called: 'b' };

export function readKuhnObservation(text: string): KuhnView | null {
  const seat = /You are seat ([01])\b/.exec(text);
  const card = /Your card: ([JQK])\./.exec(text);
  const moves = /Moves: ([^.]*)\./.exec(text);
  if (!seat || !card || !moves) return null;
  let history = '';
  if (moves[1] !== 'none yet') {
    for (const part of (moves[1] as string).split(', ')) {
      const m = /^seat [01] (checked|folded|bet|called)$/.exec(part);
      if (!m) return null;
      history += MOVE_LETTER[m[1] as string];
    }
  }
  return { seat: Number(seat[1]) as 0 | 1, card: CARDS.indexOf(card[1] as 'J' | 'Q' | 'K') as Card, history };
}

/** The information set of a view: the card and the history (`K:pb`). */
export function kuhnInfoSet(view: KuhnView): string {
  return `${CARDS[view.card]}:${view.history}`;
}
