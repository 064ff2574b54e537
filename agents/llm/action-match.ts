/**
 * Mapping a model's action text to the nearest admissible action. Pure.
 *
 * In order: an exact match; a match after normalising case, spacing and a trailing period; a
 * filled-in free-form template (`search[<query>]` matches `search[red shoes]`, which is kept as
 * written); the best fuzzy match (fuzzball's WRatio, 0..100, ties broken by Levenshtein distance
 * from fastest-levenshtein, then by list order) when it scores at least `minScore`. Otherwise the
 * text is unmatched and goes to the env as written, where the env's invalid-action policy applies.
 * @module
 */
import { distance } from 'fastest-levenshtein';
import { WRatio } from 'fuzzball';

export type MatchKind = 'exact' | 'normalized' | 'template' | 'fuzzy' | 'unmatched';

export interface ActionMatch {
  /** What goes to the env. */
  action: string;
  how: MatchKind;
  /** 100 for exact and normalized matches, the fuzzy score otherwise (0 when unmatched with no candidates). */
  score: number;
}

/** The longest text compared fuzzily (a runaway reply costs no more than this). */
const MAX_FUZZY_CHARS = 400;

export function normalizeAction(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().replace(/\s*\.$/, '');
}

/** A template such as `search[<query>]` as a regex over filled-in actions. */
function templateRegex(template: string): RegExp | null {
  const parts = template.split(/<[^<>\s]+>/);
  if (parts.length < 2) return null;
  const body = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.+)');
  return new RegExp(`^${body}$`, 's');
}

/**
 * @param text the action as parsed from the reply
 * @param candidates what the agent was asked to choose from
 * @param templates free-form templates the env lists (actions with a `<placeholder>`)
 * @param minScore fuzzy matches below this (0..100) stay unmatched
 */
export function matchAction(text: string, candidates: readonly string[], templates: readonly string[] = [], minScore = 80): ActionMatch {
  if (candidates.includes(text)) return { action: text, how: 'exact', score: 100 };
  const wanted = normalizeAction(text);
  const normalized = candidates.find((c) => normalizeAction(c) === wanted);
  if (normalized !== undefined) return { action: normalized, how: 'normalized', score: 100 };
  for (const template of templates) {
    const filled = templateRegex(template)?.exec(text.trim());
    if (filled && filled.slice(1).every((g) => !/^<[^<>\s]+>$/.test(g))) return { action: text.trim(), how: 'template', score: 100 };
  }
  if (candidates.length === 0 || wanted.length === 0) return { action: text, how: 'unmatched', score: 0 };
  const probe = text.slice(0, MAX_FUZZY_CHARS);
  let best = -1;
  let bestScore = -1;
  let bestDistance = Infinity;
  candidates.forEach((c, i) => {
    const score = WRatio(probe, c);
    if (score < bestScore) return;
    const d = distance(probe, c);
    if (score > bestScore || d < bestDistance) {
      best = i;
      bestScore = score;
      bestDistance = d;
    }
  });
  if (bestScore >= minScore) return { action: candidates[best] as string, how: 'fuzzy', score: bestScore };
  return { action: text, how: 'unmatched', score: Math.max(0, bestScore) };
}
