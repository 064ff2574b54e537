import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../agents/llm/llm-agent.js';

describe('backoffDelayMs: the server hint is a floor under jittered exponential backoff', () => {
  it('grows 250 · 2^(attempt−1), scaled by 0.5 + random/2', () => {
    expect(backoffDelayMs(0, 1, () => 1)).toBe(250);
    expect(backoffDelayMs(0, 2, () => 1)).toBe(500);
    expect(backoffDelayMs(0, 3, () => 0)).toBe(500); // 1000 · 0.5
    expect(backoffDelayMs(0, 4, () => 0.5)).toBe(1500); // 2000 · 0.75
  });
  it('caps at 8 s', () => {
    expect(backoffDelayMs(0, 30, () => 1)).toBe(8000);
  });
  it('never waits less than the server asked', () => {
    expect(backoffDelayMs(12, 1, () => 0)).toBe(125);
    expect(backoffDelayMs(3000, 1, () => 1)).toBe(3000);
    expect(backoffDelayMs(Number.NaN, 1, () => 1)).toBe(250);
  });
});
