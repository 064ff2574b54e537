/**
 * browser-v1's action grammar: one BrowserGym-style call per step, parsed strictly.
 *
 *   click("12")               fill("12", "text")        select_option("12", "value")
 *   check("12")               uncheck("12")             press("12", "Enter")
 *   hover("12")               scroll(0, 200)            noop()
 *
 * Ids are strings of digits (the `[12]` of the tree); text arguments are double- or single-quoted
 * string literals with JSON escapes; `scroll` takes two numbers (pixels, |d| ≤ 10,000). A call may
 * be followed by a `# comment` (the admissible list annotates every action with the element it
 * acts on); nothing else may surround it. Pure: no browser here.
 *
 * A malformed call is `PARSE_ERROR` whose suggestions start with the nearest well-formed call
 * (the verb spelled right, the arguments quoted, e.g. `click(12)` → `click("12")`); an unknown
 * verb is `UNKNOWN_VERB`; an empty action `EMPTY_ACTION`.
 * @module
 */
import { closest, distance } from 'fastest-levenshtein';
import type { InvalidAction } from '../core/types.js';

export type BrowserAction =
  | { verb: 'click' | 'check' | 'uncheck' | 'hover'; id: number }
  | { verb: 'fill'; id: number; text: string }
  | { verb: 'select_option'; id: number; value: string }
  | { verb: 'press'; id: number; key: string }
  | { verb: 'scroll'; dx: number; dy: number }
  | { verb: 'noop' };

export type Verb = BrowserAction['verb'];

type ArgKind = 'id' | 'text' | 'key' | 'number';

/** Each verb's arguments, in order. */
export const SIGNATURES: Readonly<Record<Verb, readonly ArgKind[]>> = {
  click: ['id'],
  fill: ['id', 'text'],
  select_option: ['id', 'text'],
  check: ['id'],
  uncheck: ['id'],
  press: ['id', 'key'],
  hover: ['id'],
  scroll: ['number', 'number'],
  noop: [],
};
export const VERBS = Object.keys(SIGNATURES) as Verb[];

/** Longest action accepted (a fill text may be long; a 10k-character blob is not an action). */
export const MAX_ACTION_LENGTH = 4000;
export const MAX_SCROLL = 10_000;

const KEY_NAMES = new Set([
  'Enter', 'Tab', 'Escape', 'Backspace', 'Delete', 'Space', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight',
  'Home', 'End', 'PageUp', 'PageDown', 'Insert',
  ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
]);
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'ControlOrMeta']);

/** A Playwright key combination we accept: modifiers joined by '+', then a named key or one character. */
export function isKeyCombo(key: string): boolean {
  if (key.length === 0 || key.length > 60) return false;
  const parts = key === '+' ? ['+'] : key.endsWith('++') ? [...key.slice(0, -2).split('+'), '+'] : key.split('+');
  const last = parts[parts.length - 1] as string;
  if (!(KEY_NAMES.has(last) || [...last].length === 1)) return false;
  return parts.slice(0, -1).every((m) => MODIFIERS.has(m));
}

function formatString(s: string): string {
  return JSON.stringify(s);
}

