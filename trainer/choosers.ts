/**
 * Choosers: who picks the actions during a rollout. The policy (one batched forward pass for all
 * live trajectories), a uniform random agent, or the env's expert.
 * @module
 */
import type { ActionScorer } from '../agents/policy/model.js';
import type { PolicyInput } from '../agents/policy/featurizer.js';
import { makeExpert, type EpisodeAgent } from '../agents/experts.js';
import type { Rng } from '../envs/core/rng.js';
import type { ChooseFn, LiveTrajectory } from './rollout.js';

/** The policy input of a live trajectory: goal, current text, short history, candidates. */
export function policyInputOf(l: LiveTrajectory): PolicyInput {
  return {
    ...(l.observation.goal === undefined ? {} : { goal: l.observation.goal }),
    text: l.observation.text,
    history: l.history,
    candidates: l.candidates,
  };
}

export function scorerChooser(scorer: ActionScorer, options: { temperature?: number; greedy?: boolean; rng: Rng }): ChooseFn {
  return (live) => {
    const results = scorer.act(live.map(policyInputOf), {
      temperature: options.temperature ?? 1,
      greedy: options.greedy ?? false,
      rng: options.rng,
    });
    return results.map((r) => ({ action: r.action, logp: r.logp, probs: Array.from(r.probs) }));
  };
}

export function randomChooser(rng: Rng): ChooseFn {
  return (live) =>
    live.map((l) => {
      const n = l.candidates.length;
      if (n === 0) return { action: 'look', logp: 0, probs: null };
      return { action: rng.pick(l.candidates), logp: -Math.log(n), probs: Array(n).fill(1 / n) as number[] };
    });
}

/** One expert per trajectory, created on its first step. */
export function expertChooser(envId: string): ChooseFn {
  const experts = new Map<string, EpisodeAgent>();
  return (live) =>
    live.map((l) => {
      let expert = experts.get(l.trajId);
      if (expert === undefined) {
        expert = makeExpert(envId);
        expert.reset(l.observation, l.info);
        experts.set(l.trajId, expert);
      }
      return { action: expert.act(l.observation, l.info), logp: 0, probs: null };
    });
}
