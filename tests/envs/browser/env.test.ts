/**
 * browser-v1 in Chromium: the tree the agent reads (ids, names, states, what is left out), the
 * ids' stability, actions and their refusals, the observation options, and the lookup of Chromium.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { BrowserHost, findChromium, sharedBrowser } from '../../../envs/browser/chromium.js';
import { BrowserEnv } from '../../../envs/browser/env.js';
import { make } from '../../../envs/core/registry.js';
import type { Env, StepResult } from '../../../envs/core/types.js';
import { CHROMIUM, fixtureTask, LONG_PAGE, registerFixtureEnv, TREE_PAGE } from './fixtures.js';

const SUITE = {
  tree: fixtureTask('tree', { '/': TREE_PAGE }),
  long: fixtureTask('long', { '/': LONG_PAGE }),
  quick: fixtureTask('quick', { '/': '<!doctype html><title>quick</title><button data-key="win">Win</button>' }, { maxTimeMs: 1 }),
};
const FIXTURES = registerFixtureEnv(SUITE);

const launchesAtStart = sharedBrowser.launches;
let env: Env;

beforeAll(() => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set LUDUS_CHROMIUM.`);
  env = make(FIXTURES);
});
afterAll(async () => {
  await env?.close();
  await sharedBrowser.close();
});

function line(text: string, pattern: RegExp): string {
  const found = text.split('\n').find((l) => pattern.test(l));
  if (found === undefined) throw new Error(`no line matching ${pattern} in:\n${text}`);
  return found.trim();
}

function idOf(text: string, pattern: RegExp): string {
  return /^\[(\d+)\]/.exec(line(text, pattern))![1]!;
}

describe('lifecycle', () => {
  it('make and option validation never launch Chromium', () => {
    const e = make('browser-v1', { screenshots: 'step', tasks: ['click-button'] });
    expect(() => make('browser-v1', { tasks: ['click-buton'] })).toThrow(/unknown task\(s\) 'click-buton' \(did you mean 'click-button'\?\)/);
    expect(() => make('browser-v1', { screenshots: 'always' })).toThrow(/screenshots/);
    expect(() => make('browser-v1', { colour: 1 })).toThrow(/unknown option\(s\) 'colour'/);
    expect(sharedBrowser.launches).toBe(launchesAtStart);
    expect(sharedBrowser.current).toBeNull();
    void e.close();
  });

  it('no Chromium anywhere is a typed error naming the install commands, raised at reset', async () => {
    expect(() => findChromium({ LUDUS_CHROMIUM: '/nonexistent/chrome' })).toThrow(/LUDUS_CHROMIUM is set to '\/nonexistent\/chrome'.*apt-get install -y chromium.*npx playwright install chromium/);
    const host = new BrowserHost(() => findChromium({ LUDUS_CHROMIUM: '/nonexistent/chrome' }));
    const raw = new BrowserEnv({}, SUITE, host);
    await expect(raw.reset({ task: 'tree/train/00000' })).rejects.toMatchObject({ code: 'BROWSER_NOT_FOUND' });
    await raw.close();
    expect(findChromium({ LUDUS_CHROMIUM: CHROMIUM })).toEqual({ executablePath: CHROMIUM, source: 'LUDUS_CHROMIUM' });
  });

  it('opens at most maxConcurrentOpens contexts at a time, in arrival order', async () => {
    const host = new BrowserHost(findChromium, 50, 2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, k) =>
        host.withOpenSlot(async () => {
          order.push(k);
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 20));
          running--;
          if (k === 3) throw new Error('one open fails');
        }).catch(() => undefined),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(host.launches).toBe(0);
  });

  it('the last session out closes Chromium after a short idle delay (a finished program can exit)', async () => {
    const host = new BrowserHost(findChromium, 50);
    const a = new BrowserEnv({}, SUITE, host);
    const b = new BrowserEnv({}, SUITE, host);
    await a.reset({ task: 'quick/train/00000' });
    await b.reset({ task: 'quick/train/00000' });
    await a.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(host.current).not.toBeNull(); // b still uses it
    await b.close();
    await new Promise((r) => setTimeout(r, 600));
    expect(host.current).toBeNull();
    expect(host.launches).toBe(1);
  });

  it("the raw env's own snapshot refuses and points at make (which snapshots by replay)", async () => {
    const raw = new BrowserEnv({}, SUITE);
    await expect(raw.snapshot()).rejects.toMatchObject({ code: 'SNAPSHOT_UNSUPPORTED', message: expect.stringMatching(/make\('browser-v1'\)/) });
    await raw.close();
  });
});

describe('the tree', () => {
  it('gives every interactive element an id, with its role, name and state, and leaves hidden ones out', async () => {
    const { observation, info } = await env.reset({ task: 'tree/train/00000', seed: 1 });
    const t = observation.text;
    expect(t.startsWith("goal: Test page tree: click win.\nurl: /\nfocused: none\n\nRootWebArea 'tree'")).toBe(true);
    expect(observation.axtree).toBe(t.slice(t.indexOf('\n\n') + 2));
    expect(line(t, /heading/)).toBe("heading 'Tree test', level=1");
    expect(line(t, /'Win'/)).toMatch(/^\[\d+\] button 'Win', clickable$/);
    expect(line(t, /'Off'/)).toMatch(/^\[\d+\] button 'Off', disabled$/);
    expect(t).not.toMatch(/Hidden|Aria hidden|Invisible/);
    expect(line(t, /textbox 'Name'/)).toMatch(/^\[\d+\] textbox 'Name' value='', clickable$/);
    expect(line(t, /textbox 'Mail'/)).toMatch(/value=''/);
    expect(t).toContain("textbox 'Only placeholder'");
    expect(line(t, /'Fixed'/)).toMatch(/value='fixed', clickable, readonly$/);
    expect(line(t, /combobox 'Colour'/)).toMatch(/value='Red'/);
    expect(t).toMatch(/\t\toption 'Red', selected\n\t\toption 'Blue'/);
    expect(line(t, /checkbox 'Agree'/)).toMatch(/clickable, checked=false$/);
    // Interactive without being a control: a click listener, cursor:pointer, contenteditable, tabindex.
    expect(line(t, /div with a click listener/)).toMatch(/^\[\d+\] generic 'div with a click listener', clickable$/);
    expect(line(t, /pointer span/)).toMatch(/^\[\d+\] generic 'pointer span with bold', clickable$/);
    expect(line(t, /'Notes'/)).toMatch(/^\[\d+\] textbox 'Notes' value='editable', clickable$/);
    expect(line(t, /focusable div/)).toMatch(/^\[\d+\] generic 'focusable div', clickable$/);
    expect(t).toMatch(/StaticText 'Plain'\n\t+StaticText 'text'\n\t+StaticText 'here\.'/);
    // The button under the cover is listed, marked covered, and offered no action.
    const under = idOf(t, /'Under'/);
    expect(line(t, /'Under'/)).toMatch(/covered$/);
    expect(observation.actions.some((a) => a.includes(`"${under}"`))).toBe(false);
    expect(info.blocked).toEqual({ total: 0 });
    expect(info.task).toMatchObject({ id: 'tree/train/00000', type: 'tree', split: 'train' });
  });

  it('keeps ids across steps: old elements keep theirs, new ones get new ids', async () => {
    const { observation } = await env.reset({ task: 'tree/train/00000', seed: 1 });
    const before = observation.text;
    const grow = idOf(before, /'Grow'/);
    const maxBefore = Math.max(...[...before.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    const step = await env.step(`click("${grow}")`);
    const after = step.observation.text;
    expect(idOf(after, /'Grow'/)).toBe(grow);
    expect(idOf(after, /'Win'/)).toBe(idOf(before, /'Win'/));
    expect(Number(idOf(after, /button 'New'/))).toBe(maxBefore + 1);
    expect(line(after, /'Grow'/)).toMatch(/focused$/);
    expect(step.info.focusedId).toBe(Number(grow));
    expect(step.observation.anchor).not.toMatch(/\[\d+\]/);
  });

  it('fills, selects, checks and presses through the ids', async () => {
    const { observation } = await env.reset({ task: 'tree/train/00000', seed: 2 });
    const t = observation.text;
    let r = await env.step(`fill("${idOf(t, /textbox 'Name'/)}", "Ada")`);
    expect(line(r.observation.text, /textbox 'Name'/)).toMatch(/value='Ada', clickable, focused/);
    expect(r.info.canonicalAction).toBe(`fill("${idOf(t, /textbox 'Name'/)}", "Ada")`);
    r = await env.step(`select_option("${idOf(t, /combobox 'Colour'/)}", "Blue")`);
    expect(line(r.observation.text, /combobox 'Colour'/)).toMatch(/value='Blue'/);
    r = await env.step(`check("${idOf(t, /checkbox 'Agree'/)}")`);
    expect(line(r.observation.text, /checkbox 'Agree'/)).toMatch(/checked=true/);
    expect(r.observation.actions).toContain(`uncheck("${idOf(t, /checkbox 'Agree'/)}") # checkbox 'Agree'`);
    r = await env.step(`fill("${idOf(t, /textbox 'When'/)}", "2024-03-14")`);
    expect(line(r.observation.text, /textbox 'When'/)).toMatch(/value='2024-03-14'/);
    await env.step(`press("${idOf(t, /textbox 'Name'/)}", "End")`);
    r = await env.step(`press("${idOf(t, /textbox 'Name'/)}", "Backspace")`);
    expect(line(r.observation.text, /textbox 'Name'/)).toMatch(/value='Ad'/);
    expect(r.info.invalid).toBeUndefined();
  });

  it('scrolls long pages and offers scroll only where the page can go', async () => {
    const { observation } = await env.reset({ task: 'long/train/00000', seed: 0 });
    expect(observation.actions).toContain('scroll(0, 300)');
    expect(observation.actions).not.toContain('scroll(0, -300)');
    const r = await env.step('scroll(0, 300)');
    expect(r.observation.actions).toContain('scroll(0, -300)');
    const win = await env.step(`click("${idOf(r.observation.text, /'Far below'/)}")`);
    expect(win).toMatchObject({ reward: 1, terminated: true, info: { success: true } });
  });
});

describe('refusals are info.invalid, with no browser call', () => {
  let t: string;
  const invalid = async (action: string) => {
    const r = await env.step(action);
    expect(r.terminated || r.truncated).toBe(false);
    return r;
  };
  beforeAll(async () => {
    t = (await env.reset({ task: 'tree/train/00000', seed: 3 })).observation.text;
  });

  it('an unknown id is UNKNOWN_OBJECT and lists the ids there are', async () => {
    const r = await invalid('click("9999")');
    expect(r.info.invalid).toMatchObject({ code: 'UNKNOWN_OBJECT', message: expect.stringMatching(/no element \[9999\].*ids here: 1, 2/) });
    expect(r.observation.text).toMatch(/^goal: .*\nurl: \/\nfocused: none\nerror: There is no element \[9999\]/);
    expect(r.info.lastActionError).toMatch(/no element \[9999\]/);
  });

  it('a wrong kind of element, a disabled or covered one, a missing option are NOT_ADMISSIBLE', async () => {
    expect((await invalid(`fill("${idOf(t, /'Win'/)}", "x")`)).info.invalid).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/does not take text/) });
    expect((await invalid(`click("${idOf(t, /'Off'/)}")`)).info.invalid!.message).toMatch(/is disabled/);
    expect((await invalid(`click("${idOf(t, /'Under'/)}")`)).info.invalid!.message).toMatch(/covered by another element/);
    expect((await invalid(`fill("${idOf(t, /'Fixed'/)}", "x")`)).info.invalid!.message).toMatch(/read-only/);
    expect((await invalid(`fill("${idOf(t, /textbox 'When'/)}", "03/14/2024")`)).info.invalid!.message).toMatch(/YYYY-MM-DD/);
    const sel = await invalid(`select_option("${idOf(t, /combobox 'Colour'/)}", "Green")`);
    expect(sel.info.invalid).toMatchObject({ code: 'NOT_ADMISSIBLE', message: expect.stringMatching(/no option 'Green' \(options: Red, Blue\)/) });
    expect(sel.info.invalid!.suggestions).toContain(`select_option("${idOf(t, /combobox 'Colour'/)}", "Blue")`);
    expect((await invalid(`check("${idOf(t, /'Win'/)}")`)).info.invalid!.message).toMatch(/not a checkbox/);
  });

  it('a malformed call is PARSE_ERROR with the repaired call first', async () => {
    const id = idOf(t, /'Win'/);
    const r = await invalid(`click(${id})`);
    expect(r.info.invalid).toMatchObject({ code: 'PARSE_ERROR' });
    expect(r.info.invalid!.suggestions[0]).toBe(`click("${id}") # button 'Win'`);
  });
});

describe('observation options', () => {
  it("screenshots: 'step' gives a PNG every observation (reused on invalid steps), 'end' only at the end", async () => {
    const png = (s: string | undefined) => Buffer.from(s ?? '', 'base64').subarray(0, 8).toString('hex');
    const stepEnv = make(FIXTURES, { screenshots: 'step', html: true });
    const r = await stepEnv.reset({ task: 'quick/train/00000' });
    expect(png(r.observation.screenshot)).toBe('89504e470d0a1a0a');
    expect(r.observation.html).toMatch(/<button data-key="win"[^>]*>Win<\/button>/);
    const inv = await stepEnv.step('click("77")');
    expect(inv.observation.screenshot).toBe(r.observation.screenshot);
    await stepEnv.close();
    const endEnv = make(FIXTURES, { screenshots: 'end' });
    const r2 = await endEnv.reset({ task: 'quick/train/00000' });
    expect(r2.observation.screenshot).toBeUndefined();
    expect((await endEnv.step('noop()')).observation.screenshot).toBeUndefined();
    const last: StepResult = await endEnv.step('click("1")');
    expect(last.terminated).toBe(true);
    expect(png(last.observation.screenshot)).toBe('89504e470d0a1a0a');
    await endEnv.close();
  });

  it('timeDecay scales a success by the time left (success stays a success); off by default', async () => {
    const decayed = make(FIXTURES, { timeDecay: true });
    await decayed.reset({ task: 'quick/train/00000' });
    const r = await decayed.step('click("1")');
    expect(r).toMatchObject({ reward: 0, terminated: true, info: { success: true, rewardComponents: { raw: 1, timeFactor: 0 } } });
    await decayed.close();
    await env.reset({ task: 'quick/train/00000' });
    expect(await env.step('click("1")')).toMatchObject({ reward: 1, info: { success: true, rewardComponents: { raw: 1 } } });
  });
});
