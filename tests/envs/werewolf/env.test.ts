import { describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { makeMulti, spec } from '../../../envs/core/registry.js';
import { Rng } from '../../../envs/core/rng.js';
import type { MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult } from '../../../envs/core/types.js';
import { WerewolfEnv } from '../../../envs/werewolf/env.js';
import { SPEECH_PLACEHOLDER } from '../../../envs/werewolf/actions.js';
import { dealForTask } from '../../../envs/werewolf/tasks.js';

type Result = MultiAgentResetResult | MultiAgentStepResult;

/** Plays seeded random admissible actions (speech: a few fixed lines); returns every result. */
async function playRandom(env: MultiAgentEnv, seed: number, speech?: (r: Result, seat: number) => string): Promise<{ results: Result[]; actions: Record<number, string>[] }> {
  const rng = new Rng(`env-test:${seed}`);
  const results: Result[] = [await env.reset({ seed })];
  const actions: Record<number, string>[] = [];
  for (let t = 0; t < 400; t++) {
    const last = results.at(-1)!;
    if (last.actors.length === 0) break;
    const record: Record<number, string> = {};
    for (const seat of last.actors) {
      const legal = last.observations[seat]!.actions;
      record[seat] = legal.includes(SPEECH_PLACEHOLDER) ? `say[${speech?.(last, seat) ?? rng.pick(['I am a villager.', 'player 2 is a werewolf', 'hmm'])}]` : rng.pick(legal);
    }
    actions.push(record);
    results.push(await env.step(record));
  }
  return { results, actions };
}

describe('werewolf-v1 as registered', () => {
  it('is a 7-seat multi-agent env with native snapshots and the contract seat agents', () => {
    const s = spec('werewolf-v1');
    expect(s.kind).toBe('multi');
    if (s.kind !== 'multi') return;
    expect(s.seats.count).toBe(7);
    expect(s.seats.agents).toEqual(['random', 'bot:random', 'bot:naive', 'bot:basic', 'bot:strong']);
    expect(s.capabilities).toEqual({ snapshot: 'native' });
    expect(s.splits).toEqual({ train: 10_000, valid: 1_000, test: 1_000 });
    expect(() => makeMulti('werewolf-v1', { discussion: 'shouting' })).toThrow(/discussion/);
    expect(() => makeMulti('werewolf-v1', { speechLimit: 5000 })).toThrow(/speechLimit/);
  });
});

describe('werewolf-v1 reset and observations', () => {
  it('gives every seat its own observation, its role, and the actors', async () => {
    const env = makeMulti('werewolf-v1');
    const r = await env.reset({ seed: 1, task: { split: 'test', index: 3 } });
    const roles = dealForTask('test', 3);
    expect(r.info.roles).toEqual(roles);
    expect(r.info.task).toEqual({ id: 'werewolf/test/00003', split: 'test', index: 3 });
    for (let s = 0; s < 7; s++) {
      const obs = r.observations[s]!;
      expect(obs.seat).toBe(s);
      expect(obs.text).toContain(`your role is "${roles[s]}"`);
      expect(obs.text).toContain('Night 1 falls.');
      expect(obs.anchor).toBe(obs.text.slice(obs.text.indexOf('== Now ==\n') + 10));
      expect(r.infos[s]!.rewardComponents).toEqual({ teamWin: 0, survived: 1, correctVotes: 0, seerHits: 0 });
    }
    const wolves = roles.flatMap((role, s) => (role === 'werewolf' ? [s] : []));
    expect(r.observations[wolves[0]!]!.text).toContain(`your fellow werewolf is "player ${wolves[1]}"`);
    expect(r.actors).toEqual([wolves[0]!, roles.indexOf('seer'), roles.indexOf('doctor')].sort((a, b) => a - b));
    // Nothing at night tells a villager who acts.
    const villagers = roles.flatMap((role, s) => (role === 'villager' ? [s] : []));
    const statuses = new Set(villagers.map((s) => r.observations[s]!.text.split('\n').at(-1)));
    expect(statuses).toEqual(new Set(['The night is passing.']));
    expect(r.observations[villagers[0]!]!.actions).toEqual([]);
  });

  it('is deterministic: same seed and actions give the same results, bit for bit', async () => {
    const a = await playRandom(makeMulti('werewolf-v1'), 11);
    const b = await playRandom(makeMulti('werewolf-v1'), 11);
    expect(JSON.stringify(b.results)).toBe(JSON.stringify(a.results));
    const c = await playRandom(makeMulti('werewolf-v1'), 12);
    expect(JSON.stringify(c.results)).not.toBe(JSON.stringify(a.results));
  });

  it('ends every random game with a winner or a draw and pays ±1 by side', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const { results } = await playRandom(makeMulti('werewolf-v1', { discussion: seed % 2 ? 'bidding' : 'seat-order' }), seed);
      const last = results.at(-1) as MultiAgentStepResult;
      expect(last.terminated).toBe(true);
      const roles = last.info.roles as string[];
      const winner = last.info.winner as string;
      for (let s = 0; s < 7; s++) {
        const expected = winner === 'draw' ? 0 : (roles[s] === 'werewolf') === (winner === 'wolves') ? 1 : -1;
        expect(last.rewards[s]).toBe(expected);
        expect(last.infos[s]!.success).toBe(expected === 1);
        expect(last.infos[s]!.rewardComponents.teamWin).toBe(expected);
      }
      for (const r of results.slice(1, -1)) expect(Object.values((r as MultiAgentStepResult).rewards).every((x) => x === 0)).toBe(true);
    }
  });
});

