/**
 * How LSPO reads a werewolf-v1 speech turn (pure): the speaker's information set in the abstracted
 * game, and the text a speech is embedded by.
 *
 * Embedding text. A speech is read with the claim grammar (envs/werewolf/claims.ts) and rewritten
 * with every player named by what the speaker knows of them — `myself`, `partner` (a werewolf's
 * teammate), `foundwolf` / `foundgood` (a seer's own results), `seerclaimant` (who claimed the
 * seer), `accuser` (who accused the speaker today), `someone` — so "I checked player 5: a werewolf"
 * said by a werewolf about a villager and by the seer about a werewolf it found land in different
 * places, while the same move against player 2 or player 5 lands in the same one. A speech with
 * no claim is embedded as it is ("I have nothing to add yet.").
 *
 * Information set: the role, the day (1, 2, 3+), and three facts — whether someone else claims to
 * be the seer, whether the speaker was accused today before its turn, and (for the seer) whether
 * it has found a living werewolf. These stand in for "the latent discussion actions of the other
 * players": the clusters are per role, and a listener does not know the speaker's role, so the
 * public part of the information set is read from the claims instead.
 * @module
 */
import { parseClaims, type Claim } from '../../../envs/werewolf/index.js';
import { seerClaims, speechesOf } from '../../../agents/werewolf/public-record.js';
import type { SeatView } from '../../../agents/werewolf/seat-view.js';

export type Relation = 'myself' | 'partner' | 'foundwolf' | 'foundgood' | 'seerclaimant' | 'accuser' | 'someone';

/** Seats that accused the speaker today (an accusation, a werewolf check result, a suspicion). */
export function accusersToday(view: SeatView): Set<number> {
  const out = new Set<number>();
  for (const sp of speechesOf(view, view.round)) {
    for (const c of sp.claims) {
      if ((c.type === 'accuse' || c.type === 'suspect' || (c.type === 'check' && c.werewolf)) && c.target === view.me) out.add(sp.speaker);
    }
  }
  return out;
}

/** What the speaker knows of `seat`, most specific first. */
export function relationOf(view: SeatView, seat: number, claimants: ReadonlySet<number>, accusers: ReadonlySet<number>): Relation {
  if (seat === view.me) return 'myself';
  if (view.role === 'werewolf' && seat === view.teammate) return 'partner';
  const check = view.checks.find((c) => c.target === seat);
  if (check !== undefined) return check.werewolf ? 'foundwolf' : 'foundgood';
  if (claimants.has(seat)) return 'seerclaimant';
  if (accusers.has(seat)) return 'accuser';
  return 'someone';
}

function claimWords(c: Claim, rel: (seat: number) => Relation): string {
  switch (c.type) {
    case 'role':
      return `i am the ${c.role}`;
    case 'accuse':
      return `${rel(c.target)} is a werewolf`;
    case 'clear':
      return `${rel(c.target)} is not a werewolf`;
    case 'role-of':
      return `${rel(c.target)} is the ${c.role}`;
    case 'check':
      return `i checked ${rel(c.target)} ${c.werewolf ? 'a werewolf' : 'not a werewolf'}`;
    case 'vote':
      return `i will vote ${c.target === null ? 'none' : rel(c.target)}`;
    case 'protect':
      return `i protected ${rel(c.target)}`;
    case 'suspect':
      return `i suspect ${rel(c.target)}`;
    case 'trust':
      return `i trust ${rel(c.target)}`;
  }
}

const claimMemo = new Map<string, Claim[]>();

/** The claims of a speech (memoised: the same proposer sentences come up again and again). */
function claimsOf(text: string): Claim[] {
  let claims = claimMemo.get(text);
  if (claims === undefined) {
    if (claimMemo.size >= 50_000) claimMemo.clear();
    claims = parseClaims(text);
    claimMemo.set(text, claims);
  }
  return claims;
}

/** The embedding text of each speech, for one speaker's view. */
export function speechEmbedTexts(view: SeatView, speeches: readonly string[]): string[] {
  const claimants = new Set([...seerClaims(view).keys()].filter((s) => s !== view.me));
  const accusers = accusersToday(view);
  const rel = (seat: number) => relationOf(view, seat, claimants, accusers);
  return speeches.map((text) => {
    const claims = claimsOf(text);
    return claims.length === 0 ? text : claims.map((c) => claimWords(c, rel)).join(' . ');
  });
}

/** The speaker's information set: role, day, and the three facts (see the module doc). */
export function werewolfInfoSet(view: SeatView): string {
  const role = view.role ?? 'unknown';
  const day = Math.min(Math.max(view.round, 1), 3);
  const otherSeer = [...seerClaims(view).keys()].some((s) => s !== view.me && view.alive[s]);
  const accused = accusersToday(view).size > 0;
  const parts = [role, `d${day}`, `claim${otherSeer ? 1 : 0}`, `accused${accused ? 1 : 0}`];
  if (role === 'seer') parts.push(`found${view.checks.some((c) => c.werewolf && view.alive[c.target]) ? 1 : 0}`);
  return parts.join('|');
}

/** The text inside `say[...]`. */
export function speechOfAction(action: string): string {
  const m = /^say\[([\s\S]*)\]$/.exec(action.trim());
  return m === null ? action : (m[1] as string);
}