/** The canonical text of an action (what `info.canonicalAction` reports). */
export function formatAction(a: BrowserAction): string {
  switch (a.verb) {
    case 'click':
    case 'check':
    case 'uncheck':
    case 'hover':
      return `${a.verb}(${formatString(String(a.id))})`;
    case 'fill':
      return `fill(${formatString(String(a.id))}, ${formatString(a.text)})`;
    case 'select_option':
      return `select_option(${formatString(String(a.id))}, ${formatString(a.value)})`;
    case 'press':
      return `press(${formatString(String(a.id))}, ${formatString(a.key)})`;
    case 'scroll':
      return `scroll(${a.dx}, ${a.dy})`;
    case 'noop':
      return 'noop()';
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer for one call.

type Arg = { kind: 'string'; value: string } | { kind: 'number'; value: number; raw: string };

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i] as string)) this.i++;
  }
  peek(): string | undefined {
    return this.s[this.i];
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', '"': '"', "'": "'", '/': '/' };

function readString(c: Cursor): string | null {
  const q = c.peek();
  if (q !== '"' && q !== "'") return null;
  c.i++;
  let out = '';
  while (!c.done()) {
    const ch = c.s[c.i] as string;
    if (ch === q) {
      c.i++;
      return out;
    }
    if (ch === '\n') return null;
    if (ch === '\\') {
      const e = c.s[c.i + 1];
      if (e === undefined) return null;
      if (e === 'u') {
        const hex = c.s.slice(c.i + 2, c.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
        out += String.fromCharCode(parseInt(hex, 16));
        c.i += 6;
        continue;
      }
      const mapped = ESCAPES[e];
      if (mapped === undefined) return null;
      out += mapped;
      c.i += 2;
      continue;
    }
    out += ch;
    c.i++;
  }
  return null;
}

function readNumber(c: Cursor): { value: number; raw: string } | null {
  const m = /^[-+]?\d+(?:\.\d+)?/.exec(c.s.slice(c.i));
  if (!m) return null;
  c.i += m[0].length;
  return { value: Number(m[0]), raw: m[0] };
}

/** `verb(args) [# comment]` → its parts, or null when it is not one well-formed call. */
function tokenize(action: string): { verb: string; args: Arg[] } | null {
  const c = new Cursor(action);
  c.ws();
  const vm = /^[A-Za-z_][A-Za-z0-9_]*/.exec(c.s.slice(c.i));
  if (!vm) return null;
  const verb = vm[0];
  c.i += verb.length;
  c.ws();
  if (c.peek() !== '(') return null;
  c.i++;
  c.ws();
  const args: Arg[] = [];
  if (c.peek() === ')') c.i++;
  else {
    for (;;) {
      c.ws();
      const ch = c.peek();
      if (ch === '"' || ch === "'") {
        const s = readString(c);
        if (s === null) return null;
        args.push({ kind: 'string', value: s });
      } else {
        const n = readNumber(c);
        if (n === null) return null;
        args.push({ kind: 'number', value: n.value, raw: n.raw });
      }
      c.ws();
      const sep = c.peek();
      c.i++;
      if (sep === ')') break;
      if (sep !== ',') return null;
    }
  }
  c.ws();
  if (!c.done() && c.peek() !== '#') return null;
  return { verb, args };
}

// ---------------------------------------------------------------------------------------------

function invalid(code: InvalidAction['code'], message: string, suggestions: string[], admissible: readonly string[] = []): InvalidAction {
  // A repaired call that is admissible is shown as the admissible entry (with its comment).
  const byCall = new Map(admissible.map((a) => [callPart(a), a] as const));
  const out: string[] = [];
  for (const s of suggestions) {
    const shown = byCall.get(callPart(s)) ?? s;
    if (!out.some((o) => callPart(o) === callPart(shown))) out.push(shown);
  }
  return { code, message, suggestions: out.slice(0, 3) };
}

function usage(verb: Verb): string {
  const examples: Record<Verb, string> = {
    click: 'click("12")',
    fill: 'fill("12", "text")',
    select_option: 'select_option("12", "value")',
    check: 'check("12")',
    uncheck: 'uncheck("12")',
    press: 'press("12", "Enter")',
    hover: 'hover("12")',
    scroll: 'scroll(0, 200)',
    noop: 'noop()',
  };
  return examples[verb];
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 3)}...` : s;
}

/** Admissible actions closest to `text` (by edit distance over their call part). */
export function nearestAdmissible(text: string, admissible: readonly string[], k = 3): string[] {
  if (admissible.length === 0) return [];
  const probe = text.slice(0, 200);
  return admissible
    .map((a) => ({ a, d: distance(probe, callPart(a).slice(0, 200)) }))
    .sort((x, y) => x.d - y.d)
    .slice(0, k)
    .map((r) => r.a);
}

/** An action without its trailing `# comment`. */
export function callPart(action: string): string {
  const t = tokenize(action);
  if (t === null) return action.trim();
  const hash = findCommentStart(action);
  return (hash < 0 ? action : action.slice(0, hash)).trim();
}

function findCommentStart(action: string): number {
  let quote: string | null = null;
  for (let i = 0; i < action.length; i++) {
    const ch = action[i];
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return i;
  }
  return -1;
}

/** Best-effort repair of a malformed action into a well-formed call, for the suggestion list. */
export function repairAction(action: string): string | null {
  const s = action.trim().slice(0, 400);
  const word = /^[A-Za-z_]+/.exec(s)?.[0];
  if (word === undefined) return null;
  const verb = (VERBS as string[]).includes(word.toLowerCase()) ? (word.toLowerCase() as Verb) : (closest(word.toLowerCase(), VERBS) as Verb);
  if (distance(word.toLowerCase(), verb) > Math.max(2, Math.floor(verb.length / 3))) return null;
  const rest = s.slice(word.length);
  const sig = SIGNATURES[verb];
  const strings = [...rest.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
  const bare = rest.replace(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g, ' ');
  const numbers = [...bare.matchAll(/[-+]?\d+(?:\.\d+)?/g)].map((m) => m[0]);
  if (verb === 'noop') return 'noop()';
  if (verb === 'scroll') {
    const nums = [...numbers, ...strings.filter((x) => /^[-+]?\d+(\.\d+)?$/.test(x))];
    return nums.length >= 2 ? `scroll(${Number(nums[0])}, ${Number(nums[1])})` : nums.length === 1 ? `scroll(0, ${Number(nums[0])})` : 'scroll(0, 200)';
  }
  // The id: a quoted digit string, or a bare number.
  const idFromString = strings.find((x) => /^\d+$/.test(x));
  const id = idFromString ?? numbers[0];
  if (id === undefined) return null;
  if (sig.length === 1) return `${verb}(${formatString(String(Number(id)))})`;
  const texts = strings.filter((x) => x !== idFromString);
  const text = texts[0] ?? (verb === 'press' ? 'Enter' : null);
  if (text === null) return null;
  return `${verb}(${formatString(String(Number(id)))}, ${formatString(text)})`;
}

/**
 * Parses an action string. `admissible` (the current candidates) only feeds suggestions.
 * Returns the action, or an InvalidAction with a code, a message and suggestions.
 */
export function parseAction(action: unknown, admissible: readonly string[] = []): BrowserAction | InvalidAction {
  const text = typeof action === 'string' ? action : '';
  const trimmed = text.trim();
  if (trimmed === '') return invalid('EMPTY_ACTION', 'The action is empty: send one call such as click("12"), fill("12", "text") or noop().', admissible.slice(0, 3));
  if (text.length > MAX_ACTION_LENGTH) {
    return invalid('PARSE_ERROR', `The action is ${text.length} characters long; at most ${MAX_ACTION_LENGTH} are accepted.`, nearestAdmissible(trimmed, admissible));
  }
  const tok = tokenize(text);
  if (tok === null) {
    const repaired = repairAction(trimmed);
    const hint = repaired === null ? 'an action is one call such as click("12"), fill("12", "text"), scroll(0, 200) or noop()' : `did you mean ${repaired}?`;
    return invalid('PARSE_ERROR', `Cannot parse '${clip(trimmed)}': ${hint}`, [...(repaired === null ? [] : [repaired]), ...nearestAdmissible(trimmed, admissible)], admissible);
  }
  if (!(VERBS as string[]).includes(tok.verb)) {
    const repaired = repairAction(trimmed);
    return invalid('UNKNOWN_VERB', `Unknown action '${clip(tok.verb, 40)}': use one of ${VERBS.join(', ')}.`, [...(repaired === null ? [] : [repaired]), ...nearestAdmissible(trimmed, admissible)], admissible);
  }
  const verb = tok.verb as Verb;
  const sig = SIGNATURES[verb];
  const bad = (why: string) => {
    const repaired = repairAction(trimmed);
    return invalid('PARSE_ERROR', `${why}: write ${usage(verb)}.`, [...(repaired === null ? [] : [repaired]), ...nearestAdmissible(trimmed, admissible)], admissible);
  };
  if (tok.args.length !== sig.length) return bad(`${verb} takes ${sig.length} argument${sig.length === 1 ? '' : 's'}, got ${tok.args.length}`);
  const values: (string | number)[] = [];
  for (let k = 0; k < sig.length; k++) {
    const want = sig[k] as ArgKind;
    const arg = tok.args[k] as Arg;
    if (want === 'number') {
      if (arg.kind !== 'number') return bad(`${verb}'s arguments are numbers`);
      if (!Number.isFinite(arg.value) || Math.abs(arg.value) > MAX_SCROLL) return bad(`scroll distances are at most ${MAX_SCROLL} pixels`);
      values.push(arg.value);
    } else if (want === 'id') {
      if (arg.kind !== 'string') return bad(`element ids are strings, as in the tree's [12]`);
      if (!/^\d{1,9}$/.test(arg.value)) return bad(`'${clip(arg.value, 20)}' is not an element id (ids are the numbers in brackets in the tree)`);
      values.push(Number(arg.value));
    } else {
      if (arg.kind !== 'string') return bad(`${verb}'s ${want === 'key' ? 'key' : 'text'} is a quoted string`);
      if (want === 'key' && !isKeyCombo(arg.value)) {
        return bad(`'${clip(arg.value, 30)}' is not a key (use a key name such as Enter, Tab, Escape, ArrowDown, Backspace, or a character, with modifiers as Shift+Tab or ControlOrMeta+a)`);
      }
      values.push(arg.value);
    }
  }
  switch (verb) {
    case 'click':
    case 'check':
    case 'uncheck':
    case 'hover':
      return { verb, id: values[0] as number };
    case 'fill':
      return { verb, id: values[0] as number, text: values[1] as string };
    case 'select_option':
      return { verb, id: values[0] as number, value: values[1] as string };
    case 'press':
      return { verb, id: values[0] as number, key: values[1] as string };
    case 'scroll':
      return { verb, dx: values[0] as number, dy: values[1] as number };
    case 'noop':
      return { verb };
  }
}

export function isInvalid(x: BrowserAction | InvalidAction): x is InvalidAction {
  return 'code' in x;
}
