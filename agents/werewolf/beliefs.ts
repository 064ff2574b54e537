/**
 * A belief over roles from one seat's view, by enumerating the possible deals (pure).
 *
 * There are only 420 deals of 2 werewolves, a seer, a doctor and 3 villagers to 7 seats. The
 * seat's own knowledge rules most of them out (its role; a werewolf's teammate; the seer's
 * checks; night victims are never werewolves; a doctor whose protected player was the one
 * attacked — nobody died — knows that player is no werewolf). Each remaining deal is weighted by
 * how likely the public record is under it, with a simple model of play:
 *  - a seer claim: the real seer claims truthfully (a false result costs ×0.02); a werewolf
 *    fakes a claim now and then (×0.15) and rarely names its own teammate as a werewolf (×0.1);
 *    a villager or the doctor hardly ever claims to be the seer (×0.02);
 *  - an accusation or suspicion of a werewolf by its teammate is rare (×0.2); of a villager-side
 *    player, likelier from a werewolf (×1.3);
 *  - a later seer claim naming an earlier claimant a werewolf is a werewolf's counter-claim (×2);
 *  - votes: a werewolf rarely votes for its teammate (×0.1); a villager-side vote for a werewolf
 *    is a little more likely than for a villager (×1.5), as is a werewolf's vote for a villager
 *    (×1.3); both werewolves voting for the same player is likelier (×1.5).
 * Some players play at random, so the accusation and vote factors are softened towards 1
 * (ε = 0.25), and everything said or voted by a player who talks nonsense (incoherentSpeakers)
 * weighs nothing, as do seer claims that contradict themselves; the nonsense itself counts
 * against the talker (×0.5 for a villager-side role: the village is assumed to talk sense). P(role of seat) is
 * the weighted share of the deals that give the seat that role.
 * @module
 */
import { PLAYER_COUNT, ROLE_DECK, type Role } from '../../envs/werewolf/index.js';
import { incoherentSpeakers, nightVictims, seerClaims } from './public-record.js';
import type { SeatView } from './seat-view.js';

/** Every distinct deal of the deck to the seats (420). */
export const ALL_DEALS: readonly (readonly Role[])[] = (() => {
  const out: Role[][] = [];
  const seen = new Set<string>();
  const permute = (rest: Role[], prefix: Role[]) => {
    if (rest.length === 0) {
      const key = prefix.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        out.push(prefix);
      }
      return;
    }
    const tried = new Set<Role>();
    rest.forEach((role, i) => {
      if (tried.has(role)) return;
      tried.add(role);
      permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...prefix, role]);
    });
  };
  permute([...ROLE_DECK], []);
  return out;
})();

export const BELIEF_WEIGHTS = {
  seerClaim: { seer: 1, werewolf: 0.15, other: 0.02 },
  falseResultBySeer: 0.02,
  /** A later seer claim that names an earlier claimant a werewolf: the counter-claimer is a werewolf. */
  counterClaimByWolf: 2,
  wolfNamesTeammate: 0.1,
  wolfAccusesTeammate: 0.2,
  /** A werewolf accusing a villager-side player is likelier than a villager doing so. */
  wolfAccusesVillage: 1.3,
  wolfVotesTeammate: 0.1,
  villageVotesWolf: 1.5,
  wolfVotesVillage: 1.3,
  packVotesTogether: 1.5,
  /**
   * Someone who talks nonsense (incoherentSpeakers): the village is assumed to play as this seat
   * does — coherently — so nonsense points to the other side.
   */
  villageTalksNonsense: 0.5,
  /**
   * Players are not all as the model says (some play at random): every soft factor f of
   * accusations and votes is used as ε + (1 − ε)·f.
   */
  noise: 0.25,
} as const;

export interface RoleBeliefs {
  /** P(seat is a werewolf), by seat. */
  wolf: number[];
  seer: number[];
  doctor: number[];
  /** Deals consistent with what the seat knows for sure. */
  worlds: number;
}

type Evidence = (deal: readonly Role[]) => number;

/** The deals the seat's sure knowledge allows. */
export function possibleDeals(view: SeatView): (readonly Role[])[] {
  const notWolf = new Set(nightVictims(view));
  if (view.role === 'doctor') {
    for (const p of view.protections) if (view.nightKills.get(p.round) === null) notWolf.add(p.target);
  }
  return ALL_DEALS.filter((deal) => {
    if (view.role !== null && view.me >= 0 && deal[view.me] !== view.role) return false;
    if (view.teammate !== null && deal[view.teammate] !== 'werewolf') return false;
    for (const c of view.checks) if ((deal[c.target] === 'werewolf') !== c.werewolf) return false;
    for (const s of notWolf) if (deal[s] === 'werewolf') return false;
    return true;
  });
}

