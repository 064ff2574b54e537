/**
 * An extensive-form game as the tabular solvers see it: a tree of states with chance nodes,
 * players who act at information sets, and payoffs at the leaves. Kuhn poker implements it
 * (kuhn-game.ts); an abstracted werewolf game can too.
 * @module
 */

export type PlayerOrChance = number | 'chance';

export interface ExtensiveGame<S> {
  readonly players: number;
  root(): S;
  isTerminal(state: S): boolean;
  /** Payoff of every player at a terminal state. */
  utilities(state: S): number[];
  /** Who moves at a non-terminal state. */
  currentPlayer(state: S): PlayerOrChance;
  /** The children of a chance state with their probabilities (summing to 1). */
  chanceOutcomes(state: S): { state: S; probability: number }[];
  /** The acting player's information set: equal keys for states that player cannot tell apart. */
  infoSetKey(state: S): string;
  legalActions(state: S): string[];
  next(state: S, action: string): S;
  /**
   * Optional: every child of a state at once, in `actions` order — for games whose states are
   * costly to copy (a simulator), which can then copy a state only when it is expanded more than
   * once. Solvers that visit all of a state's children use it when present; `next` must agree.
   */
  children?(state: S, actions: readonly string[]): S[];
}

/** A behaviour strategy: per information set, a probability per legal action (same order). */
export type TabularPolicy = Map<string, number[]>;
