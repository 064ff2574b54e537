/**
 * The one Agent contract. Everything that chooses actions implements it: the random agent, the
 * experts, the tfjs policy, rule bots, language models behind an HTTP endpoint, a person at a
 * terminal, a remote seat holder.
 *
 * It is batched and async: one `act` call decides for every live decision stream this agent holds
 * (every trajectory of a rollout, every seat it holds in every running game), so a policy does one
 * forward pass per step and an HTTP agent can fan out its requests. A decision carries the action
 * and, where the agent has them, its log-probability and its distribution over the candidates.
 *
 * Agents with memory (an expert's plan, a bot's beliefs) key it by `AgentInput.key`, which names
 * one decision stream (a trajectory, or one seat of one game) for its whole life; `end(keys)` says
 * those streams are over.
 * @module
 */
import type { JsonObject, Observation, SeatInfo, StepInfo } from '../envs/core/types.js';
import type { TurnTokens } from './turn-tokens.js';

/** One past step of a decision stream: what the agent saw before acting, and what it did. */
export interface HistoryStep {
  observation: string;
  action: string;
}

/** One decision to make. */
export interface AgentInput {
  /** Names the decision stream (a trajectory, or one seat of one game); stable for its whole life. */
  readonly key: string;
  /** The env being played. */
  readonly envId: string;
  readonly observation: Observation;
  /** The step's info (single-agent) or the seat's info (multi-agent). */
  readonly info: StepInfo | SeatInfo;
  /** What to choose from: the admissible actions, or a proposer's candidates for free-form ones. */
  readonly candidates: readonly string[];
  /** Earlier steps of this stream, oldest first. */
  readonly history: readonly HistoryStep[];
  /** Multi-agent: the seat that acts. */
  readonly seat?: number;
}

/** What an agent decided for one input. */
export interface Decision {
  action: string;
  /** log π(action), for agents that have a distribution; null otherwise. */
  logp: number | null;
  /** π over `candidates` (same order), for agents that have one; null otherwise. */
  probs: number[] | null;
  /** Plain-JSON detail worth recording (an LLM's raw reply, tokens, latency). */
  meta?: JsonObject;
  /** Language models: the turn's prompt, completion, token ids and per-token log-probs (agents/turn-tokens.ts). */
  tokens?: TurnTokens;
}

export interface Agent {
  /** Shown in records and the viewer ('random', 'expert', 'policy', 'bot:basic', ...). */
  readonly name: string;
  /** Decides for every input, in order. */
  act(inputs: readonly AgentInput[]): Promise<Decision[]>;
  /** These streams are over: drop what the agent keeps for them. */
  end?(keys: readonly string[]): void;
  /** Releases what the agent holds (connections, tensors). */
  close?(): Promise<void>;
}
