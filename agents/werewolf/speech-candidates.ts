/**
 * Speech candidates for werewolf-v1, on the AGENT side: a speaker's admissible list shows only
 * `say[<speech>]`; this proposer turns it into concrete speeches written in the claim grammar
 * (envs/werewolf/claims.ts), made from what the seat itself has seen — so a policy that scores
 * candidates can speak, and the bots understand what it says. For the seat's role it offers:
 *
 *  - a neutral line ("I have nothing to add yet.") and a plain role claim ("I am a villager.");
 *  - the truth where the seat has it: the seer's full reveal (every check), the doctor's claim;
 *  - accusations with a vote intention ("Player 4 is a werewolf. I will vote player 4.") for each
 *    living player (a werewolf never names its teammate);
 *  - a defence when the seat was accused today ("I am a villager. I suspect player A.");
 *  - support for a claimed seer ("I trust player S. I will vote player X.");
 *  - false seer reveals: a werewolf's fake check on a villager, or a fake clearing of its
 *    teammate; any other seat may bluff one too;
 *  - "I will vote none."
 * Every other admissible action (a night target, a vote, a bid) is passed through unchanged.
 *
 * `CANDIDATE_PROPOSERS['werewolf-v1']` (agents/candidates.ts) lists it.
 * @module
 */
import type { Observation } from '../../envs/core/types.js';
import { speechOf, SPEECH_PLACEHOLDER, type Claim } from '../../envs/werewolf/index.js';
import { accusationScores, othersAlive, seerClaims, speechesOf } from './public-record.js';
import { viewOf, type SeatView } from './seat-view.js';

export const NEUTRAL_SPEECH = 'I have nothing to add yet.';

/** The speeches a seat may say now, best first, without duplicates. */
export function speechCandidates(view: SeatView): string[] {
  const out: string[] = [];
  const add = (claims: Claim[] | string) => {
    const text = typeof claims === 'string' ? claims : speechOf(claims);
    if (text !== '' && !out.includes(text)) out.push(text);
  };
  const wolf = view.role === 'werewolf';
  const others = othersAlive(view);
  const suspects = others.filter((s) => !(wolf && s === view.teammate));
  const villagerClaim: Claim = { type: 'role', role: 'villager' };

  add(NEUTRAL_SPEECH);
  add([villagerClaim]);
  if (view.role === 'seer') add([{ type: 'role', role: 'seer' }, ...view.checks.map((c): Claim => ({ type: 'check', target: c.target, werewolf: c.werewolf }))]);
  if (view.role === 'doctor') {
    const last = view.protections[view.protections.length - 1];
    add([{ type: 'role', role: 'doctor' }, ...(last ? [{ type: 'protect', target: last.target } as Claim] : [])]);
  }

  // Accusations, most accused first.
  const scores = accusationScores(view, speechesOf(view, view.round));
  const ranked = [...suspects].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || a - b);
  for (const s of ranked) add([{ type: 'accuse', target: s }, { type: 'vote', target: s }]);

  // A defence when accused today.
  const accusers = speechesOf(view, view.round)
    .filter((sp) => sp.claims.some((c) => (c.type === 'accuse' || (c.type === 'check' && c.werewolf) || c.type === 'suspect') && c.target === view.me))
    .map((sp) => sp.speaker)
    .filter((s) => view.alive[s]);
  for (const a of accusers) add([villagerClaim, { type: 'suspect', target: a }, { type: 'vote', target: a }]);

  // Support for a claimed seer's accusation.
  for (const claim of seerClaims(view).values()) {
    if (claim.seat === view.me || !view.alive[claim.seat]) continue;
    for (const [target, werewolf] of claim.results) {
      if (werewolf && view.alive[target] && target !== view.me) add([{ type: 'trust', target: claim.seat }, { type: 'vote', target }]);
    }
  }

  // False seer reveals.
  if (wolf) {
    for (const s of ranked.slice(0, 3)) add([{ type: 'role', role: 'seer' }, { type: 'check', target: s, werewolf: true }]);
    if (view.teammate !== null && view.alive[view.teammate]) add([{ type: 'role', role: 'seer' }, { type: 'check', target: view.teammate, werewolf: false }]);
  } else if (view.role !== 'seer' && ranked.length > 0) {
    add([{ type: 'role', role: 'seer' }, { type: 'check', target: ranked[0]!, werewolf: true }]);
  }
  add([{ type: 'vote', target: null }]);
  return out;
}

/** The proposer: speech candidates in place of the placeholder; other actions as they are. */
export function werewolfSpeechProposer(observation: Observation): string[] {
  if (!observation.actions.includes(SPEECH_PLACEHOLDER)) return observation.actions;
  const speeches = speechCandidates(viewOf(observation.text)).map((t) => `say[${t}]`);
  return [...speeches, ...observation.actions.filter((a) => a !== SPEECH_PLACEHOLDER)];
}
