/**
 * What a text says about the numbers a candidate action names (the featurizer's `entityContext`):
 * the text's lines that mention them, most recent first, with those numbers masked as one
 * placeholder and every other number as another. "vote[3]" in a werewolf log then reads
 * "player <it> said: I am the seer", whatever seat 3 is. Pure text work, no hashing.
 * @module
 */
import { tokenize } from './tokenize.js';

/** What the candidate's own numbers become. */
export const ENTITY_PLACEHOLDER = 'qqentqq';
/** What every other number becomes. */
export const NUMBER_PLACEHOLDER = 'qqnumqq';
const NUMBER_RE = /^\p{N}+$/u;

/** Whether a (lower-cased) word is a number. */
export function isNumberWord(word: string): boolean {
  return NUMBER_RE.test(word);
}

/**
 * The lines of `text` that mention one of `numbers` (whole words), most recent (last) first, as
 * one text of at most `maxWords` words, masked as above. Empty when no line mentions them.
 */
export function entityLines(text: string, numbers: ReadonlySet<string>, maxWords: number): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let words = 0;
  for (let i = lines.length - 1; i >= 0 && words < maxWords; i--) {
    const toks = tokenize(lines[i] as string);
    if (!toks.some((t) => numbers.has(t))) continue;
    const masked = toks.map((t) => (numbers.has(t) ? ENTITY_PLACEHOLDER : isNumberWord(t) ? NUMBER_PLACEHOLDER : t));
    out.push(masked.slice(0, maxWords - words).join(' '));
    words += masked.length;
  }
  return out.join(' ');
}
