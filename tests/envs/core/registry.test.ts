import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LudusError, OptionsError, UnknownEnvError } from '../../../envs/core/errors.js';
import { list, make, register, spec, unregister } from '../../../envs/core/registry.js';
import { InvalidActionPolicyWrapper, OrderEnforcing, TimeLimit } from '../../../envs/core/wrappers.js';
import { registerToyEnv, TOY_ENV_ID, ToyGuessEnv } from '../../helpers/toy-env.js';

registerToyEnv();

describe('register / make / list', () => {
  it('lists registered envs with their splits and limits', () => {
    const toy = list().find((e) => e.id === TOY_ENV_ID);
    expect(toy).toEqual({
      id: TOY_ENV_ID,
      description: 'Guess the secret number (test env)',
      kind: 'single',
      seats: null,
      capabilities: { snapshot: 'native', screenshots: false },
      maxEpisodeSteps: 20,
      invalidActionPolicy: 'noop',
      splits: { train: 10 },
    });
  });

  it('stacks wrappers in one fixed order: InvalidActionPolicy → TimeLimit → OrderEnforcing (outermost)', () => {
    const env = make(TOY_ENV_ID) as unknown as OrderEnforcing & { id: string; spec: unknown };
    expect(env).toBeInstanceOf(OrderEnforcing);
    expect(env.inner).toBeInstanceOf(TimeLimit);
    const limit = env.inner as TimeLimit;
    expect(limit.inner).toBeInstanceOf(InvalidActionPolicyWrapper);
    expect((limit.inner as InvalidActionPolicyWrapper).inner).toBeInstanceOf(ToyGuessEnv);
    expect(env.id).toBe(TOY_ENV_ID);
    expect(env.spec).toBe(spec(TOY_ENV_ID));
  });

  it('applies spec defaults and validated overrides', async () => {
    const env = make(TOY_ENV_ID, { maxNumber: 3, maxEpisodeSteps: 7 });
    const { observation } = await env.reset({ seed: 1 });
    expect(observation.actions).toEqual(['guess 0', 'guess 1', 'guess 2', 'guess 3']);
    expect(((env as unknown as OrderEnforcing).inner as TimeLimit).maxEpisodeSteps).toBe(7);
  });

  it('says "did you mean" for a wrong version or a misspelling', () => {
    expect(() => make('toy-guess-v9')).toThrow(UnknownEnvError);
    expect(() => make('toy-guess-v9')).toThrow(/Did you mean 'toy-guess-v0'\?/);
    expect(() => make('toy-gues-v0')).toThrow(/Did you mean 'toy-guess-v0'\?/);
    try {
      make('nothing-like-it-v1');
    } catch (err) {
      expect((err as LudusError).code).toBe('ENV_UNKNOWN');
      expect((err as Error).message).toMatch(/ludus envs/);
    }
  });

  it('names the bad option', () => {
    expect(() => make(TOY_ENV_ID, { maxNumber: -1 })).toThrow(OptionsError);
    expect(() => make(TOY_ENV_ID, { maxNumber: -1 })).toThrow(/maxNumber/);
    expect(() => make(TOY_ENV_ID, { colour: 'red' })).toThrow(/unknown option\(s\) 'colour'/);
    expect(() => make(TOY_ENV_ID, { invalidActionPolicy: 'explode' })).toThrow(/invalidActionPolicy/);
    expect(() => make(TOY_ENV_ID, { maxEpisodeSteps: 1.5 })).toThrow(/maxEpisodeSteps/);
  });

  it('refuses unversioned and duplicate ids', () => {
    const entry = { kind: 'single' as const, capabilities: { snapshot: 'native' as const }, description: 'x', entryPoint: () => new ToyGuessEnv({ maxNumber: 1 }), splits: {} };
    expect(() => register({ id: 'noversion', ...entry })).toThrow(/name-vN/);
    expect(() => register({ id: TOY_ENV_ID, ...entry })).toThrow(/already registered/);
    register({ id: 'ns/other-thing-v2', ...entry, options: z.object({}).strict() });
    expect(spec('ns/other-thing-v2').id).toBe('ns/other-thing-v2');
    expect(unregister('ns/other-thing-v2')).toBe(true);
  });
});