describe('werewolf-v1 privacy', () => {
  it('never shows a seat another seat\'s secrets, even when a player repeats them verbatim', async () => {
    // A cheating speaker that copies every secret it should not know into its speech.
    const copySecrets = (r: Result) => Object.values(r.info.secrets ?? {}).flat().join(' ');
    for (let seed = 0; seed < 6; seed++) {
      const { results } = await playRandom(makeMulti('werewolf-v1'), seed, seed % 2 ? copySecrets : undefined);
      for (const r of results) {
        const secrets = r.info.secrets!;
        for (let owner = 0; owner < 7; owner++) {
          expect(secrets[owner]!.length).toBeGreaterThan(0);
          for (const secret of secrets[owner]!) {
            expect(r.observations[owner]!.text).toContain(secret);
            for (let other = 0; other < 7; other++) if (other !== owner) expect(r.observations[other]!.text).not.toContain(secret);
          }
        }
      }
    }
  });

  it('never names another seat\'s role in a villager\'s record', async () => {
    const { results } = await playRandom(makeMulti('werewolf-v1'), 5);
    const last = results.at(-1)!;
    const roles = last.info.roles as string[];
    const villager = roles.indexOf('villager');
    expect(last.observations[villager]!.text).not.toMatch(new RegExp(`private to player (?!${villager}:)`));
    expect(last.observations[villager]!.text).not.toMatch(/your role is "(werewolf|seer|doctor)"/);
  });
});

