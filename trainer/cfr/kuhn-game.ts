/**
 * Kuhn poker (envs/kuhn/rules.ts) as an ExtensiveGame for the tabular solvers. Information sets
 * are `card:history` (`Q:pb`), the same keys the Kuhn strategy agents read; actions are the moves
 * 'p' and 'b'.
 * @module
 */
import { CARDS, DEALS, firstPlayerPayoff, isTerminal, playerToAct, type Card } from '../../envs/kuhn/rules.js';
import type { KuhnStrategy } from '../../agents/kuhn/strategy-agent.js';
import type { ExtensiveGame, TabularPolicy } from './game.js';

export interface KuhnTreeState {
  /** Index into DEALS, or null before the deal. */
  deal: number | null;
  history: string;
}

export const kuhnGame: ExtensiveGame<KuhnTreeState> = {
  players: 2,
  root: () => ({ deal: null, history: '' }),
  isTerminal: (s) => s.deal !== null && isTerminal(s.history),
  utilities: (s) => {
    const v = firstPlayerPayoff(s.history, DEALS[s.deal as number] as readonly [Card, Card]);
    return [v, -v];
  },
  currentPlayer: (s) => (s.deal === null ? 'chance' : playerToAct(s.history)),
  chanceOutcomes: () => DEALS.map((_, deal) => ({ state: { deal, history: '' }, probability: 1 / DEALS.length })),
  infoSetKey: (s) => {
    const deal = DEALS[s.deal as number] as readonly [Card, Card];
    return `${CARDS[deal[playerToAct(s.history)]]}:${s.history}`;
  },
  legalActions: () => ['p', 'b'],
  next: (s, action) => ({ deal: s.deal, history: s.history + action }),
};

/** A tabular policy over ('p', 'b') → the bet probability per information set the agents read. */
export function kuhnStrategyOf(policy: TabularPolicy): KuhnStrategy {
  return Object.fromEntries([...policy].map(([key, p]) => [key, p[1] as number]));
}

/** The reverse: bet probabilities → a tabular policy. */
export function kuhnPolicyOf(strategy: KuhnStrategy): TabularPolicy {
  return new Map(Object.entries(strategy).map(([key, pBet]) => [key, [1 - pBet, pBet]]));
}
