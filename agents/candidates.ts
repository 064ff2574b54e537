/**
 * Candidate proposers: what an agent chooses from. By default the env's admissible actions; an env
 * with free-form actions (a shop's search query, a werewolf speech) lists a placeholder, and a
 * proposer on the agent side turns it into concrete candidates (the env never proposes them).
 *
 * Proposers are passed explicitly: `CANDIDATE_PROPOSERS` is a plain record beside the experts, and
 * `proposerFor(envId)` reads it. Nothing registers a proposer by being imported.
 * @module
 */
import type { Observation } from '../envs/core/types.js';
import { rpsslSpeechProposer } from './rpssl/utterances.js';
import { shopQueryProposer } from './shop-queries.js';
import { werewolfSpeechProposer } from './werewolf/speech-candidates.js';

export type CandidateProposer = (observation: Observation) => string[];

/** The admissible actions as they are. */
export const admissibleCandidates: CandidateProposer = (observation) => observation.actions;

/** The proposers of the envs with free-form actions, by env id. */
export const CANDIDATE_PROPOSERS: Readonly<Record<string, CandidateProposer>> = {
  'shop-v1': shopQueryProposer,
  'rpssl-v1': rpsslSpeechProposer,
  'werewolf-v1': werewolfSpeechProposer,
};

/** The env's proposer, or the admissible actions. */
export function proposerFor(envId: string, proposers: Readonly<Record<string, CandidateProposer>> = CANDIDATE_PROPOSERS): CandidateProposer {
  return proposers[envId] ?? admissibleCandidates;
}
