/**
 * `bot:strong`: a belief over roles updated from the public record (beliefs.ts) drives every
 * village choice, and its werewolves bluff.
 *  - Village: votes for the likeliest werewolf (joining the day's most announced target when it
 *    is nearly as likely; abstaining while nobody looks likelier than 0.45), and says whom it
 *    trusts and whom it will vote for. The seer checks the likeliest unchecked werewolf and
 *    reveals from day 1 — the checks are worth more to the village than the seer's cover, since
 *    its doctor protects claimed seers; the doctor protects the likeliest real seer among those
 *    who claimed it, else itself, and passes for a villager.
 *  - Werewolves fake the seer, and counter a real one: the lower-seated werewolf claims the seer
 *    when it first speaks; should a real seer claim first, whichever werewolf speaks next counters.
 *    The fake adds one invented check a day that never contradicts the record — clearing its
 *    teammate, then the likeliest doctor — and calls the rival a werewolf.
 *    Both then vote for the fake seer's accusation, else for the rival seer, else for the day's
 *    most announced village target, else for basic's target. At night they go for a living seer
 *    claimant — but not on the night after its claim, when a doctor will guard it: that night they
 *    kill the likeliest doctor instead, and the claimant the night after, when the doctor may not
 *    protect it again (likewise again after an attack on it was saved); with nobody claiming, the
 *    likeliest seer or doctor.
 * @module
 */
import { speechOf, type Claim } from '../../envs/werewolf/index.js';
import { packTarget } from './basic-brain.js';
import { roleBeliefs, type RoleBeliefs } from './beliefs.js';
import { argmaxAll, knownWolves, living, nightVictims, seerClaims, tally, voteIntents, type SeerClaim } from './public-record.js';
import type { BotBrain, Turn } from './rule-bot.js';
import type { SeatView } from './seat-view.js';

interface FakeCheck {
  round: number;
  target: number;
  werewolf: boolean;
}

function scoresOf(values: readonly number[], among: readonly number[]): Map<number, number> {
  return new Map(among.map((s) => [s, values[s]!]));
}

/** Living seer claimants outside the pack, first claim first. */
function rivalSeers(view: SeatView): SeerClaim[] {
  const pack = new Set(knownWolves(view));
  return [...seerClaims(view).values()].filter((c) => !pack.has(c.seat) && view.alive[c.seat]).sort((a, b) => a.order - b.order);
}

/** The pack's fake seer, when one of them has claimed. */
function packFake(view: SeatView): SeerClaim | undefined {
  const claims = seerClaims(view);
  return knownWolves(view)
    .map((s) => claims.get(s))
    .find((c): c is SeerClaim => c !== undefined && view.alive[c.seat]);
}

/**
 * The pack's shared target — both werewolves compute it from the same record: the fake seer's
 * latest living accusation, else a rival seer, else the village's most announced target today,
 * else basic's target.
 */
function packAccusation(view: SeatView): number | null {
  const pack = new Set(knownWolves(view));
  const fake = packFake(view);
  if (fake) {
    const accused = [...fake.results].filter(([t, wolf]) => wolf && view.alive[t] && !pack.has(t)).map(([t]) => t);
    if (accused.length > 0) return accused[accused.length - 1]!;
  }
  const rivals = rivalSeers(view);
  if (rivals.length > 0) return rivals[0]!.seat;
  const intents = tally(
    [...voteIntents(view, view.round)].filter(([speaker, t]) => !pack.has(speaker) && t !== null && !pack.has(t) && view.alive[t]).map(([, t]) => t as number),
  );
  const crowd = argmaxAll(intents);
  return crowd.length > 0 ? crowd[0]! : packTarget(view);
}

/**
 * Today's invented check. It never names the rival seer (a counter-claim that names the first
 * claimant gives itself away) nor the pack as werewolves: it clears the teammate first, then
 * clears the likeliest doctor — a "not a werewolf" result costs the bluff nothing.
 */
function nextFakeCheck(view: SeatView, fake: readonly FakeCheck[], beliefs: RoleBeliefs): FakeCheck | null {
  const pack = new Set(knownWolves(view));
  const checked = new Set(fake.map((c) => c.target));
  const mate = view.teammate;
  if (mate !== null && view.alive[mate] && !checked.has(mate)) return { round: view.round, target: mate, werewolf: false };
  const rivals = new Set(rivalSeers(view).map((r) => r.seat));
  const victims = new Set(nightVictims(view));
  const pool = living(view).filter((s) => !pack.has(s) && !checked.has(s) && !victims.has(s) && !rivals.has(s));
  const target = argmaxAll(scoresOf(beliefs.doctor, pool), pool)[0];
  return target === undefined ? null : { round: view.round, target, werewolf: false };
}

function wolfSpeech(turn: Turn): string {
  const v = turn.view;
  const fake = (turn.notes.fakeChecks ??= []) as FakeCheck[];
  const claimed = fake.length > 0;
  const partnerClaimed = v.teammate !== null && seerClaims(v).has(v.teammate);
  const designated = !partnerClaimed && v.me === Math.min(...knownWolves(v));
  if (claimed || designated || (rivalSeers(v).length > 0 && !partnerClaimed)) {
    if (!fake.some((c) => c.round === v.round)) {
      const next = nextFakeCheck(v, fake, roleBeliefs(v));
      if (next) fake.push(next);
    }
    const claims: Claim[] = [{ type: 'role', role: 'seer' }, ...fake.map((c): Claim => ({ type: 'check', target: c.target, werewolf: c.werewolf }))];
    const accused = [...fake].reverse().find((c) => c.werewolf && v.alive[c.target])?.target ?? rivalSeers(v)[0]?.seat;
    if (accused !== undefined) claims.push({ type: 'accuse', target: accused }, { type: 'vote', target: accused });
    return speechOf(claims);
  }
  const claims: Claim[] = [{ type: 'role', role: 'villager' }];
  const target = packAccusation(v);
  if (target !== null) claims.push({ type: 'suspect', target }, { type: 'vote', target });
  return speechOf(claims);
}

