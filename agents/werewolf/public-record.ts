/**
 * Facts the bots draw from a seat's view: who is alive, who claimed to be the seer and with what
 * results, who accused whom, who said they would vote for whom, and how people voted.
 * @module
 */
import type { SeatView, Speech } from './seat-view.js';

export function living(view: SeatView): number[] {
  return view.alive.flatMap((a, s) => (a ? [s] : []));
}

export function othersAlive(view: SeatView): number[] {
  return living(view).filter((s) => s !== view.me);
}

/** The seats the viewer knows to be werewolves (itself and its teammate, for a werewolf). */
export function knownWolves(view: SeatView): number[] {
  if (view.role !== 'werewolf') return view.checks.filter((c) => c.werewolf).map((c) => c.target);
  return view.teammate === null ? [view.me] : [view.me, view.teammate];
}

/** Players killed at night: the werewolves never kill a werewolf, so none of them is one. */
export function nightVictims(view: SeatView): number[] {
  return [...view.nightKills.values()].filter((k): k is number => k !== null);
}

export interface SeerClaim {
  seat: number;
  /** The round of the first claim. */
  round: number;
  /** Turn index (over all speeches) of the first claim: who claimed first. */
  order: number;
  /** The latest result claimed per target. */
  results: Map<number, boolean>;
  /**
   * The claim contradicts itself: the claimant also claimed another role, reported a check on
   * itself, changed a result, or reported more checks than nights had passed.
   */
  selfContradictory: boolean;
}

/** Players who claimed to be the seer (by "I am the seer" or by reporting a check). */
export function seerClaims(view: SeatView): Map<number, SeerClaim> {
  const out = new Map<number, SeerClaim>();
  const otherRole = new Set<number>();
  view.speeches.forEach((sp, order) => {
    for (const c of sp.claims) {
      if (c.type === 'role' && c.role !== 'seer') otherRole.add(sp.speaker);
      if (!(c.type === 'check' || (c.type === 'role' && c.role === 'seer'))) continue;
      let claim = out.get(sp.speaker);
      if (!claim) {
        claim = { seat: sp.speaker, round: sp.round, order, results: new Map(), selfContradictory: false };
        out.set(sp.speaker, claim);
      }
      if (c.type === 'check') {
        const before = claim.results.get(c.target);
        if ((before !== undefined && before !== c.werewolf) || c.target === sp.speaker) claim.selfContradictory = true;
        claim.results.set(c.target, c.werewolf);
        if (claim.results.size > sp.round) claim.selfContradictory = true;
      }
    }
  });
  for (const claim of out.values()) if (otherRole.has(claim.seat)) claim.selfContradictory = true;
  return out;
}

/**
 * Players who talk nonsense — and so say nothing about anything: who called themselves a
 * werewolf, claimed two different roles, accused or voted for themselves, accused, cleared or
 * announced a vote for a player already out, or in one speech both cleared (or trusted) a player
 * and accused or announced a vote for them. Random players do this all the time.
 */
export function incoherentSpeakers(view: SeatView): Set<number> {
  const out = new Set<number>();
  const roleOf = new Map<number, string>();
  const deadBy = new Map<number, number>();
  for (const d of view.deaths) deadBy.set(d.seat, d.cause === 'killed' ? d.round : d.round + 1);
  const outAt = (seat: number, round: number) => (deadBy.get(seat) ?? Infinity) <= round;
  for (const sp of view.speeches) {
    const s = sp.speaker;
    const cleared = new Set<number>();
    const against = new Set<number>();
    for (const c of sp.claims) {
      if (c.type === 'role') {
        if (c.role === 'werewolf' || (roleOf.has(s) && roleOf.get(s) !== c.role)) out.add(s);
        roleOf.set(s, c.role);
      }
      if (c.type === 'check' && c.target === s) out.add(s);
      if ((c.type === 'accuse' || c.type === 'suspect' || c.type === 'vote') && c.target === s) out.add(s);
      if ((c.type === 'accuse' || c.type === 'clear' || c.type === 'vote' || c.type === 'suspect' || c.type === 'trust') && c.target !== null && outAt(c.target, sp.round)) out.add(s);
      if (c.type === 'clear' || c.type === 'trust' || (c.type === 'check' && !c.werewolf)) cleared.add(c.target);
      if ((c.type === 'accuse' || c.type === 'vote' || c.type === 'suspect' || (c.type === 'check' && c.werewolf)) && c.target !== null) against.add(c.target);
    }
    for (const t of cleared) if (against.has(t)) out.add(s);
  }
  return out;
}

