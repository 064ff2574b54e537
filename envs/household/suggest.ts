/**
 * Suggestions for a refused command: the closest admissible commands, best first. Closeness is
 * the number of shared words (numbers count a quarter), ties broken by Levenshtein distance
 * (fastest-levenshtein) and then by list order.
 * @module
 */
import { distance } from 'fastest-levenshtein';

const MAX_INPUT = 120;

function words(s: string): string[] {
  return s.split(' ').filter((w) => w.length > 0);
}

export function suggestCommands(input: string, candidates: readonly string[], k = 5): string[] {
  const text = input.slice(0, MAX_INPUT);
  const inputWords = new Set(words(text));
  const scored = candidates.map((c, i) => {
    let shared = 0;
    for (const w of new Set(words(c))) if (inputWords.has(w)) shared += /^\d+$/.test(w) ? 0.25 : 1;
    return { c, i, shared, dist: distance(text, c) };
  });
  scored.sort((a, b) => b.shared - a.shared || a.dist - b.dist || a.i - b.i);
  return scored.slice(0, k).map((s) => s.c);
}