const SURE_ENOUGH = 0.45;

/** The village's vote target: the likeliest werewolf, or the announced one when nearly as likely. */
function villageTarget(turn: Turn, beliefs: RoleBeliefs, targets: readonly number[]): number | null {
  const v = turn.view;
  if (targets.length === 0) return null;
  const top = argmaxAll(scoresOf(beliefs.wolf, targets), targets);
  const best = beliefs.wolf[top[0]!]!;
  const intents = tally([...voteIntents(v, v.round).values()].filter((t): t is number => t !== null && targets.includes(t)));
  const announced = argmaxAll(intents);
  if (announced.length === 1 && (intents.get(announced[0]!) ?? 0) >= 2 && beliefs.wolf[announced[0]!]! >= Math.max(0.75 * best, SURE_ENOUGH)) return announced[0]!;
  if (best < SURE_ENOUGH) return null;
  return turn.rng.pick(top);
}

function villageSpeech(turn: Turn): string {
  const v = turn.view;
  const beliefs = roleBeliefs(v);
  const claims: Claim[] = [];
  if (v.role === 'seer') {
    claims.push({ type: 'role', role: 'seer' }, ...v.checks.map((c): Claim => ({ type: 'check', target: c.target, werewolf: c.werewolf })));
    const wolf = v.checks.find((c) => c.werewolf && v.alive[c.target]);
    if (wolf) claims.push({ type: 'accuse', target: wolf.target }, { type: 'vote', target: wolf.target });
    return speechOf(claims);
  } else {
    claims.push({ type: 'role', role: 'villager' });
    const claimants = [...seerClaims(v).keys()].filter((s) => v.alive[s] && s !== v.me);
    const seer = argmaxAll(scoresOf(beliefs.seer, claimants), claimants)[0];
    if (seer !== undefined && beliefs.seer[seer]! >= 0.6) claims.push({ type: 'trust', target: seer });
  }
  const target = villageTarget(turn, beliefs, living(v).filter((s) => s !== v.me));
  if (target !== null) {
    claims.push(beliefs.wolf[target]! >= 0.6 ? { type: 'accuse', target } : { type: 'suspect', target });
    claims.push({ type: 'vote', target });
  }
  return speechOf(claims);
}

function nightKill(turn: Turn, targets: readonly number[]): number {
  const v = turn.view;
  const proposal = v.proposals.find((p) => p.round === v.round && p.by !== 'me');
  if (proposal && targets.includes(proposal.target)) return proposal.target;
  const lastChoice = v.wolfChoices.find((c) => c.round === v.round - 1);
  const saved = lastChoice !== undefined && v.nightKills.get(v.round - 1) === null;
  const claimants = rivalSeers(v).filter((c) => targets.includes(c.seat));
  if (saved && claimants.some((c) => c.seat === lastChoice.target)) return lastChoice.target;
  if (claimants.length > 0) {
    const seer = claimants[0]!;
    const fresh = seer.round === v.round - 1;
    const others = targets.filter((t) => t !== seer.seat);
    if (fresh && others.length > 0) {
      const b = roleBeliefs(v);
      return turn.rng.pick(argmaxAll(new Map(others.map((t) => [t, b.doctor[t]!])), others));
    }
    return seer.seat;
  }
  const beliefs = roleBeliefs(v);
  return turn.rng.pick(argmaxAll(new Map(targets.map((t) => [t, beliefs.seer[t]! + 0.5 * beliefs.doctor[t]!])), targets));
}

export const strongBrain: BotBrain = {
  level: 'strong',
  night(turn, verb, targets) {
    const v = turn.view;
    if (verb === 'kill') return nightKill(turn, targets);
    const beliefs = roleBeliefs(v);
    if (verb === 'check') {
      const unchecked = targets.filter((t) => !v.checks.some((c) => c.target === t));
      const pool = unchecked.length > 0 ? unchecked : targets;
      return turn.rng.pick(argmaxAll(scoresOf(beliefs.wolf, pool), pool));
    }
    const claimants = [...seerClaims(v).keys()].filter((s) => targets.includes(s) && s !== v.me);
    const seer = argmaxAll(scoresOf(beliefs.seer, claimants), claimants)[0];
    if (seer !== undefined && beliefs.seer[seer]! >= 0.35) return seer;
    if (targets.includes(v.me)) return v.me;
    return turn.rng.pick(argmaxAll(new Map(targets.map((t) => [t, 1 - beliefs.wolf[t]!])), targets));
  },
  speak: (turn) => (turn.view.role === 'werewolf' ? wolfSpeech(turn) : villageSpeech(turn)),
  bid(turn) {
    const v = turn.view;
    const last = v.speeches[v.speeches.length - 1];
    if (last?.round === v.round && last.claims.some((c) => 'target' in c && c.target === v.me)) return 4;
    if (v.role === 'seer' && !v.speeches.some((s) => s.speaker === v.me && s.round === v.round)) return 3;
    if (v.role === 'werewolf' && rivalSeers(v).length > 0 && !v.speeches.some((s) => s.speaker === v.me && s.round === v.round)) return 3;
    return 1;
  },
  vote(turn, targets) {
    const v = turn.view;
    if (v.role === 'werewolf') {
      const target = packAccusation(v);
      return target !== null && targets.includes(target) ? target : null;
    }
    return villageTarget(turn, roleBeliefs(v), targets);
  },
};
