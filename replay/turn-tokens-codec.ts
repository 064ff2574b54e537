/**
 * `steps.tokens`: a turn's TurnTokens as JSON, with the prompt kept as a delta on the step before.
 *
 * A chat transcript grows by appending: turn t's prompt is usually turn t−1's prompt followed by
 * the assistant's reply and the next observation. Storing every prompt whole would make an
 * episode's size quadratic in its length, so a step keeps `promptShared` (how many leading
 * messages equal those of the previous step's prompt) and `promptRest` (the messages after them).
 * A windowed prompt that drops old turns shares only its system message and is kept nearly whole,
 * which is linear again. Decoding walks the steps in order and rebuilds each prompt exactly.
 * @module
 */
import { turnTokensProblem, type PromptMessage, type TurnTokens } from '../agents/turn-tokens.js';
import { StoreError } from './errors.js';

/** The stored shape: TurnTokens without `prompt`, plus the delta. */
interface StoredTurnTokens extends Omit<TurnTokens, 'prompt'> {
  promptShared: number;
  promptRest: PromptMessage[];
}

function sameMessage(a: PromptMessage, b: PromptMessage): boolean {
  return a.role === b.role && a.content === b.content;
}

/** How many leading messages `prompt` shares with `previous`. */
export function sharedPrefix(prompt: readonly PromptMessage[], previous: readonly PromptMessage[] | null): number {
  if (previous === null) return 0;
  const n = Math.min(prompt.length, previous.length);
  let k = 0;
  while (k < n && sameMessage(prompt[k]!, previous[k]!)) k++;
  return k;
}

/**
 * The column's text for `tokens`, given the previous step's prompt (null on the first step or
 * after a step without tokens). Throws STORE_INVALID on a record that contradicts itself.
 */
export function encodeTurnTokens(tokens: TurnTokens, previous: readonly PromptMessage[] | null, where: string): string {
  const problem = turnTokensProblem(tokens);
  if (problem !== null) throw new StoreError('STORE_INVALID', `${where}: tokens: ${problem}.`);
  const { prompt, ...rest } = tokens;
  const shared = sharedPrefix(prompt, previous);
  const stored: StoredTurnTokens = { ...rest, promptShared: shared, promptRest: prompt.slice(shared) };
  return JSON.stringify(stored);
}

/** Decodes a column's text; `previous` is the decoded prompt of the step before (null when none). */
export function decodeTurnTokens(text: string, previous: readonly PromptMessage[] | null): TurnTokens {
  const stored = JSON.parse(text) as StoredTurnTokens;
  const { promptShared, promptRest, ...rest } = stored;
  if (promptShared > 0 && (previous === null || previous.length < promptShared)) {
    throw new StoreError(
      'STORE_INVALID',
      `A step's tokens share ${promptShared} prompt messages with the step before it, which has ${previous?.length ?? 0}: the file was edited or damaged; re-record the episode.`,
    );
  }
  return { prompt: [...(previous ?? []).slice(0, promptShared), ...promptRest], ...rest };
}
