import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../agents/policy-server/rate-limiter.js';

describe('RateLimiter (token bucket)', () => {
  it('lets a burst through, then one request per 1/rate seconds, and says how long to wait', () => {
    let t = 1000;
    const bucket = new RateLimiter(4, 2, () => t); // 4/s, bursts of 2
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(250); // empty: one token every 250 ms
    t += 100;
    expect(bucket.take()).toBe(150); // 0.4 of a token so far: 0.6 × 250 ms to go
    t += 150;
    expect(bucket.take()).toBe(0);
    t += 10_000; // refills to the burst, not beyond
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 250]);
  });

  it('refuses nonsense sizes', () => {
    expect(() => new RateLimiter(0, 1)).toThrow(/rate must be/);
    expect(() => new RateLimiter(1, 0.5)).toThrow(/burst must be/);
  });
});
