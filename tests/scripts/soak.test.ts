/**
 * The soak, small: every property the hardening issue measured, kept true in CI (well under a
 * minute in all). `npm run soak` runs the full sizes (scripts/soak.ts).
 */
import { describe, expect, it } from 'vitest';
import { CI_SOAK, HEAP_GROWTH_LIMIT, soakBinds, soakFuzz, soakHostile, soakKills, soakSessions } from '../../scripts/soak.js';

describe('soak (CI sizes)', () => {
  it(`${CI_SOAK.frames} fuzzed frames: the server never crashes and gives every required answer, no more`, async () => {
    const result = await soakFuzz(CI_SOAK);
    expect(result.frames).toBe(CI_SOAK.frames);
    expect(result.crashes).toBe(0);
    expect(result.answers).toBeGreaterThan(CI_SOAK.frames / 2);
    expect(result.closedOnPurpose).toBeGreaterThan(0); // invalid UTF-8 closed those connections only
  }, 60_000);

  it(`${CI_SOAK.sessions} sessions × ${CI_SOAK.steps} steps: no errors, nothing left open, the heap flat across cycles`, async () => {
    const result = await soakSessions(CI_SOAK);
    expect(result.errors).toBe(0);
    expect(result.steps).toBe(2 * CI_SOAK.sessions * CI_SOAK.steps);
    expect(result.heapGrowthBytes).toBeLessThan(HEAP_GROWTH_LIMIT);
  }, 60_000);

  it(`a training run SIGKILLed ${CI_SOAK.kills} times and resumed: integrity ok, whole iterations, all of them in the end`, async () => {
    const result = await soakKills(CI_SOAK);
    expect(result.kills).toBe(CI_SOAK.kills);
    expect(result.iterations).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('hostile text stays inert in the viewer and the shop site', async () => {
    expect((await soakHostile()).pages).toBeGreaterThanOrEqual(20);
  });

  it('non-loopback binds are refused without a token', async () => {
    expect((await soakBinds()).refused).toBe(5);
  });
});
