import { describe, expect, it } from 'vitest';
import { InvalidStateError, OptionsError, UnknownTaskError } from '../../../envs/core/errors.js';
import { isRegistered, make, register } from '../../../envs/core/registry.js';
import { Rng } from '../../../envs/core/rng.js';
import type { Env, StepResult } from '../../../envs/core/types.js';
import { HouseholdEnv } from '../../../envs/household/env.js';
import { householdSpec } from '../../../envs/household/spec.js';
import { TASK_TYPES } from '../../../envs/household/task-types.js';
import { describeConformance } from '../../helpers/conformance.js';

if (!isRegistered('household-v1')) register(householdSpec);

/** Plays seeded random admissible actions (with some junk) and returns everything seen. */
async function randomRun(env: Env, task: unknown, seed: number, steps: number, actions?: string[]) {
  const rng = new Rng(`household-test:${seed}`);
  const reset = await env.reset({ task: task as never, seed });
  const played: string[] = [];
  const results: StepResult[] = [];
  let legal = reset.observation.actions;
  for (let t = 0; t < steps; t++) {
    const a = actions ? actions[t]! : rng.bool(0.1) ? 'put it somewhere' : rng.pick(legal);
    if (a === undefined) break;
    const r = await env.step(a);
    played.push(a);
    results.push(r);
    legal = r.observation.actions;
    if (r.terminated || r.truncated) break;
  }
  return { reset, played, results };
}

describe('householdSpec', () => {
  it('describes household-v1', () => {
    expect(householdSpec.id).toBe('household-v1');
    expect(householdSpec.maxEpisodeSteps).toBe(50);
    expect(householdSpec.invalidActionPolicy ?? 'noop').toBe('noop');
    expect(householdSpec.splits).toEqual({ train: 3553, valid_seen: 140, valid_unseen: 134 });
    expect(householdSpec.options!.parse({})).toEqual({ difficulty: 'full', taskTypes: [...TASK_TYPES] });
  });

  it('validates options strictly', () => {
    expect(() => make('household-v1', { difficulty: 'nightmare' })).toThrow(OptionsError);
    expect(() => make('household-v1', { colour: 'red' })).toThrow(/unknown option/);
    expect(() => make('household-v1', { taskTypes: [] })).toThrow(OptionsError);
    expect(() => make('household-v1', { taskTypes: ['pick_and_place', 'pick_and_place'] })).toThrow(OptionsError);
    expect(() => new HouseholdEnv({ difficulty: 'x' as never })).toThrow(OptionsError);
  });
});

