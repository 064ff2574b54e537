/**
 * The day vote (pure): simultaneous, each living player votes to exile a living player other than
 * itself, or abstains. The plurality of cast votes exiles; a tie follows the tie rule —
 * 'no-exile' (nobody leaves; the default) or 'random' (a seeded draw among the tied). When nobody
 * votes, nobody leaves.
 * @module
 */
import type { Rng } from '../core/rng.js';

export type TieRule = 'no-exile' | 'random';

/** Why a vote is refused, or null when it is allowed. */
export function checkVoteTarget(alive: readonly boolean[], voter: number, target: number | null): string | null {
  if (target === null) return null;
  if (!(target >= 0 && target < alive.length)) return `There is no player ${target}.`;
  if (!alive[target]) return `Player ${target} is out of the game: vote for a living player, or vote[none].`;
  return target === voter ? 'You cannot vote to exile yourself: vote for another living player, or vote[none].' : null;
}

export function voteTargets(alive: readonly boolean[], voter: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < alive.length; t++) if (checkVoteTarget(alive, voter, t) === null) out.push(t);
  return out;
}

export interface VoteOutcome {
  exiled: number | null;
  /** The players sharing the most votes when more than one did (empty otherwise). */
  tied: number[];
  /** Votes per target seat. */
  counts: Map<number, number>;
}

/** Counts the ballots ([voter, target or null]) and applies the tie rule. */
export function tallyVotes(ballots: readonly (readonly [number, number | null])[], tieRule: TieRule, rng: Rng): VoteOutcome {
  const counts = new Map<number, number>();
  for (const [, target] of ballots) if (target !== null) counts.set(target, (counts.get(target) ?? 0) + 1);
  let best = 0;
  for (const n of counts.values()) best = Math.max(best, n);
  if (best === 0) return { exiled: null, tied: [], counts };
  const top = [...counts].filter(([, n]) => n === best).map(([seat]) => seat).sort((a, b) => a - b);
  if (top.length === 1) return { exiled: top[0]!, tied: [], counts };
  return { exiled: tieRule === 'random' ? rng.pick(top) : null, tied: top, counts };
}
