/**
 * use-slider: move a slider to the goal's value (arrow keys step it by one) and press Submit. The
 * right value +1, anything else −1. The slider starts up to 5 away.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';

interface Instance {
  max: number;
  start: number;
  target: number;
}

export const useSlider: BrowserTask<Instance> = {
  name: 'use-slider',
  description: 'move a slider to a value and submit',
  maxTimeMs: 15_000,
  generate(rng) {
    const max = rng.pick([10, 20, 50, 100]);
    const target = rng.range(0, max);
    let start = Math.max(0, Math.min(max, target + rng.range(-5, 5)));
    if (start === target) start = target === max ? target - 1 : target + 1;
    return { max, start, target };
  },
  goal: (i) => `Select ${i.target} with the slider and hit Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div data-form="form"><label>Value <input type="range" id="s" name="value" min="0" max="${i.max}" step="1" value="${i.start}" oninput="document.getElementById('out').textContent=this.value"></label> <span id="out">${i.start}</span></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('use-slider', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.value) === String(i.target);
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const slider = find(view, 'slider');
    if (!slider) return NOOP;
    const now = Number(slider.value);
    if (now < i.target) return act.press(slider, 'ArrowRight');
    if (now > i.target) return act.press(slider, 'ArrowLeft');
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
