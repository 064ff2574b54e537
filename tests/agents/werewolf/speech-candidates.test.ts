import { describe, expect, it } from 'vitest';
import { CANDIDATE_PROPOSERS, proposerFor } from '../../../agents/candidates.js';
import { NEUTRAL_SPEECH, speechCandidates, werewolfSpeechProposer } from '../../../agents/werewolf/speech-candidates.js';
import { viewOf } from '../../../agents/werewolf/seat-view.js';
import { parseClaims } from '../../../envs/werewolf/claims.js';
import { dealForTask } from '../../../envs/werewolf/tasks.js';
import { scriptedGame } from './fixtures.js';

const ROLES = dealForTask('valid', 0);

describe('the speech proposer', () => {
  it('is the registered proposer of werewolf-v1', () => {
    expect(CANDIDATE_PROPOSERS['werewolf-v1']).toBe(werewolfSpeechProposer);
    expect(proposerFor('werewolf-v1')).toBe(werewolfSpeechProposer);
  });

  it('passes non-speech actions through unchanged', () => {
    const { results } = scriptedGame(0);
    const actor = results[0]!.actors[0]!;
    const obs = results[0]!.observations[actor]!;
    expect(werewolfSpeechProposer(obs)).toEqual(obs.actions);
  });

  it('replaces the placeholder with speeches in the claim grammar, without duplicates', () => {
    const { results } = scriptedGame(2);
    const last = results.at(-1)!;
    const speaker = last.actors[0]!;
    const candidates = werewolfSpeechProposer(last.observations[speaker]!);
    expect(candidates).not.toContain('say[<speech>]');
    expect(new Set(candidates).size).toBe(candidates.length);
    expect(candidates.every((c) => /^say\[.*\]$/.test(c))).toBe(true);
    const speeches = candidates.map((c) => c.slice(4, -1));
    expect(speeches).toContain(NEUTRAL_SPEECH);
    for (const s of speeches.filter((x) => x !== NEUTRAL_SPEECH)) expect(parseClaims(s).length).toBeGreaterThan(0);
  });

  it('offers the seer its true reveal, a werewolf fake reveals without naming its teammate, and a defence when accused', () => {
    const { results } = scriptedGame(8, (seat) => `Player ${(seat + 2) % 7} is a werewolf.`);
    const last = results.at(-1)!;
    const seer = ROLES.indexOf('seer');
    const seerView = viewOf(last.observations[seer]!.text);
    const reveal = speechCandidates(seerView).find((s) => s.startsWith('I am the seer.'));
    expect(parseClaims(reveal!).filter((c) => c.type === 'check')).toEqual(seerView.checks.map((c) => ({ type: 'check', target: c.target, werewolf: c.werewolf })));

    const wolf = ROLES.indexOf('werewolf');
    const wolfView = viewOf(last.observations[wolf]!.text);
    const wolfSpeeches = speechCandidates(wolfView);
    const accused = wolfSpeeches.flatMap((s) => parseClaims(s)).filter((c) => c.type === 'accuse' || (c.type === 'check' && c.werewolf));
    expect(accused.length).toBeGreaterThan(0);
    expect(accused.some((c) => 'target' in c && c.target === wolfView.teammate)).toBe(false);
    expect(wolfSpeeches.some((s) => s.startsWith('I am the seer.'))).toBe(true);
  });

  it('offers a defence that names the accusers to a player accused today', () => {
    // On day 1 everyone accuses the highest living seat, which speaks last in seat order.
    const probe = scriptedGame(2);
    const alive = probe.session.state!.alive;
    const target = alive.lastIndexOf(true);
    const { results } = scriptedGame(12, (seat, round) => (round === 1 && seat !== target ? `Player ${target} is a werewolf.` : 'I am a villager.'));
    const turn = results.find((r) => r.actors[0] === target && r.observations[target]!.actions[0] === 'say[<speech>]')!;
    const view = viewOf(turn.observations[target]!.text);
    const accusers = view.speeches.filter((sp) => sp.claims.some((c) => c.type === 'accuse' && c.target === target)).map((sp) => sp.speaker);
    expect(accusers.length).toBeGreaterThan(1);
    const speeches = speechCandidates(view);
    for (const a of accusers) expect(speeches).toContain(`I am a villager. I suspect player ${a}. I will vote player ${a}.`);
  });
});
