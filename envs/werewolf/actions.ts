/**
 * The action grammar: `kill[p]`, `check[p]`, `protect[p]`, `vote[p]`, `vote[none]`, `bid[n]`,
 * `say[text]`. Verbs are case-insensitive; a player may be written `3`, `player 3` or `p3`;
 * `vote[abstain]` is `vote[none]`. Parsing knows nothing about the game state: whether the action
 * is allowed now is the rules' business (game.ts).
 * @module
 */
import type { InvalidActionCode } from '../core/types.js';
import { PLAYER_COUNT } from './roles.js';

export type TargetVerb = 'kill' | 'check' | 'protect';

export type WerewolfAction =
  | { verb: TargetVerb; target: number }
  | { verb: 'vote'; target: number | null }
  | { verb: 'bid'; amount: number }
  | { verb: 'say'; text: string };

export type Verb = WerewolfAction['verb'];
export const VERBS: readonly Verb[] = ['kill', 'check', 'protect', 'vote', 'bid', 'say'];

export const MAX_BID = 4;

/** What a speaker's admissible list shows: speech is free text, proposed on the agent side. */
export const SPEECH_PLACEHOLDER = 'say[<speech>]';

export type ParsedAction = { ok: true; action: WerewolfAction } | { ok: false; code: InvalidActionCode; message: string };

const fail = (code: InvalidActionCode, message: string): ParsedAction => ({ ok: false, code, message });

function quote(s: string, max = 60): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

/** Reads `p`, `player p` or `pN`: a seat number, or an error. */
function parsePlayer(verb: string, arg: string): { ok: true; seat: number } | { ok: false; result: ParsedAction } {
  const m = /^(?:player\s*|p)?(-?\d+)$/i.exec(arg.trim());
  if (!m) {
    return { ok: false, result: fail('PARSE_ERROR', `${verb}[${arg}]: name a player by number, e.g. ${verb}[3] (players are 0-${PLAYER_COUNT - 1}).`) };
  }
  const seat = Number(m[1]);
  if (!Number.isInteger(seat) || seat < 0 || seat >= PLAYER_COUNT) {
    return { ok: false, result: fail('UNKNOWN_OBJECT', `There is no player ${m[1]}: players are 0-${PLAYER_COUNT - 1}.`) };
  }
  return { ok: true, seat };
}

export function parseAction(raw: string): ParsedAction {
  const input = raw.trim();
  if (input === '') return fail('EMPTY_ACTION', `Empty action: act with one of ${VERBS.map((v) => `${v}[…]`).join(', ')}.`);
  const open = input.indexOf('[');
  const verb = (open < 0 ? input.split(/\s/)[0]! : input.slice(0, open)).trim().toLowerCase();
  if (!(VERBS as readonly string[]).includes(verb)) {
    return fail('UNKNOWN_VERB', `Unknown action ${quote(input)}: the actions are kill[p], check[p], protect[p], say[text], bid[n], vote[p] and vote[none].`);
  }
  if (open < 0 || !input.endsWith(']')) {
    return fail('PARSE_ERROR', `${quote(input)} is not well formed: write ${verb}[…] with the argument in square brackets.`);
  }
  const arg = input.slice(open + 1, -1);
  switch (verb as Verb) {
    case 'say':
      return { ok: true, action: { verb: 'say', text: arg } };
    case 'bid': {
      const m = /^\s*(\d+)\s*$/.exec(arg);
      const amount = m ? Number(m[1]) : NaN;
      if (!Number.isInteger(amount) || amount > MAX_BID) return fail('PARSE_ERROR', `bid[${arg}]: bid a whole number from 0 (observe) to ${MAX_BID} (urgent).`);
      return { ok: true, action: { verb: 'bid', amount } };
    }
    case 'vote':
      if (/^\s*(none|abstain)\s*$/i.test(arg)) return { ok: true, action: { verb: 'vote', target: null } };
      break;
  }
  const player = parsePlayer(verb, arg);
  if (!player.ok) return player.result;
  return { ok: true, action: { verb: verb as TargetVerb | 'vote', target: player.seat } };
}

/** The canonical spelling of an action (what `canonicalAction` reports). */
export function formatAction(action: WerewolfAction): string {
  switch (action.verb) {
    case 'say':
      return `say[${action.text}]`;
    case 'bid':
      return `bid[${action.amount}]`;
    case 'vote':
      return `vote[${action.target === null ? 'none' : action.target}]`;
    default:
      return `${action.verb}[${action.target}]`;
  }
}
