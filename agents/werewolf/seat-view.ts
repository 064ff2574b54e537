/**
 * What one seat knows, read from its own observations only — the same text a remote player or a
 * language model reads. The record part of an observation only grows, so a view remembers how far
 * it has read and parses only the new lines (`readObservation`); a stateless reader (the speech
 * proposer) starts from {@link newSeatView} each time.
 * @module
 */
import { parseClaims, parseRecordLine, PLAYER_COUNT, STATUS_SEPARATOR, type Claim, type Role, type Winner } from '../../envs/werewolf/index.js';

export interface Speech {
  round: number;
  speaker: number;
  text: string;
  claims: Claim[];
}

export interface Ballots {
  round: number;
  ballots: [number, number | null][];
  exiled: number | null;
}

export interface SeatView {
  /** This seat (-1 until the first line is read). */
  me: number;
  role: Role | null;
  /** A werewolf's fellow werewolf. */
  teammate: number | null;
  alive: boolean[];
  /** The round of the last night or day line read. */
  round: number;
  deaths: { seat: number; cause: 'killed' | 'exiled'; round: number }[];
  /** Night deaths by round (null: nobody died that night). */
  nightKills: Map<number, number | null>;
  /** The seer's own checks. */
  checks: { round: number; target: number; werewolf: boolean }[];
  /** The doctor's own protections. */
  protections: { round: number; target: number }[];
  /** A werewolf's view of the pack's nights. */
  proposals: { round: number; by: 'me' | number; target: number }[];
  wolfChoices: { round: number; target: number }[];
  speeches: Speech[];
  votes: Ballots[];
  winner: Winner | null;
  /** Characters of the record read so far. */
  readChars: number;
}

export function newSeatView(): SeatView {
  return {
    me: -1,
    role: null,
    teammate: null,
    alive: Array.from({ length: PLAYER_COUNT }, () => true),
    round: 0,
    deaths: [],
    nightKills: new Map(),
    checks: [],
    protections: [],
    proposals: [],
    wolfChoices: [],
    speeches: [],
    votes: [],
    winner: null,
    readChars: 0,
  };
}

/** The record part of an observation text (everything before the status block). */
export function recordOf(text: string): string {
  const at = text.lastIndexOf(STATUS_SEPARATOR);
  return at < 0 ? '' : text.slice(0, at);
}

/** Where the record ends: read from the status block's length when the anchor is given. */
function recordLength(text: string, anchor?: string): number {
  if (anchor !== undefined && text.endsWith(anchor)) {
    const end = text.length - anchor.length - STATUS_SEPARATOR.length;
    if (end >= 0 && text.startsWith(STATUS_SEPARATOR, end)) return end;
  }
  const at = text.lastIndexOf(STATUS_SEPARATOR);
  return at < 0 ? 0 : at;
}

/**
 * Reads the lines of `text` not read yet into `view`; returns the view. Pass the observation's
 * `anchor` (its status block) to find the record's end without searching.
 */
export function readObservation(view: SeatView, text: string, anchor?: string): SeatView {
  const end = recordLength(text, anchor);
  if (end < view.readChars) throw new RangeError('The record shrank: this view belongs to another game or seat.');
  if (end === view.readChars) return view;
  const fresh = text.slice(view.readChars, end);
  view.readChars = end;
  for (const line of fresh.split('\n')) if (line !== '') readLine(view, line);
  return view;
}

function readLine(view: SeatView, line: string): void {
  const r = parseRecordLine(line);
  if (r === null) return;
  switch (r.kind) {
    case 'start':
      view.me = r.me;
      return;
    case 'role':
      view.role = r.role;
      return;
    case 'teammate':
      view.teammate = r.teammate;
      return;
    case 'night':
      view.round = r.round;
      return;
    case 'proposal':
      view.proposals.push({ round: r.round, by: r.by, target: r.target });
      return;
    case 'wolf-choice':
      view.wolfChoices.push({ round: r.round, target: r.target });
      return;
    case 'check':
      view.checks.push({ round: r.round, target: r.target, werewolf: r.werewolf });
      return;
    case 'protect':
      view.protections.push({ round: r.round, target: r.target });
      return;
    case 'dawn':
      view.round = r.round;
      view.nightKills.set(r.round, r.killed);
      if (r.killed !== null) {
        view.alive[r.killed] = false;
        view.deaths.push({ seat: r.killed, cause: 'killed', round: r.round });
      }
      return;
    case 'floor':
      return;
    case 'speech':
      view.speeches.push({ round: r.round, speaker: r.speaker, text: r.text, claims: parseClaims(r.text) });
      return;
    case 'votes':
      view.votes.push({ round: r.round, ballots: r.ballots, exiled: null });
      return;
    case 'exile': {
      const last = view.votes[view.votes.length - 1];
      if (last && last.round === r.round) last.exiled = r.exiled;
      if (r.exiled !== null) {
        view.alive[r.exiled] = false;
        view.deaths.push({ seat: r.exiled, cause: 'exiled', round: r.round });
      }
      return;
    }
    case 'end':
      view.winner = r.winner;
      return;
  }
}

/** A fresh view of a whole observation (for stateless readers). */
export function viewOf(text: string): SeatView {
  return readObservation(newSeatView(), text);
}
