/**
 * The shop's page state machine, as pure functions over a plain-JSON state (WebShop's SimServer):
 *
 *   search ──search[q]──▶ results (10 per page of the top 50; Next >, < Prev, Back to Search)
 *   results ──click[asin]──▶ item (option radios, Description, Features, Reviews, Buy Now, < Prev)
 *   item ──click[description|features|reviews]──▶ sub-page (< Prev back to the item)
 *   item ──click[buy now]──▶ done (the episode ends and the reward is computed)
 *
 * Actions are `search[...]` and `click[...]`, case-insensitive. Admissible: `search[<query>]` when
 * the page has a search box (the search page), plus `click[x]` for every clickable (buttons, the
 * results' ASIN links, the item's option values), all lower-case. Anything else is answered with
 * an `invalid` (code, message, suggestions) and leaves the state unchanged.
 * @module
 */
import { closest, distance } from 'fastest-levenshtein';
import type { InvalidAction } from '../core/types.js';
import type { Catalog } from './catalog.js';

export const PRODUCT_WINDOW = 10;
/** Characters of a search query that are kept (the rest is cut, not refused). */
export const MAX_QUERY_LENGTH = 500;
export const SEARCH_PLACEHOLDER = 'search[<query>]';
export const SUB_PAGES = ['description', 'features', 'reviews'] as const;
export type SubPage = (typeof SUB_PAGES)[number];

export type PageKind = 'search' | 'results' | 'item' | 'sub' | 'done';

export interface PageState {
  kind: PageKind;
  /** The last search's keywords ('' before any search). */
  query: string;
  /** Results page, 1-based. */
  page: number;
  /** ASINs of the last search's top 50, best first. */
  results: string[];
  /** The product shown (item, sub-page, done). */
  asin: string | null;
  sub: SubPage | null;
  /** Option group → chosen value, on the current item. */
  selected: Record<string, string>;
  /** The last click, lower-case (text_rich says "You have clicked X."). */
  clicked: string | null;
}

export function initialPage(): PageState {
  return { kind: 'search', query: '', page: 1, results: [], asin: null, sub: null, selected: {}, clicked: null };
}

export type Clickable =
  | { label: string; kind: 'button'; button: 'back to search' | '< prev' | 'next >' | SubPage | 'buy now' }
  | { label: string; kind: 'product'; asin: string }
  | { label: string; kind: 'option'; group: string; value: string };

export function pageCount(results: readonly string[]): number {
  return Math.max(1, Math.ceil(results.length / PRODUCT_WINDOW));
}

export function resultsOnPage(state: PageState): string[] {
  return state.results.slice((state.page - 1) * PRODUCT_WINDOW, state.page * PRODUCT_WINDOW);
}

export function hasSearchBox(state: PageState): boolean {
  return state.kind === 'search';
}

/** The clickables of a page, in page order, de-duplicated by label (the first wins). */
export function clickables(state: PageState, catalog: Catalog): Clickable[] {
  const out: Clickable[] = [];
  const seen = new Set<string>();
  const add = (c: Clickable) => {
    if (seen.has(c.label)) return;
    seen.add(c.label);
    out.push(c);
  };
  switch (state.kind) {
    case 'search':
    case 'done':
      break;
    case 'results':
      add({ label: 'back to search', kind: 'button', button: 'back to search' });
      if (state.page > 1) add({ label: '< prev', kind: 'button', button: '< prev' });
      if (state.page < pageCount(state.results)) add({ label: 'next >', kind: 'button', button: 'next >' });
      for (const asin of resultsOnPage(state)) add({ label: asin.toLowerCase(), kind: 'product', asin });
      break;
    case 'item': {
      add({ label: 'back to search', kind: 'button', button: 'back to search' });
      add({ label: '< prev', kind: 'button', button: '< prev' });
      const product = state.asin === null ? null : catalog.productByAsin(state.asin);
      for (const group of product?.options ?? []) for (const value of group.values) add({ label: value.toLowerCase(), kind: 'option', group: group.name, value });
      for (const sub of SUB_PAGES) add({ label: sub, kind: 'button', button: sub });
      add({ label: 'buy now', kind: 'button', button: 'buy now' });
      break;
    }
    case 'sub':
      add({ label: 'back to search', kind: 'button', button: 'back to search' });
      add({ label: '< prev', kind: 'button', button: '< prev' });
      break;
  }
  return out;
}

/** The admissible actions: the search placeholder when there is a search box, then `click[x]`. */
export function admissibleActions(state: PageState, catalog: Catalog): string[] {
  const acts = hasSearchBox(state) ? [SEARCH_PLACEHOLDER] : [];
  for (const c of clickables(state, catalog)) acts.push(`click[${c.label}]`);
  return acts;
}

