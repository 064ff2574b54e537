/**
 * The uniform random agent: picks one of the candidates with the seeded RNG.
 * @module
 */
import { Rng } from '../envs/core/rng.js';
import type { Agent, AgentInput, Decision } from './agent.js';

export interface RandomAgentOptions {
  /** What to do when an input has no candidates (a free-form action with no proposer). Default ''. */
  fallbackAction?: string;
}

export class RandomAgent implements Agent {
  readonly name = 'random';
  private readonly rng: Rng;

  constructor(seed: number | string | Rng = 0, private readonly options: RandomAgentOptions = {}) {
    this.rng = seed instanceof Rng ? seed : new Rng(`random-agent:${seed}`);
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => {
      const n = input.candidates.length;
      if (n === 0) return { action: this.options.fallbackAction ?? '', logp: null, probs: null };
      return { action: this.rng.pick(input.candidates), logp: -Math.log(n), probs: Array(n).fill(1 / n) as number[] };
    });
  }
}
