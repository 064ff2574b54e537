/**
 * Kuhn poker agents that play a tabular strategy: a probability of the bet-like move (bet or
 * call) per information set (`card:history`, e.g. `Q:pb`). The equilibrium bot, the always-bet
 * bot and any strategy a solver found (trainer/cfr) are all this one agent with another table.
 * @module
 */
import { Rng } from '../../envs/core/rng.js';
import { kuhnInfoSet, readKuhnObservation } from '../../envs/kuhn/read-observation.js';
import { legalMoveNames } from '../../envs/kuhn/rules.js';
import type { Agent, AgentInput, Decision } from '../agent.js';

/** P(bet-like move) per information set; a missing set plays 0.5. */
export type KuhnStrategy = Readonly<Record<string, number>>;

/** Every information set of Kuhn poker: 3 cards × the 4 non-terminal histories. */
export const KUHN_INFO_SETS: readonly string[] = ['J', 'Q', 'K'].flatMap((c) => ['', 'p', 'b', 'pb'].map((h) => `${c}:${h}`));

/** The same probability of the bet-like move everywhere (1: always bet or call). */
export function constantStrategy(pBet: number): KuhnStrategy {
  return Object.fromEntries(KUHN_INFO_SETS.map((k) => [k, pBet]));
}

/**
 * The equilibrium family of Kuhn poker with the first player's parameter α ∈ [0, 1/3]: the first
 * player bets J with α, never bets Q, bets K with 3α, and after check–bet calls Q with α + 1/3;
 * the second player bets J with 1/3 when checked to, calls Q with 1/3 facing a bet, always bets
 * and calls with K, never with J. Every α gives the first player −1/18.
 */
export function nashStrategy(alpha = 1 / 6): KuhnStrategy {
  if (!(alpha >= 0 && alpha <= 1 / 3)) throw new RangeError(`alpha must be in [0, 1/3], got ${alpha}`);
  return {
    'J:': alpha,
    'Q:': 0,
    'K:': 3 * alpha,
    'J:pb': 0,
    'Q:pb': alpha + 1 / 3,
    'K:pb': 1,
    'J:b': 0,
    'Q:b': 1 / 3,
    'K:b': 1,
    'J:p': 1 / 3,
    'Q:p': 0,
    'K:p': 1,
  };
}

export class KuhnStrategyAgent implements Agent {
  private readonly rng: Rng;

  constructor(
    readonly name: string,
    private readonly strategy: KuhnStrategy,
    seed = 0,
  ) {
    this.rng = new Rng(`${name}:${seed}`);
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => {
      const view = readKuhnObservation(input.observation.text);
      if (view === null) return { action: input.candidates[0] ?? '', logp: null, probs: null };
      const [pass, bet] = legalMoveNames(view.history);
      const pBet = this.strategy[kuhnInfoSet(view)] ?? 0.5;
      const action = (this.rng.next() < pBet ? bet : pass) as string;
      const probs = input.candidates.map((c) => (c === bet ? pBet : c === pass ? 1 - pBet : 0));
      const p = action === bet ? pBet : 1 - pBet;
      return { action, logp: p > 0 ? Math.log(p) : null, probs };
    });
  }
}
