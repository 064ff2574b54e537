/**
 * click-option: pick the named radio button and press Submit. The right one +1, anything else −1.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  options: string[];
  target: number;
}

export const clickOption: BrowserTask<Instance> = {
  name: 'click-option',
  description: 'select a named radio button and submit',
  maxTimeMs: 10_000,
  generate(rng) {
    const options = rng.sample(WORDS, rng.range(2, 6));
    return { options, target: rng.int(options.length) };
  },
  goal: (i) => `Select ${i.options[i.target]} and click Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const radios = i.options.map((o) => `<div class="row"><label><input type="radio" name="choice" value="${esc(o)}"> ${esc(o)}</label></div>`).join('\n');
    return { status: 200, body: htmlPage('click-option', `<div data-form="form">${radios}</div><button data-submit="form">Submit</button>`) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.choice) === i.options[i.target];
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const radio = find(view, 'radio', i.options[i.target]);
    if (!radio) return NOOP;
    if (radio.states.checked !== true) return act.check(radio);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
