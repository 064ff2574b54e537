import { describe, expect, it } from 'vitest';
import { PARAMS, parseParams } from '../../../envs/protocol/messages.js';

describe('parseParams', () => {
  it('session.step: the fast path accepts exactly what the schema accepts, and errors still come from the schema', () => {
    const cases: unknown[] = [
      { session: 's_1', action: 'look' },
      { session: 's_1', action: '' },
      { action: 'look', session: 'x'.repeat(128) },
      { session: 'x'.repeat(129), action: 'look' },
      { session: '', action: 'look' },
      { session: 's_1' },
      { action: 'look' },
      { session: 's_1', action: 3 },
      { session: 7, action: 'look' },
      { session: 's_1', action: 'look', extra: 1 },
      JSON.parse('{"session":"s_1","action":"look","__proto__":{"x":1}}'),
      Object.create({ inherited: 1 }, { session: { value: 's', enumerable: true }, action: { value: 'a', enumerable: true } }),
      ['s_1', 'look'],
      null,
      undefined,
      'params',
    ];
    for (const params of cases) {
      const schema = PARAMS['session.step'].safeParse(params === undefined ? {} : params);
      let fast: unknown;
      let error: unknown;
      try {
        fast = parseParams('session.step', params);
      } catch (err) {
        error = err;
      }
      expect(error === undefined, JSON.stringify(params)).toBe(schema.success);
      if (schema.success) expect(fast).toEqual(schema.data);
      else expect((error as { code: string }).code).toBe('INVALID_PARAMS');
    }
  });
});
