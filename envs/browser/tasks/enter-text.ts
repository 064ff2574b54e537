/**
 * enter-text: type the word the goal quotes into the text field and press Submit. Submit with
 * exactly that text +1, anything else −1.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  target: string;
  label: string;
}

export const enterText: BrowserTask<Instance> = {
  name: 'enter-text',
  description: 'type a given word into a text field and submit',
  maxTimeMs: 10_000,
  generate(rng) {
    return { target: rng.pick(WORDS), label: rng.pick(['Text', 'Your answer', 'Enter text', 'Input']) };
  },
  goal: (i) => `Enter "${i.target}" into the text field and press Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div data-form="form"><label>${esc(i.label)} <input type="text" name="text"></label></div>
<button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('enter-text', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.text) === i.target;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: (i) => [i.target],
  solve(i, view) {
    const box = find(view, 'textbox');
    if (!box) return NOOP;
    if (box.value !== i.target) return act.fill(box, i.target);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
