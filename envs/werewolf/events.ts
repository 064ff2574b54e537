/**
 * The game's event log: everything that happens, omniscient, in order. Each seat sees the events
 * {@link visibleTo} it — public ones (dawn, speeches, votes, the end), its own night action, and,
 * for a living werewolf, the pack's night choices (`pack`: the werewolves alive that night) —
 * rendered as record lines (record-lines.ts).
 * @module
 */
import type { Role, Side } from './roles.js';

export type Winner = Side | 'draw';

export type GameEvent =
  /** Seat `seat` learns its role (and a werewolf its teammate): one per seat at the start. */
  | { type: 'deal'; seat: number; role: Role; teammate: number | null }
  | { type: 'night'; round: number }
  /** The first werewolf's proposal, seen by both (only when two are alive). */
  | { type: 'proposal'; round: number; wolf: number; target: number; pack: number[] }
  /** The werewolves' final choice of victim (the second wolf's decision, or the lone wolf's). */
  | { type: 'wolf-choice'; round: number; wolf: number; target: number; pack: number[] }
  | { type: 'check'; round: number; seer: number; target: number; werewolf: boolean }
  | { type: 'protect'; round: number; doctor: number; target: number }
  /** Night's end. `killed` is public; `victim` and `saved` are omniscient. */
  | { type: 'dawn'; round: number; killed: number | null; victim: number | null; saved: boolean }
  /** Bidding discussion: who takes the floor; `bids` (by seat, null = did not bid) is omniscient. */
  | { type: 'floor'; round: number; turn: number; speaker: number; bid: number; bids: (number | null)[] }
  | { type: 'speech'; round: number; turn: number; speaker: number; text: string }
  /** The day's vote: every living player's ballot (null = abstain), and the outcome. */
  | { type: 'vote'; round: number; ballots: [number, number | null][]; exiled: number | null; tied: number[] }
  | { type: 'end'; round: number; winner: Winner; reason: string };

export type GameEventType = GameEvent['type'];

/** Events only the acting role sees; everything else is public. */
const PRIVATE: ReadonlySet<GameEventType> = new Set(['deal', 'proposal', 'wolf-choice', 'check', 'protect']);

export function isPrivate(event: GameEvent): boolean {
  return PRIVATE.has(event.type);
}

/** Whether `seat` sees `event`. */
export function visibleTo(event: GameEvent, seat: number): boolean {
  switch (event.type) {
    case 'deal':
      return event.seat === seat;
    case 'proposal':
    case 'wolf-choice':
      return event.pack.includes(seat);
    case 'check':
      return event.seer === seat;
    case 'protect':
      return event.doctor === seat;
    default:
      return true;
  }
}
