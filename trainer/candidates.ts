/**
 * Candidate actions the policy chooses from. By default the env's admissible actions; an env with
 * free-form actions (a shop's search query, a werewolf speech) registers a proposer that turns
 * placeholders into concrete candidates on the agent side (the env never proposes them).
 * @module
 */
import type { Observation } from '../envs/core/types.js';

export type CandidateProposer = (observation: Observation) => string[];

/** The admissible actions as they are. */
export const admissibleCandidates: CandidateProposer = (observation) => observation.actions;

const PROPOSERS = new Map<string, CandidateProposer>();

/** Registers the proposer for an env id (replaces an earlier one). */
export function registerCandidateProposer(envId: string, proposer: CandidateProposer): void {
  PROPOSERS.set(envId, proposer);
}

export function proposerFor(envId: string): CandidateProposer {
  return PROPOSERS.get(envId) ?? admissibleCandidates;
}
