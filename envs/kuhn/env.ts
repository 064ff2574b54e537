/**
 * kuhn-poker-v1: Kuhn poker as a two-seat MultiAgentEnv, a thin adapter over the pure rules
 * (rules.ts). Seat 0 acts first. Each seat sees its own card, the moves so far, the pot and, at
 * the end, the outcome (both cards only at a showdown). Rewards are the payoffs, paid on the last
 * step (antes included), so a seat's return is what it won or lost.
 * @module
 */
import { InvalidStateError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { stateHash } from '../core/state-hash.js';
import { formatTaskId, resolveTaskRef } from '../core/task-ref.js';
import type { EnvState, GameInfo, InvalidAction, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, Observation, ResetOptions, SeatInfo, TaskInfo } from '../core/types.js';
import { CARDS, DEALS, facingBet, firstPlayerPayoff, isShowdown, isTerminal, legalMoveNames, moveName, parseMove, playerToAct, pot, type Card, type Move } from './rules.js';

export const KUHN_ENV_ID = 'kuhn-poker-v1';
/** Every deal is a task; the six deals are the whole game. */
export const KUHN_SPLITS = { train: DEALS.length } as const;
const NAMING = { name: 'kuhn', splits: KUHN_SPLITS, pad: 1 };

interface KuhnState {
  dealIndex: number;
  history: string;
}

const SEAT_NAMES = ['first', 'second'] as const;

export class KuhnPokerEnv implements MultiAgentEnv {
  readonly seats = 2;
  private state: KuhnState | null = null;

  async reset(options: ResetOptions = {}): Promise<MultiAgentResetResult> {
    const dealIndex = options.task !== undefined ? resolveTaskRef(NAMING, options.task).index : new Rng(`kuhn:${options.seed ?? 0}`).int(DEALS.length);
    this.state = { dealIndex, history: '' };
    return { observations: this.observations(), infos: this.seatInfos(), info: this.info(), actors: this.actors() };
  }

  actors(): number[] {
    if (this.state === null || isTerminal(this.state.history)) return [];
    return [playerToAct(this.state.history)];
  }

  async step(actionsBySeat: Record<number, string>): Promise<MultiAgentStepResult> {
    const s = this.current();
    const infos = this.seatInfos();
    const actor = playerToAct(s.history);
    const action = actionsBySeat[actor];
    if (action !== undefined) {
      const move = parseMove(s.history, action.trim().toLowerCase());
      if (move === null) (infos[actor] as SeatInfo).invalid = this.invalid(action);
      else this.state = { ...s, history: s.history + move };
    }
    const done = isTerminal(this.current().history);
    const rewards: Record<number, number> = { 0: 0, 1: 0 };
    const after = this.seatInfos();
    if (infos[actor]?.invalid) (after[actor] as SeatInfo).invalid = infos[actor].invalid;
    if (done) {
      const payoff = firstPlayerPayoff(this.current().history, this.deal());
      rewards[0] = payoff;
      rewards[1] = -payoff;
    }
    return { observations: this.observations(), rewards, infos: after, terminated: done, truncated: false, info: this.info(), actors: this.actors() };
  }

  async snapshot(): Promise<EnvState> {
    const s = this.current();
    return { dealIndex: s.dealIndex, history: s.history };
  }

  async restore(state: EnvState): Promise<void> {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new InvalidStateError('Not a kuhn-poker-v1 snapshot.');
    const keys = Object.keys(state).sort().join(',');
    const { dealIndex, history } = state as Record<string, unknown>;
    if (keys !== 'dealIndex,history' || typeof dealIndex !== 'number' || !Number.isInteger(dealIndex) || dealIndex < 0 || dealIndex >= DEALS.length) {
      throw new InvalidStateError('Not a kuhn-poker-v1 snapshot: expected exactly { dealIndex: 0..5, history }.');
    }
    if (typeof history !== 'string' || !/^(|p|b|pb|pp|bp|bb|pbp|pbb)$/.test(history)) throw new InvalidStateError(`Bad Kuhn history ${JSON.stringify(history)}.`);
    this.state = { dealIndex, history };
  }

  async close(): Promise<void> {
    this.state = null;
  }

  private current(): KuhnState {
    if (this.state === null) throw new InvalidStateError('The game has not started: call reset() first.');
    return this.state;
  }

  private deal(): readonly [Card, Card] {
    return DEALS[this.current().dealIndex] as readonly [Card, Card];
  }

  private invalid(action: string): InvalidAction {
    const h = this.current().history;
    const legal = legalMoveNames(h);
    const known = ['check', 'bet', 'fold', 'call'].includes(action.trim().toLowerCase());
    return {
      code: known ? 'NOT_ADMISSIBLE' : 'UNKNOWN_VERB',
      message: known
        ? `'${action.trim()}' is not a move now: ${facingBet(h) ? 'facing a bet' : 'nobody has bet'}, you may ${legal.join(' or ')}.`
        : `'${action.slice(0, 40)}' is not a Kuhn poker move: say ${legal.join(' or ')}.`,
      suggestions: legal,
    };
  }

  private movesText(history: string): string {
    if (history === '') return 'none yet';
    return [...history].map((m, i) => `seat ${i % 2} ${pastTense(moveName(history.slice(0, i), m as Move))}`).join(', ');
  }

  private observations(): Record<number, Observation> {
    const { history } = this.current();
    const deal = this.deal();
    const out: Record<number, Observation> = {};
    for (const seat of [0, 1] as const) {
      const lines = [
        `Kuhn poker (J < Q < K; ante 1 each, one bet of 1). You are seat ${seat}, the ${SEAT_NAMES[seat]} to act.`,
        `Your card: ${CARDS[deal[seat]]}.`,
        `Moves: ${this.movesText(history)}. Pot: ${pot(history)}.`,
      ];
      let actions: string[] = [];
      if (isTerminal(history)) {
        const payoff = firstPlayerPayoff(history, deal) * (seat === 0 ? 1 : -1);
        const how = isShowdown(history) ? `Showdown: seat 0 shows ${CARDS[deal[0]]}, seat 1 shows ${CARDS[deal[1]]}.` : `Seat ${history.length % 2 === 0 ? 1 : 0} folded.`;
        lines.push(`${how} You ${payoff > 0 ? 'win' : 'lose'} ${Math.abs(payoff)}.`);
      } else if (playerToAct(history) === seat) {
        actions = legalMoveNames(history);
        lines.push(`Your move: ${actions.join(' or ')}.`);
      } else {
        lines.push(`Waiting for seat ${playerToAct(history)}.`);
      }
      const text = lines.join('\n');
      out[seat] = { text, actions, anchor: text, seat };
    }
    return out;
  }

  private seatInfos(): Record<number, SeatInfo> {
    const { history } = this.current();
    if (!isTerminal(history)) return { 0: { rewardComponents: {} }, 1: { rewardComponents: {} } };
    const payoff = firstPlayerPayoff(history, this.deal());
    return {
      0: { rewardComponents: { payoff }, success: payoff > 0 },
      1: { rewardComponents: { payoff: -payoff }, success: payoff < 0 },
    };
  }

  private info(): GameInfo {
    const s = this.current();
    const deal = this.deal();
    const task: TaskInfo = { id: formatTaskId(NAMING, 'train', s.dealIndex), split: 'train', index: s.dealIndex, type: `${CARDS[deal[0]]}${CARDS[deal[1]]}` };
    return {
      rewardComponents: { pot: pot(s.history) },
      stateKey: stateHash({ deal: s.dealIndex, history: s.history }),
      task,
      secrets: { 0: [`Your card: ${CARDS[deal[0]]}.`], 1: [`Your card: ${CARDS[deal[1]]}.`] },
    };
  }
}

function pastTense(name: 'check' | 'bet' | 'fold' | 'call'): string {
  return { check: 'checked', bet: 'bet', fold: 'folded', call: 'called' }[name];
}
