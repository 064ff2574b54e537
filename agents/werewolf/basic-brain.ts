/**
 * `bot:basic`: believes consistent seer claims, tracks votes, and its werewolves coordinate.
 *  - Village: a seer claim is believed when it is the only claim that contradicts nothing the
 *    bot knows (its own role and checks, the night's victims — werewolves never kill their own);
 *    the believed seer's results say who is a werewolf and who is cleared. Votes are tracked:
 *    voting for a cleared player or the believed seer makes a voter suspect, as does talking
 *    nonsense (public-record.ts, incoherentSpeakers). It votes for a
 *    known werewolf, else for the day's most announced vote target when that is not cleared,
 *    else for its top suspect. The seer reveals once it found a werewolf, is contested, or from
 *    day 2; the doctor passes for a villager and protects the believed seer (else itself).
 *  - Werewolves: both compute the same target from the public record — a living seer claimant
 *    first, else whoever accused the pack most, else the lowest seat — and vote and speak for it;
 *    at night the second werewolf follows the first one's proposal.
 * @module
 */
import { speechOf, type Claim } from '../../envs/werewolf/index.js';
import {
  accusationScores,
  argmaxAll,
  contradictsWhatIKnow,
  incoherentSpeakers,
  knownWolves,
  living,
  nightVictims,
  roleClaims,
  seerClaims,
  speechesOf,
  voteIntents,
  tally,
} from './public-record.js';
import type { BotBrain, Turn } from './rule-bot.js';
import type { SeatView } from './seat-view.js';

export interface BasicBeliefs {
  /** The seer this bot believes (itself, for the seer). */
  seer: number | null;
  wolves: Set<number>;
  cleared: Set<number>;
  /** Higher is more suspect: accusations today and vote tracking. */
  suspicion: Map<number, number>;
}

export function basicBeliefs(view: SeatView): BasicBeliefs {
  const wolves = new Set<number>();
  const cleared = new Set<number>(nightVictims(view));
  let seer: number | null = null;
  if (view.role === 'werewolf') {
    for (const w of knownWolves(view)) wolves.add(w);
  } else if (view.role === 'seer') {
    seer = view.me;
    for (const c of view.checks) (c.werewolf ? wolves : cleared).add(c.target);
  } else {
    const consistent = [...seerClaims(view).values()].filter((c) => !contradictsWhatIKnow(view, c));
    if (consistent.length === 1) {
      const claim = consistent[0]!;
      seer = claim.seat;
      cleared.add(claim.seat);
      for (const [t, w] of claim.results) (w ? wolves : cleared).add(t);
    }
  }
  if (view.role !== 'werewolf') cleared.add(view.me);
  for (const w of wolves) cleared.delete(w);

  const suspicion = new Map<number, number>();
  const bump = (s: number, by: number) => suspicion.set(s, (suspicion.get(s) ?? 0) + by);
  for (const [t, score] of accusationScores(view, speechesOf(view, view.round))) bump(t, 0.5 * score);
  for (const s of incoherentSpeakers(view)) if (s !== view.me) bump(s, 1);
  for (const day of view.votes) {
    for (const [voter, target] of day.ballots) {
      if (target === null) continue;
      if (target === seer) bump(voter, 2);
      else if (cleared.has(target)) bump(voter, 1);
      else if (wolves.has(target)) bump(voter, -1);
    }
  }
  return { seer, wolves, cleared, suspicion };
}

/** The village side's vote: a known werewolf, else the day's announced target, else the top suspect. */
function villageVote(turn: Turn, b: BasicBeliefs, targets: readonly number[]): number | null {
  const v = turn.view;
  const wolf = targets.find((t) => b.wolves.has(t));
  if (wolf !== undefined) return wolf;
  const ok = (t: number) => targets.includes(t) && !b.cleared.has(t) && t !== b.seer;
  const intents = tally([...voteIntents(v, v.round).values()].filter((t): t is number => t !== null && ok(t)));
  const announced = argmaxAll(intents);
  if (announced.length === 1 && (intents.get(announced[0]!) ?? 0) >= 2) return announced[0]!;
  const pool = targets.filter(ok);
  const top = argmaxAll(b.suspicion, pool);
  if (top.length > 0 && (b.suspicion.get(top[0]!) ?? 0) > 0) return turn.rng.pick(top);
  return null;
}

