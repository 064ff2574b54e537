/**
 * A token bucket for `serve-policy --rate-limit`: `rate` requests per second on average, bursts of
 * up to `burst`. A request that finds the bucket empty is refused with how long until a token is
 * there, which the server sends as `Retry-After` (429), as hosted APIs do. Pure but for the clock,
 * which is injected.
 * @module
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  /**
   * @param rate tokens added per second (> 0)
   * @param burst the bucket's size (≥ 1); it starts full
   * @param now the clock, ms
   */
  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`RateLimiter rate must be a finite number > 0, got ${rate}`);
    if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError(`RateLimiter burst must be a finite number >= 1, got ${burst}`);
    this.tokens = burst;
    this.last = now();
  }

  /** Takes a token: 0 when there was one, else the ms until there is one (nothing taken). */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate);
  }
}
