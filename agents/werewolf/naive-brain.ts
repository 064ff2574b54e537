/**
 * `bot:naive`: never lies, and votes among accused players.
 *  - Speech: the truth about itself — the seer reveals every check at once, the doctor says it is
 *    the doctor and whom it protected, a villager says it is a villager; a werewolf says nothing
 *    about its role. Then it echoes the day's most accused player ("I suspect player X").
 *  - Vote: the most accused living player — accused today, or voted for in the last vote (half a
 *    point a vote) — never itself, a werewolf never its teammate. When
 *    nobody is accused, a werewolf abstains and anyone else votes at random (a random exile
 *    beats none for the village). Ties are drawn.
 *  - Night: werewolves kill a player who claimed to be the seer, else pick at random (the two do
 *    not coordinate); the seer checks someone it has not checked; the doctor protects at random.
 * @module
 */
import type { Claim } from '../../envs/werewolf/index.js';
import { speechOf } from '../../envs/werewolf/index.js';
import { accusationScores, argmaxAll, seerClaims, speechesOf } from './public-record.js';
import type { BotBrain, Turn } from './rule-bot.js';
import { NEUTRAL_SPEECH } from './speech-candidates.js';

/** Today's accusations, plus half a point per vote of the last vote (a vote is an accusation too). */
function accusedScores(v: Turn['view']): Map<number, number> {
  const scores = accusationScores(v, speechesOf(v, v.round));
  const last = v.votes[v.votes.length - 1];
  if (last) for (const [, t] of last.ballots) if (t !== null && v.alive[t]) scores.set(t, (scores.get(t) ?? 0) + 0.5);
  return scores;
}

function mostAccused(turn: Turn, among: readonly number[]): number | null {
  const v = turn.view;
  const scores = accusedScores(v);
  const pool = among.filter((s) => s !== v.me && !(v.role === 'werewolf' && s === v.teammate) && (scores.get(s) ?? 0) > 0);
  if (pool.length === 0) return null;
  return turn.rng.pick(argmaxAll(scores, pool));
}

export const naiveBrain: BotBrain = {
  level: 'naive',
  night(turn, verb, targets) {
    if (verb === 'check') {
      const unchecked = targets.filter((t) => !turn.view.checks.some((c) => c.target === t));
      return turn.rng.pick(unchecked.length > 0 ? unchecked : targets);
    }
    if (verb === 'kill') {
      const claimants = [...seerClaims(turn.view).keys()].filter((s) => targets.includes(s));
      if (claimants.length > 0) return turn.rng.pick(claimants);
    }
    return turn.rng.pick(targets);
  },
  speak(turn) {
    const v = turn.view;
    const claims: Claim[] = [];
    if (v.role === 'seer') claims.push({ type: 'role', role: 'seer' }, ...v.checks.map((c): Claim => ({ type: 'check', target: c.target, werewolf: c.werewolf })));
    else if (v.role === 'doctor') {
      claims.push({ type: 'role', role: 'doctor' });
      const last = v.protections[v.protections.length - 1];
      if (last) claims.push({ type: 'protect', target: last.target });
    } else if (v.role === 'villager') claims.push({ type: 'role', role: 'villager' });
    const suspect = mostAccused(turn, v.alive.flatMap((a, s) => (a ? [s] : [])));
    if (suspect !== null) claims.push({ type: 'suspect', target: suspect });
    return claims.length > 0 ? speechOf(claims) : NEUTRAL_SPEECH;
  },
  bid(turn) {
    const last = turn.view.speeches[turn.view.speeches.length - 1];
    const named = last?.round === turn.view.round && last.claims.some((c) => 'target' in c && c.target === turn.view.me);
    return named ? 3 : 1;
  },
  vote(turn, targets) {
    const accused = mostAccused(turn, targets);
    if (accused !== null || turn.view.role === 'werewolf') return accused;
    const pool = targets.filter((t) => !(turn.view.role === 'werewolf' && t === turn.view.teammate));
    return turn.rng.pick(pool.length > 0 ? pool : targets);
  },
};
