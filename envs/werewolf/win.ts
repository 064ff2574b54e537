/**
 * Win conditions (pure): the village wins when no werewolf is alive; the werewolves win when the
 * living werewolves are at least as many as the other living players. Checked after each night
 * and each vote. (The round cap, which ends a game as a draw, is the game machine's.)
 * @module
 */
import type { Role, Side } from './roles.js';

export interface WinCheck {
  winner: Side;
  reason: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function checkWinner(roles: readonly Role[], alive: readonly boolean[]): WinCheck | null {
  let wolves = 0;
  let others = 0;
  roles.forEach((role, seat) => {
    if (!alive[seat]) return;
    if (role === 'werewolf') wolves++;
    else others++;
  });
  if (wolves === 0) return { winner: 'village', reason: 'both werewolves are out' };
  if (wolves >= others) {
    const pack = wolves === 1 ? '1 werewolf' : `${wolves} werewolves`;
    return { winner: 'wolves', reason: `${pack} and ${plural(others, 'other player')} alive` };
  }
  return null;
}
