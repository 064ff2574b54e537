/**
 * click-button-sequence: click two named buttons in order. The first then the second +1; a
 * second-button click before the first, or any other button, −1. A clicked button is shown pressed.
 * @module
 */
import { clicks } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  buttons: string[];
  first: number;
  second: number;
}

export const clickButtonSequence: BrowserTask<Instance> = {
  name: 'click-button-sequence',
  description: 'click two named buttons, in the order given',
  maxTimeMs: 10_000,
  generate(rng) {
    const n = rng.range(2, 4);
    const buttons = rng.sample(WORDS, n);
    const [first, second] = rng.sample([...buttons.keys()], 2) as [number, number];
    return { buttons, first, second };
  },
  goal: (i) => `Click on the "${i.buttons[i.first]}" button, then click on the "${i.buttons[i.second]}" button.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = i.buttons.map((b, k) => `<button data-key="b${k}" aria-pressed="false" onclick="this.setAttribute('aria-pressed','true')">${esc(b)}</button>`).join('\n');
    return { status: 200, body: htmlPage('click-button-sequence', `<div class="row">${body}</div>`) };
  },
  check(i, events) {
    const seq = clicks(events).filter((k) => k.startsWith('b'));
    let step = 0;
    for (const k of seq) {
      if (step === 0) {
        if (k !== `b${i.first}`) return done(-1, { clicked: 0 });
        step = 1;
      } else if (k === `b${i.second}`) return done(1, { clicked: 2 });
      else if (k !== `b${i.first}`) return done(-1, { clicked: 1 });
    }
    return PENDING;
  },
  fillValues: () => [],
  solve(i, view) {
    const first = find(view, 'button', i.buttons[i.first]);
    const second = find(view, 'button', i.buttons[i.second]);
    if (!first || !second) return NOOP;
    return first.states.pressed === true ? act.click(second) : act.click(first);
  },
};