/** Log-likelihood terms of the public record. */
function evidenceOf(view: SeatView): Evidence[] {
  const out: Evidence[] = [];
  const w = BELIEF_WEIGHTS;
  const ln = Math.log;
  const soft = (f: number) => Math.log(w.noise + (1 - w.noise) * f);
  const noise = incoherentSpeakers(view);
  for (const p of noise) out.push((deal) => (deal[p] === 'werewolf' ? 0 : ln(w.villageTalksNonsense)));
  const claims = [...seerClaims(view).values()].filter((c) => !c.selfContradictory && c.seat !== view.me && !noise.has(c.seat));
  for (const later of claims) {
    for (const earlier of claims) {
      if (earlier.order < later.order && later.results.get(earlier.seat) === true) {
        const c = later.seat;
        out.push((deal) => (deal[c] === 'werewolf' ? ln(w.counterClaimByWolf) : 0));
      }
    }
  }
  for (const claim of claims) {
    const c = claim.seat;
    const results = [...claim.results];
    out.push((deal) => {
      const role = deal[c];
      if (role === 'seer') {
        let l = ln(w.seerClaim.seer);
        for (const [t, wolf] of results) if ((deal[t] === 'werewolf') !== wolf) l += ln(w.falseResultBySeer);
        return l;
      }
      if (role === 'werewolf') {
        let l = ln(w.seerClaim.werewolf);
        for (const [t, wolf] of results) if (wolf && deal[t] === 'werewolf') l += ln(w.wolfNamesTeammate);
        return l;
      }
      return ln(w.seerClaim.other);
    });
  }
  const accusations = new Set<string>();
  for (const sp of view.speeches) {
    if (noise.has(sp.speaker)) continue;
    for (const c of sp.claims) {
      if (!(c.type === 'accuse' || c.type === 'suspect')) continue;
      const key = `${sp.speaker}>${c.target}`;
      if (accusations.has(key) || c.target === sp.speaker) continue;
      accusations.add(key);
      const s = sp.speaker;
      const t = c.target;
      out.push((deal) => (deal[s] !== 'werewolf' ? 0 : deal[t] === 'werewolf' ? soft(w.wolfAccusesTeammate) : soft(w.wolfAccusesVillage)));
    }
  }
  for (const day of view.votes) {
    const ballots = day.ballots.filter(([v, t]) => t !== null && v !== t && !noise.has(v)) as [number, number][];
    for (const [v, t] of ballots) {
      out.push((deal) => {
        const vw = deal[v] === 'werewolf';
        const tw = deal[t] === 'werewolf';
        if (vw && tw) return soft(w.wolfVotesTeammate);
        if (!vw && tw) return soft(w.villageVotesWolf);
        if (vw && !tw) return soft(w.wolfVotesVillage);
        return 0;
      });
    }
    const byVoter = new Map(ballots);
    out.push((deal) => {
      let a = -1;
      let b = -1;
      for (let s = 0; s < PLAYER_COUNT; s++) if (deal[s] === 'werewolf') a < 0 ? (a = s) : (b = s);
      const ta = byVoter.get(a);
      return ta !== undefined && ta === byVoter.get(b) ? soft(w.packVotesTogether) : 0;
    });
  }
  return out;
}

export function roleBeliefs(view: SeatView): RoleBeliefs {
  const deals = possibleDeals(view);
  const evidence = evidenceOf(view);
  const wolf = new Array<number>(PLAYER_COUNT).fill(0);
  const seer = new Array<number>(PLAYER_COUNT).fill(0);
  const doctor = new Array<number>(PLAYER_COUNT).fill(0);
  if (deals.length === 0) return { wolf, seer, doctor, worlds: 0 };
  const logs = deals.map((deal) => evidence.reduce((sum, e) => sum + e(deal), 0));
  const top = Math.max(...logs);
  let total = 0;
  deals.forEach((deal, i) => {
    const p = Math.exp(logs[i]! - top);
    total += p;
    for (let s = 0; s < PLAYER_COUNT; s++) {
      if (deal[s] === 'werewolf') wolf[s]! += p;
      else if (deal[s] === 'seer') seer[s]! += p;
      else if (deal[s] === 'doctor') doctor[s]! += p;
    }
  });
  const norm = (xs: number[]) => xs.map((x) => x / total);
  return { wolf: norm(wolf), seer: norm(seer), doctor: norm(doctor), worlds: deals.length };
}
