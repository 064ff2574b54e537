/**
 * Rewards (pure). At the end every seat gets +1 when its side won, −1 when it lost, 0 for a draw;
 * nothing before the end. The reward components, reported per seat on every step, are for
 * analysis and are not added to the reward:
 *  - teamWin: the reward itself (0 until the end);
 *  - survived: 1 while the seat's player is alive;
 *  - correctVotes: this seat's votes so far against a player of the other side;
 *  - seerHits: the seer's checks so far that found a werewolf (0 for other roles).
 * @module
 */
import type { Winner } from './events.js';
import { sideOf, type Role } from './roles.js';

export interface SeatRewardComponents {
  teamWin: number;
  survived: number;
  correctVotes: number;
  seerHits: number;
  [key: string]: number;
}

/** +1 / −1 by side, 0 for a draw or while the game runs. */
export function teamReward(role: Role, winner: Winner | null): number {
  if (winner === null || winner === 'draw') return 0;
  return sideOf(role) === winner ? 1 : -1;
}

/** Whether a vote counts as correct: it targets a player of the voter's other side. */
export function isCorrectVote(roles: readonly Role[], voter: number, target: number | null): boolean {
  return target !== null && sideOf(roles[target]!) !== sideOf(roles[voter]!);
}

export function seatRewardComponents(
  role: Role,
  alive: boolean,
  winner: Winner | null,
  correctVotes: number,
  seerHits: number,
): SeatRewardComponents {
  return { teamWin: teamReward(role, winner), survived: alive ? 1 : 0, correctVotes, seerHits: role === 'seer' ? seerHits : 0 };
}