describe('werewolf-v1 steps', () => {
  it('accepts partial and empty action records; a phase resolves once every actor acted', async () => {
    const env = new WerewolfEnv();
    const r = await env.reset({ seed: 2 });
    const empty = await env.step({});
    expect(empty.actors).toEqual(r.actors);
    expect(empty.terminated).toBe(false);
    const [first, ...rest] = r.actors;
    const one = await env.step({ [first!]: r.observations[first!]!.actions[0]! });
    expect(one.infos[first!]!.canonicalAction).toBe(r.observations[first!]!.actions[0]);
    expect(one.actors).not.toContain(first);
    for (const s of rest) expect(one.actors).toContain(s);
  });

  it('answers off-turn and dead seats with NOT_YOUR_TURN through makeMulti, and bad seats with SEAT_UNKNOWN', async () => {
    const env = makeMulti('werewolf-v1');
    const r = await env.reset({ seed: 3 });
    const idle = [0, 1, 2, 3, 4, 5, 6].find((s) => !r.actors.includes(s))!;
    const step = await env.step({ [idle]: 'vote[1]' });
    expect(step.infos[idle]!.invalid?.code).toBe('NOT_YOUR_TURN');
    expect(step.actors).toEqual(r.actors);
    await expect(env.step({ 7: 'vote[1]' })).rejects.toMatchObject({ code: 'SEAT_UNKNOWN' });
    const missed = await env.step({ [r.actors[0]!]: null });
    expect(missed.infos[r.actors[0]!]!.invalid?.code).toBe('NO_ACTION');
  });

  it('reports a cut speech in the speaker\'s info and keeps the game going', async () => {
    const env = makeMulti('werewolf-v1');
    let r: Result = await env.reset({ seed: 4 });
    while (!r.observations[r.actors[0]!]!.actions.includes(SPEECH_PLACEHOLDER)) {
      r = await env.step(Object.fromEntries(r.actors.map((s) => [s, r.observations[s]!.actions[0]!])));
    }
    const speaker = r.actors[0]!;
    const next = await env.step({ [speaker]: `say[${'x'.repeat(1200)}]` });
    expect(next.infos[speaker]!.invalid).toBeUndefined();
    expect(next.infos[speaker]!.notice).toMatch(/cut to 1000 characters \(it had 1200\)/);
    expect(next.infos[speaker]!.speech).toEqual({ originalLength: 1200, length: 1000, cut: true, controlCharacters: 0 });
    expect(next.observations[0]!.text).toContain(`player ${speaker} said: "${'x'.repeat(1000)}"`);
    expect(next.actors).not.toContain(speaker);
  });

  it('turns a refused action into a penalty or the end of the game under those policies', async () => {
    const penalty = makeMulti('werewolf-v1', { invalidActionPolicy: 'penalty', invalidActionPenalty: 0.5 });
    const r = await penalty.reset({ seed: 5 });
    const s = r.actors[0]!;
    const p = await penalty.step({ [s]: 'dance' });
    expect(p.infos[s]!.invalid?.code).toBe('UNKNOWN_VERB');
    expect(p.rewards[s]).toBe(-0.5);
    const terminate = makeMulti('werewolf-v1', { invalidActionPolicy: 'terminate' });
    const r2 = await terminate.reset({ seed: 5 });
    const t = await terminate.step({ [r2.actors[0]!]: 'kill[99]' });
    expect(t.terminated).toBe(true);
    expect(t.info.endReason).toMatch(/invalid action by seat/);
  });

  it('truncates at the time limit', async () => {
    const env = makeMulti('werewolf-v1', { maxEpisodeSteps: 3 });
    let r: Result = await env.reset({ seed: 6 });
    for (let i = 0; i < 3; i++) r = await env.step(Object.fromEntries(r.actors.map((s) => [s, r.observations[s]!.actions[0]!])));
    expect((r as MultiAgentStepResult).truncated).toBe(true);
    expect((r as MultiAgentStepResult).terminated).toBe(false);
    expect(r.actors).toEqual([]);
  });
});

describe('werewolf-v1 snapshots', () => {
  it('forks a game exactly: restore(snapshot()) continues as the original', async () => {
    const original = await playRandom(makeMulti('werewolf-v1', { discussion: 'bidding' }), 21);
    const env = makeMulti('werewolf-v1', { discussion: 'bidding' });
    await env.reset({ seed: 21 });
    const k = 9;
    for (const a of original.actions.slice(0, k)) await env.step(a);
    const snap = await env.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    const fork = makeMulti('werewolf-v1', { discussion: 'bidding' });
    await fork.restore(snap);
    let last: Result | null = null;
    for (const a of original.actions.slice(k)) last = await fork.step(a);
    expect(JSON.stringify(last)).toBe(JSON.stringify(original.results.at(-1)));
  });

  it('refuses a snapshot of other options or another env', async () => {
    const env = makeMulti('werewolf-v1');
    await env.reset({ seed: 1 });
    const snap = await env.snapshot();
    await expect(makeMulti('werewolf-v1', { discussion: 'bidding' }).restore(snap)).rejects.toMatchObject({ code: 'STATE_INVALID' });
    await expect(makeMulti('werewolf-v1').restore({ order: 'running', inner: { elapsed: 0, inner: { format: 'shop-v1' } } })).rejects.toMatchObject({ code: 'STATE_INVALID' });
  });
});
