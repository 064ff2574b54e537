/**
 * `playSeat(seat, agent)`: hold a remote seat with any Agent — the policy, a rule bot, a language
 * model — answering each pushed turn until the game ends. The agent sees exactly what it would see
 * in process (`AgentInput` with the seat's observation, info, candidates and its own history).
 * @module
 */
import type { Agent, HistoryStep } from '../../agents/agent.js';
import { proposerFor, type CandidateProposer } from '../../agents/candidates.js';
import type { GameOver } from '../protocol/messages.js';
import type { RemoteSeat } from './remote-game.js';

export interface PlaySeatOptions {
  propose?: CandidateProposer;
  /** The decision stream key the agent sees (default `${session}/seat${seat}`). */
  key?: string;
  /** Called after each action is sent. */
  onAct?: (turn: number, action: string) => void;
}

/** Plays the seat until `game.over`; resolves with it. */
export async function playSeat(seat: RemoteSeat, agent: Agent, options: PlaySeatOptions = {}): Promise<GameOver> {
  const propose = options.propose ?? proposerFor(seat.env);
  const key = options.key ?? `${seat.session}/seat${seat.seat}`;
  const history: HistoryStep[] = [];
  try {
    for (;;) {
      const event = await seat.next();
      if (event.kind === 'over') return event.over;
      const { observation, info, turn } = event.turn;
      const [decision] = await agent.act([{ key, envId: seat.env, observation, info, candidates: propose(observation), history: history.slice(), seat: seat.seat }]);
      const action = decision?.action ?? '';
      history.push({ observation: observation.text, action });
      try {
        await seat.act(action, turn);
      } catch (err) {
        // A turn that passed its deadline is stale: the next seat.turn (or game.over) follows.
        if ((err as { code?: string }).code !== 'NOT_YOUR_TURN') throw err;
      }
      options.onAct?.(turn, action);
    }
  } finally {
    agent.end?.([key]);
  }
}
