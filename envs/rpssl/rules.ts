/**
 * Rock-paper-scissors-Spock-lizard where the move is carried by what a player says (pure rules).
 *
 * Each move beats two others and loses to two:
 *
 *   scissors cuts paper      paper covers rock        rock crushes lizard
 *   lizard poisons Spock     Spock smashes scissors   scissors decapitates lizard
 *   lizard eats paper        paper disproves Spock    Spock vaporizes rock
 *   rock crushes scissors
 *
 * A speech is free text; its move is the first of the five move names it contains (whole words,
 * any case). A speech that names none carries no move and loses to every move (two such speeches
 * draw). The unique equilibrium plays the five moves uniformly; the game's value is 0.
 * @module
 */

export const MOVES = ['rock', 'paper', 'scissors', 'spock', 'lizard'] as const;
export type Move = (typeof MOVES)[number];
/** A speech's move, or 'none' when it names no move. */
export type SpokenMove = Move | 'none';
export const SPOKEN_MOVES: readonly SpokenMove[] = [...MOVES, 'none'];

/** How each move beats the two it beats. */
const VERBS: Readonly<Record<Move, Partial<Record<Move, string>>>> = {
  rock: { lizard: 'crushes', scissors: 'crushes' },
  paper: { rock: 'covers', spock: 'disproves' },
  scissors: { paper: 'cuts', lizard: 'decapitates' },
  spock: { scissors: 'smashes', rock: 'vaporizes' },
  lizard: { spock: 'poisons', paper: 'eats' },
};

/** True when `a` beats `b`. */
export function beats(a: Move, b: Move): boolean {
  return VERBS[a][b] !== undefined;
}

/** The payoff of the first player: +1 win, 0 draw, −1 loss. No move loses to any move. */
export function payoff(a: SpokenMove, b: SpokenMove): number {
  if (a === b) return 0;
  if (a === 'none') return -1;
  if (b === 'none') return 1;
  return beats(a, b) ? 1 : -1;
}

/** The payoff matrix of the first player over {@link SPOKEN_MOVES} (rows: first player). */
export function payoffMatrix(): number[][] {
  return SPOKEN_MOVES.map((a) => SPOKEN_MOVES.map((b) => payoff(a, b)));
}

const DISPLAY: Readonly<Record<SpokenMove, string>> = { rock: 'rock', paper: 'paper', scissors: 'scissors', spock: 'Spock', lizard: 'lizard', none: 'no move' };

export function displayMove(move: SpokenMove): string {
  return DISPLAY[move];
}

const MOVE_WORD = /\b(rock|paper|scissors|spock|lizard)\b/i;

/** The move a speech carries: the first move name in it, or 'none'. */
export function moveOfSpeech(speech: string): SpokenMove {
  const m = MOVE_WORD.exec(speech);
  return m === null ? 'none' : (m[1]!.toLowerCase() as Move);
}

/** One sentence saying how the round went ("Paper covers rock."), from the first player's move. */
export function outcomeSentence(a: SpokenMove, b: SpokenMove): string {
  if (a === b) return a === 'none' ? 'Nobody named a move: a draw.' : `Both said ${displayMove(a)}: a draw.`;
  if (a === 'none' || b === 'none') return `${capitalise(displayMove(a === 'none' ? b : a))} beats no move.`;
  const [w, l] = beats(a, b) ? [a, b] : [b, a];
  return `${capitalise(displayMove(w))} ${VERBS[w][l]} ${displayMove(l)}.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
