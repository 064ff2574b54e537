/**
 * The command parser: free text → a syntactic command (verb and entity names) in canonical form.
 * Case- and whitespace-insensitive; a trailing period and "the" before names are ignored; the
 * legacy `put O in/on/into R` is read as `move O to R`. Whether the names exist and the command
 * applies now is decided later (game.ts), against the admissible list.
 * @module
 */
import type { InvalidActionCode } from '../core/types.js';

export type SyntaxVerb =
  | 'look'
  | 'inventory'
  | 'help'
  | 'go'
  | 'open'
  | 'close'
  | 'take'
  | 'move'
  | 'clean'
  | 'heat'
  | 'cool'
  | 'use'
  | 'examine';

export type ParseResult =
  | {
      ok: true;
      verb: SyntaxVerb;
      /** Entity names in command order (object before receptacle). */
      names: string[];
      /** The canonical command text. */
      canonical: string;
    }
  | { ok: false; code: Extract<InvalidActionCode, 'EMPTY_ACTION' | 'PARSE_ERROR' | 'UNKNOWN_VERB'>; message: string; normalized: string };

/** Longest action text considered; longer input is a parse error (and is never echoed in full). */
export const MAX_ACTION_LENGTH = 200;

const FORMS: Record<string, string> = {
  look: "'look'",
  inventory: "'inventory'",
  help: "'help'",
  go: "'go to <receptacle>'",
  open: "'open <receptacle>'",
  close: "'close <receptacle>'",
  take: "'take <object> from <receptacle>'",
  move: "'move <object> to <receptacle>'",
  put: "'move <object> to <receptacle>' (or the old 'put <object> in <receptacle>')",
  clean: "'clean <object> with <receptacle>'",
  heat: "'heat <object> with <receptacle>'",
  cool: "'cool <object> with <receptacle>'",
  use: "'use <lamp>'",
  examine: "'examine <receptacle or object>'",
};

/** Lower-case, collapse whitespace, drop a trailing period/exclamation mark. */
export function normalizeAction(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().replace(/[.!]+$/, '').trim();
}

function name(s: string): string {
  return s.replace(/^(?:the|a|an) /, '').trim();
}

/** The parse error of a command whose verb is known but whose form is not. */
function malformed(s: string, verb: string): ParseResult {
  return { ok: false, code: 'PARSE_ERROR', message: `'${s}' is not a well-formed command: use ${FORMS[verb]}.`, normalized: s };
}

/** A parsed command, or a parse error when a name came out empty. */
function parsed(s: string, verb: SyntaxVerb, names: string[], canonical: string): ParseResult {
  for (const n of names) if (n.length === 0) return malformed(s, verb);
  return { ok: true, verb, names, canonical };
}

export function parseCommand(input: string): ParseResult {
  if (typeof input !== 'string' || input.trim().length === 0) {
    return { ok: false, code: 'EMPTY_ACTION', message: 'The action is empty: type a command such as "look" or "go to <receptacle>".', normalized: '' };
  }
  if (input.length > MAX_ACTION_LENGTH) {
    return {
      ok: false,
      code: 'PARSE_ERROR',
      message: `The action is ${input.length} characters long; commands are short (at most ${MAX_ACTION_LENGTH}), e.g. "go to cabinet 1".`,
      normalized: normalizeAction(input.slice(0, MAX_ACTION_LENGTH)),
    };
  }
  const s = normalizeAction(input);
  const verb = s.split(' ', 1)[0] as string;
  let m: RegExpExecArray | null;
  switch (verb) {
    case 'look':
    case 'inventory':
    case 'help':
      return s === verb ? { ok: true, verb, names: [], canonical: verb } : malformed(s, verb);
    case 'go':
      if ((m = /^go to (.+)$/.exec(s))) {
        const r = name(m[1]!);
        return parsed(s, 'go', [r], `go to ${r}`);
      }
      return malformed(s, verb);
    case 'open':
    case 'close':
    case 'use':
    case 'examine':
      if ((m = /^\w+ (.+)$/.exec(s))) {
        const x = name(m[1]!);
        return parsed(s, verb, [x], `${verb} ${x}`);
      }
      return malformed(s, verb);
    case 'take':
      if ((m = /^take (.+?) from (.+)$/.exec(s))) {
        const [o, r] = [name(m[1]!), name(m[2]!)];
        return parsed(s, 'take', [o, r], `take ${o} from ${r}`);
      }
      return malformed(s, verb);
    case 'move':
    case 'put':
      if ((m = /^(?:move (.+?) to|put (.+?) (?:in|on|into|onto|in\/on)) (.+)$/.exec(s))) {
        const [o, r] = [name((m[1] ?? m[2])!), name(m[3]!)];
        return parsed(s, 'move', [o, r], `move ${o} to ${r}`);
      }
      return malformed(s, verb);
    case 'clean':
    case 'heat':
    case 'cool':
      if ((m = /^\w+ (.+?) with (.+)$/.exec(s))) {
        const [o, r] = [name(m[1]!), name(m[2]!)];
        return parsed(s, verb, [o, r], `${verb} ${o} with ${r}`);
      }
      return malformed(s, verb);
    default:
      return {
        ok: false,
        code: 'UNKNOWN_VERB',
        message: `'${verb.slice(0, 40)}' is not a command. Commands: look, inventory, help, go to, open, close, take … from, move … to, clean/heat/cool … with, use, examine.`,
        normalized: s,
      };
  }
}
