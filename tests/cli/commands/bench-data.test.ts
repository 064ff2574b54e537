/**
 * `ludus bench-data check PATH`: the data set found, what loads, what does not (with reasons),
 * and the exit codes (0 all, 3 some left out, 1 nothing loadable), on the test fixtures.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedBrowser } from '../../../envs/browser/chromium.js';
import { runCli } from '../helpers.js';

const tmp: string[] = [];
function copyOf(dir: string): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ludus-benchdata-'));
  tmp.push(d);
  cpSync(path.resolve(dir), d, { recursive: true });
  return d;
}
afterAll(async () => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
  await sharedBrowser.close();
});

describe('ludus bench-data check', () => {
  it('WebShop: products, goals and splits, the index, what WebShop itself skips (exit 3)', async () => {
    const dir = copyOf('tests/fixtures/webshop');
    const r = await runCli(['bench-data', 'check', dir]);
    expect(r.out[0]).toBe(`webshop: ${dir}`);
    expect(r.out).toContain(`  loads: products: 8 from ${path.join(dir, 'items_shuffle_fixture.json')}`);
    expect(r.out.some((l) => l.startsWith('  loads: human goals: 8 (test 8, eval 0, train 0)'))).toBe(true);
    expect(r.out).toContain('  left out (1): B0GONE0009: human instruction for a product not in this product file');
    expect(r.exitCode).toBe(3);
    const again = await runCli(['bench-data', 'check', dir, '--json']);
    expect(JSON.parse(again.out.join('\n')).detail.reused).toBe(true);
  });
  it('ALFWorld: playable games per split and type, and each game left out with its reason', async () => {
    const r = await runCli(['bench-data', 'check', 'tests/fixtures/alfworld/json_2.1.1']);
    expect(r.out).toContain('  loads: valid_unseen: 3 of 3 games playable (look_at_obj_in_light 1, pick_and_place 1, pick_heat_then_place 1)');
    expect(r.out).toContain('  loads: valid_seen: 1 of 2 games playable (pick_cool_then_place 1)');
    expect(r.out).toContain("  left out: valid_seen/pick_clean_then_place_in_recep-Fork-None-Drawer-10/trial_T20190907_000006_000001: PDDL predicate 'levitating' is not in ALFWorld's domain as this loader knows it");
    expect(r.exitCode).toBe(3);
    const one = await runCli(['bench-data', 'check', 'tests/fixtures/alfworld/json_2.1.1/valid_unseen']);
    expect(one.out.at(-1)).toBe('everything found loads');
    expect(one.exitCode).toBe(0);
  });
  it('task pages: each page started once in Chromium', async () => {
    const r = await runCli(['bench-data', 'check', 'tests/fixtures/miniwob']);
    expect(r.out[1]).toBe('  loads: 3 task pages: press-button, tick-boxes, type-word');
    expect(r.out).toContain('  left out: miniwob/not-a-task.html: it does not load core.js (MiniWoB task pages load ../core/core.js)');
    expect(r.exitCode).toBe(3);
  });
  it('nothing there, or nothing known: exit 1 with what to pass', async () => {
    const missing = await runCli(['bench-data', 'check', '/nonexistent/data']);
    expect(missing.err[0]).toMatch(/^error \[DATA_MISSING\]: Nothing at \/nonexistent\/data: pass WebShop's data directory/);
    expect(missing.exitCode).toBe(1);
    const unknown = await runCli(['bench-data', 'check', 'tests/fixtures']);
    expect(unknown.err[0]).toMatch(/holds no benchmark data this ludus knows/);
    expect(unknown.exitCode).toBe(1);
  });
});
