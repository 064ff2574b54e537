/**
 * click-button: several buttons; click the one the goal names. The right button +1, another −1
 * (the episode ends); clicks elsewhere are ignored.
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  buttons: string[];
  target: number;
  /** Plain words shown around the buttons. */
  filler: string[];
}

export const clickButton: BrowserTask<Instance> = {
  name: 'click-button',
  description: 'click the button with a given label among 3-6',
  maxTimeMs: 10_000,
  generate(rng) {
    const n = rng.range(3, 6);
    const buttons = rng.sample(WORDS, n);
    return { buttons, target: rng.int(n), filler: rng.sample(WORDS, 3) };
  },
  goal: (i) => `Click on the "${i.buttons[i.target]}" button.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const parts = i.buttons.map((b, k) => `<button data-key="b${k}">${esc(b)}</button>`);
    parts.splice(1, 0, `<span class="muted">${esc(i.filler.join(' '))}</span>`);
    return { status: 200, body: htmlPage('click-button', `<div class="row">${parts.join('\n')}</div>`) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('b'));
    if (key === null) return PENDING;
    const right = key === `b${i.target}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const b = find(view, 'button', i.buttons[i.target]);
    return b ? act.click(b) : NOOP;
  },
};
