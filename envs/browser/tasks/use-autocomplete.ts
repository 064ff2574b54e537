/**
 * use-autocomplete: type into a field that suggests matching countries, pick one that starts
 * (and, in some instances, ends) with the given letters, and press Submit. A submitted country
 * that fits +1, anything else −1.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage, jsValue } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { COUNTRIES } from './vocab.js';

interface Instance {
  prefix: string;
  suffix: string | null;
  /** A country that fits (the expert's pick). */
  answer: string;
}

const SCRIPT = `(() => {
const ITEMS = ITEMS_JSON;
const box = document.getElementById('tags');
const list = document.getElementById('suggestions');
box.addEventListener('input', () => {
  list.textContent = '';
  const q = box.value.toLowerCase();
  if (q.length === 0) return;
  for (const item of ITEMS.filter((x) => x.toLowerCase().startsWith(q)).slice(0, SHOWN_NUM)) {
    const li = document.createElement('li');
    li.setAttribute('role', 'option');
    li.textContent = item;
    li.addEventListener('click', () => { box.value = item; list.textContent = ''; });
    list.appendChild(li);
  }
});
})();`;

/** What the field suggests for typed text (the page's rule): the first 8 countries starting with it. */
export function suggestions(typed: string): string[] {
  const q = typed.toLowerCase();
  return q.length === 0 ? [] : COUNTRIES.filter((x) => x.toLowerCase().startsWith(q)).slice(0, SHOWN);
}

const SHOWN = 8;

export function fitsAutocomplete(value: string, prefix: string, suffix: string | null): boolean {
  const v = value.toLowerCase();
  return COUNTRIES.includes(value) && v.startsWith(prefix.toLowerCase()) && (suffix === null || v.endsWith(suffix.toLowerCase()));
}

export const useAutocomplete: BrowserTask<Instance> = {
  name: 'use-autocomplete',
  description: 'type a prefix into an autocomplete field, pick a fitting suggestion, submit',
  maxTimeMs: 10_000,
  generate(rng) {
    const answer = rng.pick(COUNTRIES);
    const withSuffix = rng.bool(0.6);
    // The prefix is long enough for the answer to be among the suggestions shown.
    let prefix = answer.slice(0, rng.range(1, 3));
    while (suggestions(prefix).indexOf(answer) < 0) prefix = answer.slice(0, prefix.length + 1);
    const suffix = withSuffix ? answer.slice(-rng.range(1, 2)) : null;
    return { prefix, suffix, answer };
  },
  goal: (i) => (i.suffix === null ? `Enter an item that starts with "${i.prefix}" and click Submit.` : `Enter an item that starts with "${i.prefix}" and ends with "${i.suffix}", then click Submit.`),
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div data-form="form"><label>Country <input type="text" id="tags" name="item" autocomplete="off"></label><ul id="suggestions" role="listbox" aria-label="Suggestions"></ul></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('use-autocomplete', body, { script: SCRIPT.replace('ITEMS_JSON', jsValue(COUNTRIES)).replace('SHOWN_NUM', String(SHOWN)), style: '#suggestions li{cursor:pointer;list-style:none;padding:1px 4px}' }) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = fitsAutocomplete(str(v.item), i.prefix, i.suffix);
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: (i) => [i.prefix],
  solve(i, view) {
    const box = find(view, 'textbox', 'Country');
    if (!box) return NOOP;
    if (fitsAutocomplete(box.value ?? '', i.prefix, i.suffix)) {
      const submit = find(view, 'button', 'Submit');
      return submit ? act.click(submit) : NOOP;
    }
    const option = find(view, 'option', i.answer) ?? find(view, 'option', (name) => fitsAutocomplete(name, i.prefix, i.suffix));
    if (option) return act.click(option);
    return act.fill(box, i.prefix);
  },
};
