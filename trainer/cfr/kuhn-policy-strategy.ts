/**
 * Reads a tfjs policy's Kuhn poker strategy: for each of the 12 information sets, the probability
 * it gives the bet-like move (bet or call), from exactly the input it sees in a game (the seat's
 * observation, its own earlier decisions, the legal moves). With it a learned policy's
 * exploitability is computed exactly (evaluation.ts), not estimated from games.
 * @module
 */
import type { HistoryStep } from '../../agents/agent.js';
import type { KuhnStrategy } from '../../agents/kuhn/strategy-agent.js';
import type { ActionScorer } from '../../agents/policy/model.js';
import { KuhnPokerEnv } from '../../envs/kuhn/env.js';
import { CARDS, DEALS, legalMoveNames, moveName, playerToAct, type Move } from '../../envs/kuhn/rules.js';
import type { PolicyInput } from '../../agents/policy/featurizer.js';

const HISTORIES = ['', 'p', 'b', 'pb'] as const;

/** The policy input of the acting seat after `history`, for a deal where that seat holds `card`. */
async function inputAt(card: number, history: string): Promise<PolicyInput> {
  const seat = playerToAct(history);
  const dealIndex = DEALS.findIndex((d) => d[seat] === card);
  const env = new KuhnPokerEnv();
  let result = await env.reset({ task: { split: 'train', index: dealIndex } });
  const mine: HistoryStep[] = [];
  for (let k = 0; k < history.length; k++) {
    const actor = k % 2;
    const name = moveName(history.slice(0, k), history[k] as Move);
    if (actor === seat) mine.push({ observation: (result.observations[seat] as { text: string }).text, action: name });
    result = await env.step({ [actor]: name });
  }
  return { text: (result.observations[seat] as { text: string }).text, history: mine, candidates: legalMoveNames(history) };
}

export async function kuhnStrategyOfPolicy(scorer: ActionScorer): Promise<KuhnStrategy> {
  const keys: string[] = [];
  const inputs: PolicyInput[] = [];
  for (let card = 0; card < CARDS.length; card++) {
    for (const h of HISTORIES) {
      keys.push(`${CARDS[card]}:${h}`);
      inputs.push(await inputAt(card, h));
    }
  }
  const { probs } = scorer.scoreBatch(inputs);
  return Object.fromEntries(keys.map((k, i) => [k, (probs[i] as Float64Array)[1] as number]));
}

/** The mean of several strategies (the average policy over iterations). */
export function averageStrategy(strategies: readonly KuhnStrategy[]): KuhnStrategy {
  const out: Record<string, number> = {};
  for (const s of strategies) for (const [k, p] of Object.entries(s)) out[k] = (out[k] ?? 0) + p / strategies.length;
  return out;
}
