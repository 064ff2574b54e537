/**
 * The text a run's tokenizer is trained on: what the model will read and write in that env — the
 * system messages, goals, observations and actions of some episodes (expert demonstrations, or a
 * random agent's where there is no expert), plus the admissible actions each step listed, so the
 * actions the model has yet to take are in the vocabulary too, under the header a listed turn
 * gives them (transcript.ts `currentTurn`). Pure.
 * @module
 */
import type { Observation } from '../../envs/core/types.js';
import { currentTurn, systemMessage } from './transcript.js';

/** What a corpus needs of one episode. */
export interface CorpusEpisode {
  initialObservation: Observation;
  steps: readonly { observation: Observation; record: { action: string } }[];
  finalObservation: Observation;
}

/** The documents of a corpus: one per observation, action list and action. */
export function tokenizerCorpus(envId: string, episodes: readonly CorpusEpisode[]): string[] {
  const docs: string[] = [];
  for (const e of episodes) {
    docs.push(systemMessage(envId, e.initialObservation.goal).content);
    for (const s of e.steps) {
      docs.push(s.observation.text, s.record.action);
      // the list as a listed turn spells it (its header too: `lm.listActions`)
      if (s.observation.actions.length > 0) docs.push(currentTurn('', s.observation.actions).trimStart());
    }
    docs.push(e.finalObservation.text);
  }
  return docs;
}