describe('household-v1 through make', () => {
  it('resets to the ALFWorld intro with goal, anchor, actions and task info', async () => {
    const env = make('household-v1');
    const { observation, info } = await env.reset({ task: 'household/valid_seen/00004', seed: 1 });
    expect(observation.text).toMatch(/^-= Welcome to TextWorld, ALFRED! =-\n\nYou are in the middle of a room\. Looking quickly around you, you see a .*\.\n\nYour task is to: .+\.$/s);
    expect(observation.anchor).toBe(observation.text);
    expect(observation.text.endsWith(`Your task is to: ${observation.goal}`)).toBe(true);
    expect(observation.actions.slice(-3)).toEqual(['inventory', 'look', 'help']);
    expect(info.task).toEqual({ id: 'household/valid_seen/00004', split: 'valid_seen', index: 4, type: 'pick_cool_then_place' });
    expect(info.rewardComponents).toEqual({ found: 0, picked: 0, transformed: 0, placed: 0, success: 0 });
    expect(info.success).toBe(false);
    expect(info.stateKey).toMatch(/^[0-9a-f]{16}$/);
  });

  it('repeats task info every step and reports the canonical form of an alias', async () => {
    const env = make('household-v1');
    const { observation } = await env.reset({ task: { split: 'train', index: 0 }, seed: 0 });
    const go = observation.actions[0]!;
    const step = await env.step(go.toUpperCase());
    expect(step.info.invalid).toBeUndefined();
    expect(step.info.canonicalAction).toBe(go);
    expect(step.info.task).toMatchObject({ id: 'household/train/00000', type: 'pick_and_place' });
    expect(step.observation.anchor).toBe(step.observation.text);
    const exact = await env.step(step.observation.actions.find((a) => a.startsWith('go to'))!);
    expect(exact.info.canonicalAction).toBeUndefined();
  });

  it('answers invalid actions with Nothing happens., reward 0 and an unchanged state', async () => {
    const env = make('household-v1');
    const reset = await env.reset({ seed: 3 });
    for (const a of ['', 'take', 'go to', 'fly to the moon', 'ünïcödé 🙂', 'x'.repeat(50_000), 'take ghost 1 from fridge 1']) {
      const r = await env.step(a);
      expect(r.observation.text).toBe('Nothing happens.');
      expect(r.reward).toBe(0);
      expect(r.terminated).toBe(false);
      expect(r.info.stateKey).toBe(reset.info.stateKey);
      expect(r.observation.actions).toEqual(reset.observation.actions);
      expect(['EMPTY_ACTION', 'PARSE_ERROR', 'UNKNOWN_VERB', 'UNKNOWN_OBJECT', 'NOT_ADMISSIBLE']).toContain(r.info.invalid!.code);
      expect(r.info.invalid!.suggestions.every((s) => reset.observation.actions.includes(s))).toBe(true);
    }
  });

  it('is deterministic: same task, seed and actions give identical results', async () => {
    const a = await randomRun(make('household-v1'), 'household/train/00100', 9, 60);
    const b = await randomRun(make('household-v1'), 'household/train/00100', 9, 60, a.played);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('draws a train task from the seed when none is given', async () => {
    const env = make('household-v1');
    const r1 = await env.reset({ seed: 42 });
    const r2 = await env.reset({ seed: 42 });
    expect(r1).toEqual(r2);
    expect(r1.info.task!.split).toBe('train');
    const ids = new Set<string>();
    for (let s = 0; s < 10; s++) ids.add((await env.reset({ seed: s })).info.task!.id);
    expect(ids.size).toBeGreaterThan(5);
  });

  it('taskTypes restricts the drawn tasks; an explicit task is played anyway', async () => {
    const env = make('household-v1', { taskTypes: ['pick_heat_then_place'] });
    for (let s = 0; s < 10; s++) expect((await env.reset({ seed: s })).info.task!.type).toBe('pick_heat_then_place');
    expect((await env.reset({ task: 'household/train/00000' })).info.task!.type).toBe('pick_and_place');
  });

  it('difficulty shrinks the room', async () => {
    const count = async (difficulty: string) => {
      const env = make('household-v1', { difficulty });
      const r = await env.reset({ task: 'household/train/00002', seed: 0 });
      return r.observation.actions.filter((a) => a.startsWith('go to')).length;
    };
    const [easy, medium, full] = [await count('easy'), await count('medium'), await count('full')];
    expect(easy).toBeLessThanOrEqual(6);
    expect(medium).toBeLessThanOrEqual(12);
    expect(full).toBeGreaterThan(medium);
  });

  it('refuses unknown tasks with UnknownTaskError', async () => {
    const env = make('household-v1');
    await expect(env.reset({ task: 'household/train/99999' })).rejects.toThrow(UnknownTaskError);
    await expect(env.reset({ task: { split: 'test', index: 0 } })).rejects.toThrow(/valid_unseen \(0\.\.133\)/);
  });

  it('snapshot/restore forks the episode exactly, also onto a fresh env', async () => {
    const run = await randomRun(make('household-v1'), 'household/valid_unseen/00017', 4, 30);
    const k = 12;
    const env = make('household-v1');
    await randomRun(env, 'household/valid_unseen/00017', 4, k, run.played.slice(0, k));
    const snap = JSON.parse(JSON.stringify(await env.snapshot()));
    const tail1: StepResult[] = [];
    for (const a of run.played.slice(k)) tail1.push(await env.step(a));
    const fresh = make('household-v1', { difficulty: 'easy' });
    await fresh.reset({ seed: 1 });
    await fresh.restore(snap);
    const tail2: StepResult[] = [];
    for (const a of run.played.slice(k)) tail2.push(await fresh.step(a));
    expect(JSON.stringify(tail2)).toBe(JSON.stringify(tail1));
    expect(JSON.stringify(tail1)).toBe(JSON.stringify(run.results.slice(k)));
  });

  it('restore refuses bad states with InvalidStateError', async () => {
    const env = new HouseholdEnv();
    await env.reset({ seed: 0 });
    const good = (await env.snapshot()) as Record<string, any>;
    const bad: unknown[] = [
      null,
      42,
      'state',
      {},
      { ...good, format: 'shop-v1' },
      { ...good, seed: 'x' },
      { ...good, task: { ...good.task, split: 'test' } },
      { ...good, game: { ...good.game, dyn: { ...good.game.dyn, location: 999 } } },
      { ...good, game: { ...good.game, dyn: { ...good.game.dyn, holding: 0 } } },
      { ...good, game: { ...good.game, dyn: { ...good.game.dyn, where: [] } } },
      { ...good, game: { ...good.game, world: { ...good.game.world, objects: [{ name: 'x 1', type: 'unicorn' }] } } },
    ];
    for (const b of bad) await expect(env.restore(b as never)).rejects.toThrow(InvalidStateError);
    await env.restore(good);
  });

  it('restore refuses a snapshot with unknown extra keys, at any level', async () => {
    const env = new HouseholdEnv();
    await env.reset({ seed: 0 });
    const good = (await env.snapshot()) as Record<string, any>;
    const g = good.game;
    const extra: [string, unknown][] = [
      ['the state', { ...good, extra: 1 }],
      ['task', { ...good, task: { ...good.task, extra: 1 } }],
      ['game', { ...good, game: { ...g, extra: 1 } }],
      ['game.world', { ...good, game: { ...g, world: { ...g.world, extra: 1 } } }],
      ['receptacle 0', { ...good, game: { ...g, world: { ...g.world, receptacles: [{ ...g.world.receptacles[0], extra: 1 }, ...g.world.receptacles.slice(1)] } } }],
      ['object 0', { ...good, game: { ...g, world: { ...g.world, objects: [{ ...g.world.objects[0], extra: 1 }, ...g.world.objects.slice(1)] } } }],
      ['game.goal', { ...good, game: { ...g, goal: { ...g.goal, extra: 1 } } }],
      ['game.dyn', { ...good, game: { ...g, dyn: { ...g.dyn, extra: 1 } } }],
    ];
    for (const [where, state] of extra) {
      await expect(env.restore(state as never), where).rejects.toThrow(new RegExp(`${where.replace(/[.]/g, '\\.')} has unknown key\\(s\\) 'extra'`));
    }
    await env.restore(good);
  });

  it('raw env: step before reset and after success are refused; close is final', async () => {
    const env = new HouseholdEnv();
    await expect(env.step('look')).rejects.toMatchObject({ code: 'RESET_NEEDED' });
    await expect(env.snapshot()).rejects.toMatchObject({ code: 'RESET_NEEDED' });
    await env.close();
    await env.close();
    await expect(env.reset()).rejects.toMatchObject({ code: 'ENV_CLOSED' });
  });

  it('truncates at 50 steps through make', async () => {
    const env = make('household-v1');
    await env.reset({ seed: 0 });
    let last: StepResult | undefined;
    for (let t = 0; t < 50; t++) last = await env.step('look');
    expect(last!.truncated).toBe(true);
    expect(last!.terminated).toBe(false);
    expect(last!.info.elapsedSteps).toBe(50);
  });

  it('everything it returns is plain JSON', async () => {
    const run = await randomRun(make('household-v1'), 'household/train/00005', 2, 40);
    const env = make('household-v1');
    await env.reset({ seed: 2 });
    for (const v of [run.reset, ...run.results, await env.snapshot()]) expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
});

describeConformance('household-v1', (o) => make('household-v1', o), {
  tasks: ['household/train/00000', 'household/valid_seen/00003', 'household/valid_unseen/00005'],
});