export type ParsedAction = { verb: 'search'; arg: string } | { verb: 'click'; arg: string };

/** Parses `verb[arg]` (case-insensitive, surrounding blanks ignored); an InvalidAction otherwise. */
export function parseAction(action: string, admissible: readonly string[]): ParsedAction | InvalidAction {
  const a = typeof action === 'string' ? action.trim() : '';
  if (a === '') return invalid('EMPTY_ACTION', 'The action is empty: send search[keywords] or click[something on the page].', admissible);
  const m = /^([A-Za-z_]+)\s*\[([\s\S]*)\]$/.exec(a);
  if (!m) return invalid('PARSE_ERROR', `Cannot parse '${clip(a)}': actions look like search[keywords] or click[value].`, admissible);
  const verb = (m[1] as string).toLowerCase();
  const arg = (m[2] as string).trim();
  if (verb !== 'search' && verb !== 'click') return invalid('UNKNOWN_VERB', `Unknown verb '${clip(verb)}': use search[...] or click[...].`, admissible);
  if (arg === '') return invalid('EMPTY_ACTION', `${verb}[] needs ${verb === 'search' ? 'keywords' : 'the text of something to click'}.`, admissible);
  return { verb, arg };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function invalid(code: InvalidAction['code'], message: string, admissible: readonly string[], near?: string): InvalidAction {
  return { code, message, suggestions: suggest(near, admissible) };
}

/** Up to 3 admissible actions, closest to `near` first (or the first three). */
function suggest(near: string | undefined, admissible: readonly string[]): string[] {
  if (near === undefined || admissible.length === 0) return admissible.slice(0, 3);
  const probe = near.slice(0, 200);
  const ranked = admissible.map((a) => ({ a, d: distance(probe, a.slice(0, 200)) })).sort((x, y) => x.d - y.d || x.a.localeCompare(y.a));
  const best = closest(probe, admissible.map((a) => a.slice(0, 200)));
  const out = ranked.map((r) => r.a).slice(0, 3);
  return out.includes(best) ? out : [best, ...out].slice(0, 3);
}

export type Transition =
  | { ok: true; state: PageState; bought: boolean }
  | { ok: false; invalid: InvalidAction };

/** One action on the page. Pure apart from reading the catalog (search, product options). */
export function transition(state: PageState, action: string, catalog: Catalog): Transition {
  const admissible = admissibleActions(state, catalog);
  const parsed = parseAction(action, admissible);
  if ('code' in parsed) return { ok: false, invalid: parsed };
  if (parsed.verb === 'search') {
    if (!hasSearchBox(state)) {
      return { ok: false, invalid: invalid('NOT_ADMISSIBLE', 'There is no search box on this page: click[back to search] first.', admissible, `search[${parsed.arg}]`) };
    }
    const query = parsed.arg.slice(0, MAX_QUERY_LENGTH).toLowerCase();
    const results = catalog.search(query).map((i) => catalog.product(i).asin);
    return { ok: true, bought: false, state: { ...initialPage(), kind: 'results', query, results } };
  }
  const label = parsed.arg.toLowerCase();
  const target = clickables(state, catalog).find((c) => c.label === label);
  if (target === undefined) {
    const where = state.kind === 'search' ? 'The search page has nothing to click: use search[keywords].' : `'${clip(label)}' is not clickable on this page.`;
    return { ok: false, invalid: invalid('NOT_ADMISSIBLE', where, admissible, `click[${label}]`) };
  }
  const next: PageState = { ...state, selected: { ...state.selected }, results: state.results.slice(), clicked: label };
  if (target.kind === 'product') return { ok: true, bought: false, state: { ...next, kind: 'item', asin: target.asin, sub: null, selected: {} } };
  if (target.kind === 'option') {
    next.selected[target.group] = target.value;
    return { ok: true, bought: false, state: next };
  }
  switch (target.button) {
    case 'back to search':
      return { ok: true, bought: false, state: { ...initialPage(), clicked: label } };
    case 'next >':
      return { ok: true, bought: false, state: { ...next, page: state.page + 1 } };
    case '< prev':
      if (state.kind === 'results') return { ok: true, bought: false, state: { ...next, page: state.page - 1 } };
      if (state.kind === 'item') return { ok: true, bought: false, state: { ...next, kind: 'results', asin: null, selected: {} } };
      return { ok: true, bought: false, state: { ...next, kind: 'item', sub: null } };
    case 'buy now':
      return { ok: true, bought: true, state: { ...next, kind: 'done', sub: null } };
    default:
      return { ok: true, bought: false, state: { ...next, kind: 'sub', sub: target.button } };
  }
}
