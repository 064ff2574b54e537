/**
 * enter-date: type the goal's date into a date field (its ISO form, YYYY-MM-DD, as date inputs
 * take) and press Submit. The right date +1, anything else −1. The fill values are the goal's date
 * and, when it differs, the date with day and month swapped (a reading test).
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { isoDate, usDate } from './vocab.js';

interface Instance {
  y: number;
  m: number;
  d: number;
}

export const enterDate: BrowserTask<Instance> = {
  name: 'enter-date',
  description: 'type a date into a date field and submit',
  maxTimeMs: 15_000,
  generate(rng) {
    return { y: rng.range(1995, 2030), m: rng.range(1, 12), d: rng.range(1, 28) };
  },
  goal: (i) => `Enter the date ${usDate(i.y, i.m, i.d)} into the date field and press Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div data-form="form"><label>Date <input type="date" name="date"></label></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('enter-date', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.date) === isoDate(i.y, i.m, i.d);
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: (i) => {
    const out = [isoDate(i.y, i.m, i.d)];
    if (i.d <= 12 && i.d !== i.m) out.push(isoDate(i.y, i.d, i.m));
    return out;
  },
  solve(i, view) {
    const box = find(view, 'textbox', 'Date');
    if (!box) return NOOP;
    const want = isoDate(i.y, i.m, i.d);
    if (box.value !== want) return act.fill(box, want);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
