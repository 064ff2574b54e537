/**
 * Night rules (pure): who acts, whom they may target, and what the night comes to.
 *  - The werewolves choose a victim: the first living werewolf (lowest seat) proposes, the second
 *    sees the proposal and decides; a lone werewolf decides alone. Werewolves cannot target a
 *    werewolf, a dead player, or nobody.
 *  - The seer checks one living player other than itself and learns werewolf / not werewolf.
 *  - The doctor protects one living player: itself only when `doctorSelfSave`, and the player it
 *    protected last night only when `doctorRepeatSave`.
 *  - A protected victim survives; otherwise the victim dies.
 * @module
 */
import type { Role } from './roles.js';

/** The seats that act at night (null where the role is dead). */
export interface NightCast {
  /** The first living werewolf: proposes (or decides, when alone). */
  proposer: number | null;
  /** The second living werewolf: sees the proposal and decides. */
  decider: number | null;
  seer: number | null;
  doctor: number | null;
}

export function nightCast(roles: readonly Role[], alive: readonly boolean[]): NightCast {
  const wolves: number[] = [];
  let seer: number | null = null;
  let doctor: number | null = null;
  roles.forEach((role, seat) => {
    if (!alive[seat]) return;
    if (role === 'werewolf') wolves.push(seat);
    else if (role === 'seer') seer = seat;
    else if (role === 'doctor') doctor = seat;
  });
  return { proposer: wolves[0] ?? null, decider: wolves[1] ?? null, seer, doctor };
}

export interface NightRules {
  doctorSelfSave: boolean;
  doctorRepeatSave: boolean;
}

/** Why a target is refused, or null when it is allowed. */
export type TargetCheck = string | null;

function deadOrUnknown(alive: readonly boolean[], target: number): TargetCheck {
  if (!(target >= 0 && target < alive.length)) return `There is no player ${target}.`;
  return alive[target] ? null : `Player ${target} is out of the game: choose a living player.`;
}

export function checkKillTarget(roles: readonly Role[], alive: readonly boolean[], target: number): TargetCheck {
  const dead = deadOrUnknown(alive, target);
  if (dead) return dead;
  return roles[target] === 'werewolf' ? `Player ${target} is a werewolf like you: the werewolves choose a victim among the other players.` : null;
}

export function checkCheckTarget(alive: readonly boolean[], seer: number, target: number): TargetCheck {
  const dead = deadOrUnknown(alive, target);
  if (dead) return dead;
  return target === seer ? 'You know your own role: check another living player.' : null;
}

export function checkProtectTarget(alive: readonly boolean[], doctor: number, target: number, lastProtected: number | null, rules: NightRules): TargetCheck {
  const dead = deadOrUnknown(alive, target);
  if (dead) return dead;
  if (target === doctor && !rules.doctorSelfSave) return 'In this game the doctor cannot protect itself: protect another living player.';
  if (target === lastProtected && !rules.doctorRepeatSave) return `You protected player ${target} last night, and nobody may be protected two nights running: choose someone else.`;
  return null;
}

function targets(alive: readonly boolean[], ok: (t: number) => boolean): number[] {
  const out: number[] = [];
  for (let t = 0; t < alive.length; t++) if (alive[t] && ok(t)) out.push(t);
  return out;
}

export function killTargets(roles: readonly Role[], alive: readonly boolean[]): number[] {
  return targets(alive, (t) => checkKillTarget(roles, alive, t) === null);
}

export function checkTargets(alive: readonly boolean[], seer: number): number[] {
  return targets(alive, (t) => checkCheckTarget(alive, seer, t) === null);
}

export function protectTargets(alive: readonly boolean[], doctor: number, lastProtected: number | null, rules: NightRules): number[] {
  return targets(alive, (t) => checkProtectTarget(alive, doctor, t, lastProtected, rules) === null);
}

/** The night's outcome: the victim dies unless the doctor protected them. */
export function resolveNight(victim: number | null, protect: number | null): { killed: number | null; saved: boolean } {
  if (victim === null) return { killed: null, saved: false };
  return victim === protect ? { killed: null, saved: true } : { killed: victim, saved: false };
}
