import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../envs/core/errors.js';
import { checkStateLimits, DEFAULT_STATE_LIMITS } from '../../../envs/core/state-limits.js';
import { make } from '../../../envs/core/registry.js';
import type { JsonValue } from '../../../envs/core/types.js';
import '../../../envs/builtin.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';

registerToyEnv();

/** `{"a":{"a":…1…}}` nested `depth` levels, built without recursion. */
function nested(depth: number): unknown {
  return JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

describe('checkStateLimits', () => {
  it('accepts plain JSON up to maxDepth levels and refuses one more', () => {
    expect(DEFAULT_STATE_LIMITS.maxDepth).toBe(64);
    expect(() => checkStateLimits(nested(64))).not.toThrow();
    expect(() => checkStateLimits(nested(65))).toThrow(InvalidStateError);
    expect(() => checkStateLimits([[[1]]], { maxDepth: 2, maxValues: 100 })).toThrow(/deeper than 2 levels/);
    for (const ok of [null, 1, 'x', true, [], {}, { a: [1, { b: null }] }]) expect(() => checkStateLimits(ok)).not.toThrow();
  });

  it('walks a state nested 100 000 levels deep without overflowing the stack', () => {
    let error: unknown;
    try {
      checkStateLimits(nested(100_000));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidStateError);
    expect((error as InvalidStateError).code).toBe('STATE_INVALID');
  });

  it('refuses too many values and anything that is not JSON', () => {
    expect(() => checkStateLimits(Array.from({ length: 11 }, () => 0), { maxDepth: 8, maxValues: 10 })).toThrow(/more than 10 values/);
    for (const bad of [NaN, Infinity, undefined, () => 1, 1n, { a: Symbol('x') }]) expect(() => checkStateLimits(bad)).toThrow(InvalidStateError);
  });
});

describe('restore through make()', () => {
  it('refuses a deep state with STATE_INVALID before the env sees it, and the env stays usable', async () => {
    for (const id of ['household-v1', TOY_ENV_ID]) {
      const env = make(id, {});
      await env.reset({ seed: 1 });
      const good = await env.snapshot();
      await expect(env.restore(nested(5000) as never)).rejects.toMatchObject({ code: 'STATE_INVALID' });
      await expect(env.restore({ order: 'running', inner: nested(200) } as never)).rejects.toMatchObject({ code: 'STATE_INVALID' });
      await env.restore(good);
      await env.close();
    }
  });

  it('the wrapper stack refuses unknown keys beside its own', async () => {
    const env = make('household-v1', {});
    await env.reset({ seed: 1 });
    const good = (await env.snapshot()) as { order: string; inner: { elapsed: number; inner: JsonValue } };
    await expect(env.restore({ ...good, extra: 1 })).rejects.toThrow(/unknown key\(s\) 'extra' beside 'order'/);
    await expect(env.restore({ ...good, inner: { ...good.inner, extra: 1 } })).rejects.toThrow(/unknown key\(s\) 'extra' beside 'elapsed'/);
    await env.restore(good);
  });
});
