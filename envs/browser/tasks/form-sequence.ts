/**
 * form-sequence: a form with checkboxes, a drop-down and a text field; do the two or three things
 * the goal lists, in one form, then press Submit. The reward is 2·(requirements met)/(requirements)
 * − 1: all met +1 (success), half met 0, none −1 — partial credit in between.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage, ordinal } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, findAll, NOOP } from './view.js';
import { COUNTRIES, WORDS } from './vocab.js';

interface Instance {
  boxes: string[];
  options: string[];
  /** Required: the box index to tick, the option to select, the text to type (null: not asked). */
  box: number | null;
  option: string | null;
  text: string | null;
}

/** Fraction of the asked requirements met → reward in [−1, 1]. */
export function requirementReward(met: number, asked: number): number {
  return asked === 0 ? 1 : (2 * met) / asked - 1;
}

export const formSequence: BrowserTask<Instance> = {
  name: 'form-sequence',
  description: 'tick a box, pick a list item and type a word in one form, then submit (partial credit)',
  maxTimeMs: 20_000,
  generate(rng) {
    const boxes = rng.sample(WORDS, 3);
    const options = rng.sample(COUNTRIES, 4);
    const asked = rng.sample(['box', 'option', 'text'] as const, rng.range(2, 3));
    return {
      boxes,
      options,
      box: asked.includes('box') ? rng.int(3) : null,
      option: asked.includes('option') ? rng.pick(options) : null,
      text: asked.includes('text') ? rng.pick(WORDS) : null,
    };
  },
  goal(i) {
    const parts: string[] = [];
    if (i.box !== null) parts.push(`check the ${ordinal(i.box)} checkbox`);
    if (i.option !== null) parts.push(`select ${i.option} from the list`);
    if (i.text !== null) parts.push(`enter "${i.text}" in the text field`);
    const s = `${parts.join(', ')}, then click Submit.`;
    return s[0]!.toUpperCase() + s.slice(1);
  },
  serve(i, req) {
    if (req.path !== '/') return null;
    const boxes = i.boxes.map((b, k) => `<label><input type="checkbox" name="c${k}"> ${esc(b)}</label>`).join(' ');
    const options = i.options.map((o) => `<option>${esc(o)}</option>`).join('');
    const body = `<div data-form="form"><div class="row">${boxes}</div>
<div class="row"><label>Country <select name="option"><option value="">-</option>${options}</select></label></div>
<div class="row"><label>Word <input type="text" name="text"></label></div></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('form-sequence', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    let asked = 0;
    let met = 0;
    if (i.box !== null) {
      asked++;
      if (v[`c${i.box}`] === true) met++;
    }
    if (i.option !== null) {
      asked++;
      if (str(v.option) === i.option) met++;
    }
    if (i.text !== null) {
      asked++;
      if (str(v.text) === i.text) met++;
    }
    return done(requirementReward(met, asked), { met, asked });
  },
  fillValues: (i) => (i.text === null ? [] : [i.text]),
  solve(i, view) {
    if (i.box !== null) {
      const box = findAll(view, 'checkbox')[i.box];
      if (box && box.states.checked !== true) return act.check(box);
    }
    if (i.option !== null) {
      const list = find(view, 'combobox', 'Country');
      if (list && list.value !== i.option) return act.select(list, i.option);
    }
    if (i.text !== null) {
      const box = find(view, 'textbox', 'Word');
      if (box && box.value !== i.text) return act.fill(box, i.text);
    }
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