/** The werewolves' shared target: both wolves compute the same seat from the same record. */
export function packTarget(view: SeatView): number | null {
  const pack = new Set(knownWolves(view));
  const others = living(view).filter((s) => !pack.has(s));
  if (others.length === 0) return null;
  const claimants = [...seerClaims(view).values()].filter((c) => others.includes(c.seat)).sort((a, b) => a.order - b.order);
  if (claimants.length > 0) return claimants[0]!.seat;
  const threat = new Map<number, number>();
  for (const sp of view.speeches) {
    if (!others.includes(sp.speaker)) continue;
    for (const c of sp.claims) {
      if ((c.type === 'accuse' || c.type === 'suspect' || (c.type === 'check' && c.werewolf)) && pack.has(c.target)) {
        threat.set(sp.speaker, (threat.get(sp.speaker) ?? 0) + 1);
      }
    }
  }
  const top = argmaxAll(threat, others);
  return top.length > 0 ? top[0]! : others[0]!;
}

function nightKill(turn: Turn, targets: readonly number[]): number {
  const v = turn.view;
  const proposal = v.proposals.find((p) => p.round === v.round && p.by !== 'me');
  if (proposal && targets.includes(proposal.target)) return proposal.target;
  const claims = roleClaims(v);
  const seer = [...seerClaims(v).values()].filter((c) => targets.includes(c.seat)).sort((a, b) => a.order - b.order)[0];
  if (seer) return seer.seat;
  const doctor = targets.find((t) => claims.get(t) === 'doctor');
  if (doctor !== undefined) return doctor;
  const target = packTarget(v);
  return target !== null && targets.includes(target) ? target : turn.rng.pick(targets);
}

export const basicBrain: BotBrain = {
  level: 'basic',
  night(turn, verb, targets) {
    const v = turn.view;
    if (verb === 'kill') return nightKill(turn, targets);
    const b = basicBeliefs(v);
    if (verb === 'check') {
      const unchecked = targets.filter((t) => !v.checks.some((c) => c.target === t));
      const pool = unchecked.length > 0 ? unchecked : targets;
      return turn.rng.pick(argmaxAll(new Map(pool.map((t) => [t, b.suspicion.get(t) ?? 0])), pool));
    }
    if (b.seer !== null && targets.includes(b.seer)) return b.seer;
    if (targets.includes(v.me)) return v.me;
    return turn.rng.pick(targets);
  },
  speak(turn) {
    const v = turn.view;
    const claims: Claim[] = [];
    if (v.role === 'werewolf') {
      const target = packTarget(v);
      claims.push({ type: 'role', role: 'villager' });
      if (target !== null) claims.push({ type: 'suspect', target }, { type: 'vote', target });
      return speechOf(claims);
    }
    const b = basicBeliefs(v);
    const contested = [...seerClaims(v).keys()].some((s) => s !== v.me);
    const wolfAlive = [...b.wolves].find((w) => v.alive[w]);
    if (v.role === 'seer' && (b.wolves.size > 0 || contested || v.round >= 2)) {
      claims.push({ type: 'role', role: 'seer' }, ...v.checks.map((c): Claim => ({ type: 'check', target: c.target, werewolf: c.werewolf })));
    } else {
      claims.push({ type: 'role', role: 'villager' });
      if (b.seer !== null && b.seer !== v.me && v.alive[b.seer]) claims.push({ type: 'trust', target: b.seer });
    }
    if (wolfAlive !== undefined) {
      claims.push({ type: 'accuse', target: wolfAlive }, { type: 'vote', target: wolfAlive });
    } else {
      const pool = living(v).filter((s) => s !== v.me && !b.cleared.has(s) && s !== b.seer);
      const top = argmaxAll(b.suspicion, pool);
      if (top.length > 0 && (b.suspicion.get(top[0]!) ?? 0) > 0) claims.push({ type: 'suspect', target: top[0]! });
    }
    return speechOf(claims);
  },
  bid(turn) {
    const v = turn.view;
    const last = v.speeches[v.speeches.length - 1];
    if (last?.round === v.round && last.claims.some((c) => 'target' in c && c.target === v.me)) return 3;
    return v.role === 'seer' && v.checks.some((c) => c.werewolf && v.alive[c.target]) ? 2 : 1;
  },
  vote(turn, targets) {
    const v = turn.view;
    if (v.role === 'werewolf') {
      const target = packTarget(v);
      return target !== null && targets.includes(target) ? target : turn.rng.pick(targets.filter((t) => t !== v.teammate));
    }
    return villageVote(turn, basicBeliefs(v), targets);
  },
};
