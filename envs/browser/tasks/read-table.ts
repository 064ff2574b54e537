/**
 * read-table: a table of attributes and values; type the value of the attribute the goal names and
 * press Submit. The right value +1, anything else −1. The fill values are the table's values.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { CITIES, COUNTRIES, FIRST_NAMES, WORDS } from './vocab.js';

interface Instance {
  rows: [string, string][];
  target: number;
}

export const readTable: BrowserTask<Instance> = {
  name: 'read-table',
  description: 'read a value from a table and type it',
  maxTimeMs: 15_000,
  generate(rng) {
    const keys = rng.sample(['Name', 'City', 'Country', 'Code', 'Colour', 'Pet', 'Year', 'Team'], rng.range(3, 6));
    const value = (k: string): string => {
      switch (k) {
        case 'Name':
          return rng.pick(FIRST_NAMES);
        case 'City':
          return rng.pick(CITIES);
        case 'Country':
          return rng.pick(COUNTRIES);
        case 'Code':
          return `${rng.pick(WORDS).slice(0, 3).toUpperCase()}-${rng.range(100, 999)}`;
        case 'Year':
          return String(rng.range(1950, 2025));
        default:
          return rng.pick(WORDS);
      }
    };
    return { rows: keys.map((k) => [k, value(k)] as [string, string]), target: rng.int(keys.length) };
  },
  goal: (i) => `Enter the value of "${i.rows[i.target]![0]}" from the table into the text field and press Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const table = `<table><tr><th>Attribute</th><th>Value</th></tr>${i.rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>`;
    return { status: 200, body: htmlPage('read-table', `${table}<div data-form="form"><label>Answer <input type="text" name="answer"></label></div><button data-submit="form">Submit</button>`) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.answer) === i.rows[i.target]![1];
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: (i) => i.rows.map(([, v]) => v),
  solve(i, view) {
    const box = find(view, 'textbox', 'Answer');
    if (!box) return NOOP;
    const want = i.rows[i.target]![1];
    if (box.value !== want) return act.fill(box, want);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