describe('wrappers', () => {
  it('truncates at the time limit (not terminated) and then refuses steps', async () => {
    const env = make(TOY_ENV_ID, { maxEpisodeSteps: 2, maxNumber: 1000 });
    await env.reset({ seed: 5 });
    const a = await env.step('guess 1001');
    expect([a.truncated, a.info.elapsedSteps]).toEqual([false, 1]);
    const b = await env.step('guess 1002');
    expect([b.terminated, b.truncated, b.info.elapsedSteps]).toEqual([false, true, 2]);
    await expect(env.step('guess 1')).rejects.toMatchObject({ code: 'EPISODE_OVER' });
    await env.reset({ seed: 5 });
    expect((await env.step('guess 1001')).truncated).toBe(false);
  });

  it('refuses step before reset and use after close', async () => {
    const env = make(TOY_ENV_ID);
    await expect(env.step('guess 1')).rejects.toMatchObject({ code: 'RESET_NEEDED' });
    await env.close();
    await env.close();
    await expect(env.reset()).rejects.toMatchObject({ code: 'ENV_CLOSED' });
  });

  it('noop leaves an invalid step alone, penalty subtracts, terminate ends the episode', async () => {
    const noop = make(TOY_ENV_ID);
    await noop.reset({ seed: 1 });
    const n = await noop.step('sing');
    expect([n.reward, n.terminated, n.info.invalidActionPolicy, n.info.invalid?.code]).toEqual([0, false, 'noop', 'NOT_ADMISSIBLE']);

    const penalty = make(TOY_ENV_ID, { invalidActionPolicy: 'penalty', invalidActionPenalty: 0.25 });
    await penalty.reset({ seed: 1 });
    const p = await penalty.step('sing');
    expect([p.reward, p.terminated, p.info.rewardComponents.invalidPenalty]).toEqual([-0.25, false, -0.25]);

    const term = make(TOY_ENV_ID, { invalidActionPolicy: 'terminate' });
    const reset = await term.reset({ seed: 1 });
    expect(reset.info.invalidActionPolicy).toBe('terminate');
    const t = await term.step('sing');
    expect([t.terminated, t.truncated, t.info.success]).toEqual([true, false, false]);
    await expect(term.step('guess 1')).rejects.toMatchObject({ code: 'EPISODE_OVER' });
  });

  it('snapshots carry wrapper state: elapsed steps and the episode phase', async () => {
    const env = make(TOY_ENV_ID, { maxEpisodeSteps: 3, maxNumber: 1000 });
    await env.reset({ seed: 2 });
    await env.step('guess 1001');
    const snap = await env.snapshot();
    await env.step('guess 1001');
    const over = await env.step('guess 1001');
    expect(over.truncated).toBe(true);
    const fresh = make(TOY_ENV_ID, { maxEpisodeSteps: 3, maxNumber: 1000 });
    await fresh.restore(snap);
    expect((await fresh.step('guess 1001')).info.elapsedSteps).toBe(2);
    expect((await fresh.step('guess 1001')).truncated).toBe(true);
    await expect(fresh.restore({ nonsense: true })).rejects.toMatchObject({ code: 'STATE_INVALID' });
  });

  it('validates wrapper arguments with a message naming the bad value', () => {
    const raw = new ToyGuessEnv({ maxNumber: 3 });
    expect(() => new TimeLimit(raw, -1)).toThrow(/maxEpisodeSteps must be an integer >= 0, got -1/);
    expect(() => new InvalidActionPolicyWrapper(raw, 'explode' as never, 0)).toThrow(/got "explode"/);
  });
});
