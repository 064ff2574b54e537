/**
 * Every task's reward function (`check`) on hand-made event logs: the right answer +1, the wrong
 * ones −1, partial credit where the task gives it, and nothing before the decisive event. Pure:
 * no browser.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../envs/core/rng.js';
import { bestFlight } from '../../../../envs/browser/tasks/book-flight.js';
import { checkboxScore } from '../../../../envs/browser/tasks/click-checkboxes.js';
import { requirementReward } from '../../../../envs/browser/tasks/form-sequence.js';
import { BUILTIN_TASKS, DEFAULT_TASK_NAMES } from '../../../../envs/browser/tasks/index.js';
import { taskInstance } from '../../../../envs/browser/tasks/instance.js';
import { arithmetic } from '../../../../envs/browser/tasks/simple-arithmetic.js';
import { transformText } from '../../../../envs/browser/tasks/text-transform.js';
import { fitsAutocomplete, suggestions } from '../../../../envs/browser/tasks/use-autocomplete.js';
import type { BrowserTask, TaskContext, TaskEvent } from '../../../../envs/browser/tasks/types.js';

const NO_CATALOG: TaskContext = {
  catalog: () => {
    throw new Error('no catalog here');
  },
};

function inst<I>(name: string, seed = 3): { task: BrowserTask<I>; i: I } {
  const task = BUILTIN_TASKS[name] as BrowserTask<I>;
  return { task, i: taskInstance(task, seed, NO_CATALOG) };
}

const click = (key: string): TaskEvent => ({ type: 'click', key });
const submit = (values: Record<string, unknown>, form = 'form'): TaskEvent => ({ type: 'submit', form, values });
const reward = (task: BrowserTask, i: unknown, events: TaskEvent[]) => {
  const c = task.check(i, events, NO_CATALOG);
  return c.done ? c.reward : null;
};

describe('pure helpers', () => {
  it("checkboxScore is MiniWoB's Σ(±1)/n", () => {
    expect(checkboxScore([true, false, true, false], [true, false, true, false])).toBe(1);
    expect(checkboxScore([true, true, true, false], [true, false, true, false])).toBe(0.5);
    expect(checkboxScore([false, false, false, false], [true, false, true, false])).toBe(0);
    expect(checkboxScore([false, true, false, true], [true, false, true, false])).toBe(-1);
  });
  it('requirementReward is 2·met/asked − 1', () => {
    expect(requirementReward(3, 3)).toBe(1);
    expect(requirementReward(2, 3)).toBeCloseTo(1 / 3, 12);
    expect(requirementReward(1, 2)).toBe(0);
    expect(requirementReward(0, 2)).toBe(-1);
  });
  it('bestFlight picks the cheapest or the shortest', () => {
    const fs = [
      { depart: '08:00', minutes: 300, price: 120 },
      { depart: '09:00', minutes: 150, price: 300 },
      { depart: '10:00', minutes: 200, price: 99 },
    ];
    expect(bestFlight(fs, 'cheapest')).toBe(2);
    expect(bestFlight(fs, 'shortest')).toBe(1);
  });
  it('transformText, arithmetic and fitsAutocomplete', () => {
    expect(transformText('river STONE', 'upper case')).toBe('RIVER STONE');
    expect(transformText('river STONE', 'lower case')).toBe('river stone');
    expect(transformText('abc de', 'reverse order')).toBe('ed cba');
    expect(transformText('river STONE', 'capitalised')).toBe('River Stone');
    expect(arithmetic(7, '-', 9)).toBe(-2);
    expect(arithmetic(7, '×', 9)).toBe(63);
    expect(fitsAutocomplete('Germany', 'Ge', 'ny')).toBe(true);
    expect(fitsAutocomplete('Georgia', 'Ge', 'ny')).toBe(false);
    expect(fitsAutocomplete('Gexxny', 'Ge', 'ny')).toBe(false);
    expect(fitsAutocomplete('Ghana', 'gh', null)).toBe(true);
    expect(suggestions('Ma')).toHaveLength(8);
    expect(suggestions('')).toEqual([]);
  });

  it('use-autocomplete: the answer is always among the suggestions the prefix shows', () => {
    const task = BUILTIN_TASKS['use-autocomplete'] as BrowserTask<{ prefix: string; answer: string }>;
    for (let seed = 0; seed < 300; seed++) {
      const i = taskInstance(task, seed, NO_CATALOG);
      expect(suggestions(i.prefix), `seed ${seed}`).toContain(i.answer);
    }
  });
});

describe('every task', () => {
  for (const name of DEFAULT_TASK_NAMES) {
    it(`${name}: seeded, with a goal, a page and nothing decided before any event`, () => {
      const task = BUILTIN_TASKS[name]!;
      const a = taskInstance(task, 11, NO_CATALOG);
      expect(taskInstance(task, 11, NO_CATALOG)).toEqual(a);
      expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      const goals = new Set(Array.from({ length: 8 }, (_, s) => task.goal(taskInstance(task, s, NO_CATALOG))));
      expect(goals.size).toBeGreaterThan(name === 'copy-paste' || name === 'simple-arithmetic' || name === 'guess-number' ? 0 : 1);
      const page = task.serve(a, { path: '/', query: {}, method: 'GET', url: '/' }, NO_CATALOG);
      expect(page?.status).toBe(200);
      expect(page?.body).toMatch(/^<!doctype html>/);
      expect(task.serve(a, { path: '/elsewhere', query: {}, method: 'GET', url: '/elsewhere' }, NO_CATALOG)).toBeNull();
      expect(task.check(a, [], NO_CATALOG)).toEqual({ done: false, reward: 0, components: {} });
      expect(task.maxTimeMs).toBeGreaterThan(0);
    });
  }
});

describe('task rewards', () => {
  it('click-button: the named button +1, another −1, other clicks ignored', () => {
    const { task, i } = inst<{ buttons: string[]; target: number }>('click-button');
    const other = (i.target + 1) % i.buttons.length;
    expect(reward(task, i, [click(`b${i.target}`)])).toBe(1);
    expect(reward(task, i, [click(`b${other}`)])).toBe(-1);
    expect(reward(task, i, [click('zzz')])).toBeNull();
  });

  it('click-button-sequence: first then second +1, out of order −1', () => {
    const { task, i } = inst<{ first: number; second: number; buttons: string[] }>('click-button-sequence');
    const f = `b${i.first}`;
    const s = `b${i.second}`;
    expect(reward(task, i, [click(f), click(s)])).toBe(1);
    expect(reward(task, i, [click(f), click(f), click(s)])).toBe(1);
    expect(reward(task, i, [click(s)])).toBe(-1);
    expect(reward(task, i, [click(f)])).toBeNull();
  });

  it('click-link / click-tab / click-collapsible / click-menu / click-dialog: the right key +1, another −1', () => {
    const link = inst<{ links: number[]; target: number }>('click-link');
    expect(reward(link.task, link.i, [click(`l${link.i.target}`)])).toBe(1);
    expect(reward(link.task, link.i, [click(`l${link.i.links.find((k) => k !== link.i.target)}`)])).toBe(-1);
    const tab = inst<{ tab: number; link: number }>('click-tab');
    expect(reward(tab.task, tab.i, [click(`l${tab.i.tab}-${tab.i.link}`)])).toBe(1);
    expect(reward(tab.task, tab.i, [click(`l0-${(tab.i.link + 1) % 3}`)])).toBe(-1);
    const col = inst<{ section: number; link: number }>('click-collapsible');
    expect(reward(col.task, col.i, [click(`l${col.i.section}-${col.i.link}`)])).toBe(1);
    expect(reward(col.task, col.i, [click(`l${col.i.section}-${(col.i.link + 1) % 3}`)])).toBe(-1);
    const menu = inst<{ menu: number; item: number }>('click-menu');
    expect(reward(menu.task, menu.i, [click(`i${menu.i.menu}-${menu.i.item}`)])).toBe(1);
    expect(reward(menu.task, menu.i, [click(`i${menu.i.menu}-${(menu.i.item + 1) % 3}`)])).toBe(-1);
    const dlg = inst<{ target: number; buttons: string[] }>('click-dialog');
    expect(reward(dlg.task, dlg.i, [click(`d${dlg.i.target}`)])).toBe(1);
    expect(reward(dlg.task, dlg.i, [click(`d${(dlg.i.target + 1) % dlg.i.buttons.length}`)])).toBe(dlg.i.buttons.length > 1 ? -1 : 1);
  });

  it('click-checkboxes: partial credit per box, success only all right', () => {
    const { task, i } = inst<{ boxes: string[]; targets: number[] }>('click-checkboxes', 5);
    const right = Object.fromEntries(i.boxes.map((_, k) => [`c${k}`, i.targets.includes(k)]));
    expect(reward(task, i, [submit(right)])).toBe(1);
    const oneWrong = { ...right, c0: !right.c0 };
    expect(reward(task, i, [submit(oneWrong)])).toBeCloseTo((i.boxes.length - 2) / i.boxes.length, 12);
    const c = task.check(i, [submit(oneWrong)], NO_CATALOG);
    expect(c.components).toEqual({ rightBoxes: i.boxes.length - 1, boxes: i.boxes.length });
  });

  it('click-option, choose-list, enter-text, enter-date, copy-paste, read-table, text-transform, simple-arithmetic: exact answer +1, else −1', () => {
    const opt = inst<{ options: string[]; target: number }>('click-option');
    expect(reward(opt.task, opt.i, [submit({ choice: opt.i.options[opt.i.target] })])).toBe(1);
    expect(reward(opt.task, opt.i, [submit({ choice: null })])).toBe(-1);
    const list = inst<{ items: string[]; target: number }>('choose-list');
    expect(reward(list.task, list.i, [submit({ item: list.i.items[list.i.target] })])).toBe(1);
    expect(reward(list.task, list.i, [submit({ item: '' })])).toBe(-1);
    const text = inst<{ target: string }>('enter-text');
    expect(reward(text.task, text.i, [submit({ text: text.i.target })])).toBe(1);
    expect(reward(text.task, text.i, [submit({ text: `${text.i.target} ` })])).toBe(-1);
    const date = inst<{ y: number; m: number; d: number }>('enter-date');
    const iso = `${date.i.y}-${String(date.i.m).padStart(2, '0')}-${String(date.i.d).padStart(2, '0')}`;
    expect(reward(date.task, date.i, [submit({ date: iso })])).toBe(1);
    expect(reward(date.task, date.i, [submit({ date: '' })])).toBe(-1);
    const copy = inst<{ text: string; notes: string[] }>('copy-paste');
    expect(reward(copy.task, copy.i, [submit({ answer: copy.i.text })])).toBe(1);
    expect(reward(copy.task, copy.i, [submit({ answer: copy.i.notes[0] })])).toBe(-1);
    const table = inst<{ rows: [string, string][]; target: number }>('read-table');
    expect(reward(table.task, table.i, [submit({ answer: table.i.rows[table.i.target]![1] })])).toBe(1);
    const tt = inst<{ shown: string; transform: 'upper case' }>('text-transform');
    expect(reward(tt.task, tt.i, [submit({ answer: transformText(tt.i.shown, tt.i.transform) })])).toBe(1);
    const ar = inst<{ a: number; b: number; op: '+' }>('simple-arithmetic');
    expect(reward(ar.task, ar.i, [submit({ answer: String(arithmetic(ar.i.a, ar.i.op, ar.i.b)) })])).toBe(1);
    expect(reward(ar.task, ar.i, [submit({ answer: String(arithmetic(ar.i.a, ar.i.op, ar.i.b) + 1) })])).toBe(-1);
  });

  it('enter-password needs both fields; login-user gives 0 for one of two', () => {
    const pw = inst<{ password: string }>('enter-password');
    expect(reward(pw.task, pw.i, [submit({ password: pw.i.password, verify: pw.i.password })])).toBe(1);
    expect(reward(pw.task, pw.i, [submit({ password: pw.i.password, verify: '' })])).toBe(-1);
    const login = inst<{ username: string; password: string }>('login-user');
    expect(reward(login.task, login.i, [submit({ username: login.i.username, password: login.i.password })])).toBe(1);
    expect(reward(login.task, login.i, [submit({ username: login.i.username, password: 'x' })])).toBe(0);
    expect(reward(login.task, login.i, [submit({ username: 'x', password: 'y' })])).toBe(-1);
  });

  it('widgets: focus-text, click-widget, choose-date, use-slider, use-spinner, use-autocomplete, navigate-tree', () => {
    const focus = inst<{ labels: string[]; target: number }>('focus-text', 4);
    expect(reward(focus.task, focus.i, [{ type: 'focus', key: `t${focus.i.target}` }])).toBe(1);
    if (focus.i.labels.length > 1) expect(reward(focus.task, focus.i, [{ type: 'focus', key: `t${(focus.i.target + 1) % focus.i.labels.length}` }])).toBe(-1);
    const widget = inst<{ widgets: { kind: string }[]; target: string }>('click-widget');
    const k = widget.i.widgets.findIndex((w) => w.kind === widget.i.target);
    expect(reward(widget.task, widget.i, [click(`w${k}-${widget.i.target}`)])).toBe(1);
    const other = widget.i.widgets.findIndex((w) => w.kind !== widget.i.target);
    expect(reward(widget.task, widget.i, [click(`w${other}-${widget.i.widgets[other]!.kind}`)])).toBe(-1);
    const cal = inst<{ y: number; m: number; d: number }>('choose-date');
    const us = `${String(cal.i.m).padStart(2, '0')}/${String(cal.i.d).padStart(2, '0')}/${cal.i.y}`;
    expect(reward(cal.task, cal.i, [submit({ date: us })])).toBe(1);
    expect(reward(cal.task, cal.i, [submit({ date: '' })])).toBe(-1);
    const slider = inst<{ target: number }>('use-slider');
    expect(reward(slider.task, slider.i, [submit({ value: String(slider.i.target) })])).toBe(1);
    expect(reward(slider.task, slider.i, [submit({ value: String(slider.i.target + 1) })])).toBe(-1);
    const spin = inst<{ target: number }>('use-spinner');
    expect(reward(spin.task, spin.i, [submit({ value: String(spin.i.target) })])).toBe(1);
    const auto = inst<{ answer: string }>('use-autocomplete');
    expect(reward(auto.task, auto.i, [submit({ item: auto.i.answer })])).toBe(1);
    expect(reward(auto.task, auto.i, [submit({ item: 'Atlantis' })])).toBe(-1);
    const tree = inst<{ path: string[] }>('navigate-tree');
    expect(reward(tree.task, tree.i, [click(`f:${tree.i.path.at(-1)}`)])).toBe(1);
    expect(reward(tree.task, tree.i, [click('f:not-it.txt')])).toBe(-1);
  });

  it('search-engine: the right result of the right query +1; a decoy or another rank −1', () => {
    const { task, i } = inst<{ target: number }>('search-engine');
    expect(reward(task, i, [click(`r${i.target}`)])).toBe(1);
    expect(reward(task, i, [click(`r${(i.target + 1) % 9}`)])).toBe(-1);
    expect(reward(task, i, [click(`x${i.target}`)])).toBe(-1);
    expect(task.check(i, [click(`x${i.target}`)], NO_CATALOG).components).toEqual({ correct: 0, rightQuery: 0 });
  });

  it('email-inbox: the requested operation on the right message +1, partial or wrong otherwise', () => {
    const email = (e: Record<string, unknown>): TaskEvent => ({ type: 'email', ...e });
    const fwd = inst<{ target: number; to: string }>('email-inbox-forward');
    const t = fwd.i.target;
    expect(reward(fwd.task, fwd.i, [email({ op: 'send', mode: 'forward', of: t, to: fwd.i.to, body: '' })])).toBe(1);
    expect(reward(fwd.task, fwd.i, [email({ op: 'send', mode: 'forward', of: t, to: 'Nobody', body: '' })])).toBe(0);
    expect(reward(fwd.task, fwd.i, [email({ op: 'send', mode: 'forward', of: t + 1, to: fwd.i.to, body: '' })])).toBe(-1);
    expect(reward(fwd.task, fwd.i, [email({ op: 'star', of: t, on: true })])).toBeNull();
    const rep = inst<{ target: number; text: string }>('email-inbox-reply');
    expect(reward(rep.task, rep.i, [email({ op: 'send', mode: 'reply', of: rep.i.target, to: 'x', body: rep.i.text })])).toBe(1);
    expect(reward(rep.task, rep.i, [email({ op: 'send', mode: 'reply', of: rep.i.target, to: 'x', body: 'hello' })])).toBe(0);
    const del = inst<{ target: number }>('email-inbox-delete');
    expect(reward(del.task, del.i, [email({ op: 'delete', of: del.i.target })])).toBe(1);
    expect(reward(del.task, del.i, [email({ op: 'delete', of: del.i.target + 1 })])).toBe(-1);
    const star = inst<{ target: number }>('email-inbox-star');
    expect(reward(star.task, star.i, [email({ op: 'star', of: star.i.target, on: false })])).toBeNull();
    expect(reward(star.task, star.i, [email({ op: 'star', of: star.i.target, on: true })])).toBe(1);
  });

  it('book-flight: the best flight +1, another real flight 0 (partial), a made-up one −1', () => {
    const { task, i } = inst<{ flights: { price: number; minutes: number; depart: string }[]; criterion: 'cheapest' | 'shortest' }>('book-flight');
    const best = bestFlight(i.flights, i.criterion);
    expect(reward(task, i, [click(`f${best}`)])).toBe(1);
    expect(reward(task, i, [click(`f${(best + 1) % i.flights.length}`)])).toBe(0);
    expect(reward(task, i, [click('x0')])).toBe(-1);
  });

  it('social-media, form-sequence, multi-layouts, guess-number', () => {
    const sm = inst<{ target: number; action: string }>('social-media');
    expect(reward(sm.task, sm.i, [click(`p${sm.i.target}-${sm.i.action}`)])).toBe(1);
    expect(reward(sm.task, sm.i, [click(`p${sm.i.target + 1}-${sm.i.action}`)])).toBe(-1);
    const fs = inst<{ box: number | null; option: string | null; text: string | null }>('form-sequence', 7);
    const all: Record<string, unknown> = { option: fs.i.option ?? '', text: fs.i.text ?? '' };
    if (fs.i.box !== null) all[`c${fs.i.box}`] = true;
    expect(reward(fs.task, fs.i, [submit(all)])).toBe(1);
    const asked = [fs.i.box, fs.i.option, fs.i.text].filter((x) => x !== null).length;
    expect(reward(fs.task, fs.i, [submit({})])).toBe(-1);
    expect(fs.task.check(fs.i, [submit({})], NO_CATALOG).components).toEqual({ met: 0, asked });
    const ml = inst<{ values: Record<string, string> }>('multi-layouts');
    expect(reward(ml.task, ml.i, [submit(ml.i.values)])).toBe(1);
    expect(reward(ml.task, ml.i, [submit({ ...ml.i.values, email: 'x' })])).toBeCloseTo(1 / 3, 12);
    const g = inst<{ answer: number }>('guess-number');
    const wrong = String((g.i.answer + 1) % 10);
    expect(reward(g.task, g.i, [submit({ guess: wrong })])).toBeNull();
    expect(reward(g.task, g.i, [submit({ guess: wrong }), submit({ guess: String(g.i.answer) })])).toBe(1);
    expect(g.task.check(g.i, [submit({ guess: wrong }), submit({ guess: String(g.i.answer) })], NO_CATALOG).components).toEqual({ guesses: 2 });
  });

  it('fill values come from the goal (or, for answers on the page, from the page among distractors)', () => {
    const text = inst<{ target: string }>('enter-text');
    expect(text.task.fillValues(text.i)).toEqual([text.i.target]);
    expect(text.task.goal(text.i)).toContain(`"${text.i.target}"`);
    const ar = inst<{ a: number; b: number; op: '+'; choices: number[] }>('simple-arithmetic');
    expect(ar.task.fillValues(ar.i)).toContain(String(arithmetic(ar.i.a, ar.i.op, ar.i.b)));
    expect(ar.task.fillValues(ar.i).length).toBe(5);
    for (const name of DEFAULT_TASK_NAMES) {
      const t = BUILTIN_TASKS[name]!;
      const vals = t.fillValues(taskInstance(t, 2, NO_CATALOG));
      expect(new Set(vals).size, name).toBe(vals.length);
    }
  });

  it('instances differ by seed: the suite is not a fixed page', () => {
    const rng = new Rng(1);
    for (const name of DEFAULT_TASK_NAMES) {
      const t = BUILTIN_TASKS[name]!;
      const seen = new Set(Array.from({ length: 6 }, () => JSON.stringify(taskInstance(t, rng.int(1000), NO_CATALOG))));
      expect(seen.size, name).toBeGreaterThan(1);
    }
  });
});
