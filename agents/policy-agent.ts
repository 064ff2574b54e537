/**
 * The tfjs policy as an Agent: one batched forward pass per `act` call for every live decision
 * stream, sampling from the softmax over each stream's candidates (or greedy, for evaluation).
 * @module
 */
import type { Rng } from '../envs/core/rng.js';
import type { Agent, AgentInput, Decision } from './agent.js';
import type { PolicyInput } from './policy/featurizer.js';
import type { ActionScorer } from './policy/model.js';

/** What the policy scores for one input: goal, current text, history, candidates. */
export function policyInputOf(input: AgentInput): PolicyInput {
  return {
    ...(input.observation.goal === undefined ? {} : { goal: input.observation.goal }),
    text: input.observation.text,
    history: input.history,
    candidates: input.candidates,
  };
}

export interface PolicyAgentOptions {
  /** Softmax temperature (default 1). */
  temperature?: number;
  /** Take the most likely candidate (evaluation). */
  greedy?: boolean;
  /** The seeded RNG sampling draws from (required unless greedy). */
  rng?: Rng;
  name?: string;
}

export class PolicyAgent implements Agent {
  readonly name: string;

  constructor(
    readonly scorer: ActionScorer,
    private readonly options: PolicyAgentOptions = {},
  ) {
    this.name = options.name ?? 'policy';
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    const results = this.scorer.act(inputs.map(policyInputOf), {
      temperature: this.options.temperature ?? 1,
      greedy: this.options.greedy ?? false,
      ...(this.options.rng === undefined ? {} : { rng: this.options.rng }),
    });
    return results.map((r) => ({ action: r.action, logp: r.logp, probs: Array.from(r.probs) }));
  }
}