/** Players who claimed another role than seer (the latest role claim per speaker). */
export function roleClaims(view: SeatView): Map<number, string> {
  const out = new Map<number, string>();
  for (const sp of view.speeches) for (const c of sp.claims) if (c.type === 'role') out.set(sp.speaker, c.role);
  return out;
}

export function speechesOf(view: SeatView, round: number): Speech[] {
  return view.speeches.filter((s) => s.round === round);
}

/**
 * How strongly each living player stands accused, over `speeches`: +1 per distinct speaker who
 * called them a werewolf (an accusation or a check result), +0.5 per suspicion, −1 per clearing.
 */
export function accusationScores(view: SeatView, speeches: readonly Speech[] = view.speeches): Map<number, number> {
  const seen = new Set<string>();
  const score = new Map<number, number>();
  const add = (speaker: number, target: number, kind: string, w: number) => {
    if (!view.alive[target] || speaker === target) return;
    const key = `${speaker}:${target}:${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    score.set(target, (score.get(target) ?? 0) + w);
  };
  for (const sp of speeches) {
    for (const c of sp.claims) {
      if (c.type === 'accuse' || (c.type === 'check' && c.werewolf)) add(sp.speaker, c.target, 'wolf', 1);
      else if (c.type === 'suspect') add(sp.speaker, c.target, 'suspect', 0.5);
      else if (c.type === 'clear' || (c.type === 'check' && !c.werewolf)) add(sp.speaker, c.target, 'clear', -1);
    }
  }
  return score;
}

/** Each speaker's latest stated vote intention in `round` (null: "I will vote none"). */
export function voteIntents(view: SeatView, round: number): Map<number, number | null> {
  const out = new Map<number, number | null>();
  for (const sp of view.speeches) {
    if (sp.round !== round) continue;
    for (const c of sp.claims) if (c.type === 'vote') out.set(sp.speaker, c.target);
  }
  return out;
}

/** Counts of values, for picking the most named target. */
export function tally<T>(values: Iterable<T>): Map<T, number> {
  const out = new Map<T, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

/** The keys with the highest score (all of them when tied), in ascending key order. */
export function argmaxAll(scores: ReadonlyMap<number, number>, among?: readonly number[]): number[] {
  let best = -Infinity;
  let top: number[] = [];
  for (const [k, v] of scores) {
    if (among && !among.includes(k)) continue;
    if (v > best) {
      best = v;
      top = [k];
    } else if (v === best) top.push(k);
  }
  return top.sort((a, b) => a - b);
}

/** Whether a seer claim is false for sure: it contradicts itself, or what the viewer knows. */
export function contradictsWhatIKnow(view: SeatView, claim: SeerClaim, incoherent: ReadonlySet<number> = incoherentSpeakers(view)): boolean {
  if (claim.selfContradictory || incoherent.has(claim.seat)) return true;
  if (view.role === 'seer' && claim.seat !== view.me) return true;
  const victims = new Set(nightVictims(view));
  const wolves = new Set(view.role === 'werewolf' ? knownWolves(view) : []);
  for (const [target, werewolf] of claim.results) {
    if (werewolf && victims.has(target)) return true;
    if (target === view.me && view.role !== null && werewolf !== (view.role === 'werewolf')) return true;
    if (view.role === 'werewolf' && werewolf !== wolves.has(target)) return true;
    if (view.role === 'seer') {
      const mine = view.checks.find((c) => c.target === target);
      if (mine && mine.werewolf !== werewolf) return true;
    }
  }
  return false;
}
