/**
 * Day discussion turn-taking (pure).
 *  - 'seat-order': each living player speaks once, lowest seat first.
 *  - 'bidding' (Werewolf Arena's): before each turn every living player except the previous
 *    speaker bids 0–4 (0 observe … 4 "someone addressed me directly"); the highest bid speaks;
 *    ties go first to the players the previous speech mentioned, then to a seeded draw.
 * @module
 */
import type { Rng } from '../core/rng.js';

/** The next speaker in seat order: the lowest living seat that has not spoken today. */
export function nextInSeatOrder(alive: readonly boolean[], spoken: readonly number[]): number | null {
  for (let seat = 0; seat < alive.length; seat++) if (alive[seat] && !spoken.includes(seat)) return seat;
  return null;
}

/** Who bids for the next turn: every living player except the previous speaker. */
export function bidders(alive: readonly boolean[], lastSpeaker: number | null): number[] {
  const out: number[] = [];
  for (let seat = 0; seat < alive.length; seat++) if (alive[seat] && seat !== lastSpeaker) out.push(seat);
  return out;
}

const MENTION = /\b(?:player\s*|p)(\d+)\b/gi;

/** Seats a speech names ("player 3", "p3"), in order of first mention, within 0..players-1. */
export function mentionedPlayers(text: string, players: number): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(MENTION)) {
    const seat = Number(m[1]);
    if (seat < players && !out.includes(seat)) out.push(seat);
  }
  return out;
}

/**
 * The seat that takes the floor. `bids` is by seat (null: did not bid). Highest bid wins; among
 * tied bidders those `mentioned` in the previous speech come first; a remaining tie is drawn.
 */
export function pickSpeaker(bids: readonly (number | null)[], mentioned: readonly number[], rng: Rng): number {
  let best = -1;
  for (const b of bids) if (b !== null && b > best) best = b;
  if (best < 0) throw new RangeError('pickSpeaker needs at least one bid');
  const top: number[] = [];
  bids.forEach((b, seat) => {
    if (b === best) top.push(seat);
  });
  if (top.length === 1) return top[0]!;
  const named = top.filter((s) => mentioned.includes(s));
  const pool = named.length > 0 ? named : top;
  return pool.length === 1 ? pool[0]! : rng.pick(pool);
}
