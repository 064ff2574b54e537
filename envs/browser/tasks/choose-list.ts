/**
 * choose-list: pick the named item from a drop-down list and press Submit. The right item +1,
 * anything else −1.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { COUNTRIES } from './vocab.js';

interface Instance {
  items: string[];
  target: number;
}

export const chooseList: BrowserTask<Instance> = {
  name: 'choose-list',
  description: 'select a named item from a drop-down list and submit',
  maxTimeMs: 10_000,
  generate(rng) {
    const items = rng.sample(COUNTRIES, rng.range(4, 10));
    return { items, target: rng.int(items.length) };
  },
  goal: (i) => `Select ${i.items[i.target]} from the list and click Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const options = i.items.map((it) => `<option>${esc(it)}</option>`).join('');
    const body = `<div data-form="form"><label>Country <select name="item"><option value="">Choose one</option>${options}</select></label></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('choose-list', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.item) === i.items[i.target];
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const list = find(view, 'combobox');
    if (!list) return NOOP;
    const want = i.items[i.target] as string;
    if (list.value !== want) return act.select(list, want);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
