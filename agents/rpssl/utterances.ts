/**
 * What a player of rpssl-v1 may say, on the agent side: a fixed lexicon of phrasings, each carrying
 * one move. The lexicon is deliberately lopsided — seven ways to say rock, five for paper, four for
 * scissors, two each for Spock and lizard — so a speaker that picks phrasings uniformly plays
 * (0.35, 0.25, 0.2, 0.1, 0.1) over the moves and can be exploited (by Spock, for 0.2 a game). Every
 * word of a phrasing belongs to its move alone, so a lexical embedding can tell the moves apart.
 *
 * `rpsslSpeechProposer` turns the env's `say[<speech>]` placeholder into one candidate per phrasing;
 * `CANDIDATE_PROPOSERS['rpssl-v1']` (agents/candidates.ts) lists it.
 * @module
 */
import type { Observation } from '../../envs/core/types.js';
import { RPSSL_SPEECH_PLACEHOLDER } from '../../envs/rpssl/env.js';
import type { Move } from '../../envs/rpssl/rules.js';

export const RPSSL_PHRASINGS: Readonly<Record<Move, readonly string[]>> = {
  rock: ['rock', 'solid rock', 'rock crushes', 'granite rock', 'rock rolls', 'heavy rock', 'rock hard'],
  paper: ['paper', 'paper covers', 'plain paper', 'paper wraps', 'folded paper'],
  scissors: ['scissors', 'sharp scissors', 'scissors snip', 'scissors cut'],
  spock: ['spock', 'logical spock'],
  lizard: ['lizard', 'sneaky lizard'],
};

/** Every phrasing, move by move. */
export const RPSSL_UTTERANCES: readonly string[] = Object.values(RPSSL_PHRASINGS).flat();

/** The phrasings as `say[...]` candidates in place of the placeholder; other actions as they are. */
export function rpsslSpeechProposer(observation: Observation): string[] {
  if (!observation.actions.includes(RPSSL_SPEECH_PLACEHOLDER)) return observation.actions;
  return [...RPSSL_UTTERANCES.map((u) => `say[${u}]`), ...observation.actions.filter((a) => a !== RPSSL_SPEECH_PLACEHOLDER)];
}
