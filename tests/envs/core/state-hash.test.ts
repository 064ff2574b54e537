import { describe, expect, it } from 'vitest';
import { stableStringify, stateHash } from '../../../envs/core/state-hash.js';

describe('stateHash', () => {
  it('ignores key order and undefined fields', () => {
    expect(stableStringify({ b: 1, a: [1, { d: 2, c: 3 }], u: undefined })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(stateHash({ x: 1, y: 2 })).toBe(stateHash({ y: 2, x: 1 }));
  });
  it('differs when the state differs', () => {
    expect(stateHash({ x: 1 })).not.toBe(stateHash({ x: 2 }));
    expect(stateHash({ x: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
});
