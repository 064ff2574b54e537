/**
 * The text a run's tokenizer is trained on: what the model will read and write in that env — the
 * system messages, goals, observations and actions of some episodes (expert demonstrations, or a
 * random agent's where there is no expert), plus the admissible actions each step listed, so the
 * actions the model has yet to take are in the vocabulary too. Pure.
 * @module
 */
import type { Observation } from '../../envs/core/types.js';
import { systemMessage } from './transcript.js';

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
      if (s.observation.actions.length > 0) docs.push(s.observation.actions.join('\n'));
    }
    docs.push(e.finalObservation.text);
  }
  return docs;
}
