/**
 * use-spinner: a number with − and + buttons; set it to the goal's value and press Submit. The
 * right value +1, anything else −1. It starts up to 5 away.
 * @module
 */
import { firstSubmit, str } from './events.js';
import { htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';

interface Instance {
  start: number;
  target: number;
}

const SCRIPT = `(() => {
const v = document.getElementById('value');
const set = (n) => { v.setAttribute('aria-valuenow', String(n)); v.setAttribute('data-value', String(n)); v.textContent = String(n); };
document.getElementById('dec').addEventListener('click', () => set(Number(v.getAttribute('data-value')) - 1));
document.getElementById('inc').addEventListener('click', () => set(Number(v.getAttribute('data-value')) + 1));
})();`;

export const useSpinner: BrowserTask<Instance> = {
  name: 'use-spinner',
  description: 'set a number with − / + buttons and submit',
  maxTimeMs: 15_000,
  generate(rng) {
    const target = rng.range(-10, 10);
    let start = target + rng.range(-5, 5);
    if (start === target) start = target + 1;
    return { start, target };
  },
  goal: (i) => `Set the number to ${i.target} and click Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div data-form="form" class="row"><button id="dec" aria-label="Decrease">−</button>
<span id="value" role="spinbutton" aria-label="Number" name="value" data-value="${i.start}" aria-valuenow="${i.start}">${i.start}</span>
<button id="inc" aria-label="Increase">+</button></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('use-spinner', body, { script: SCRIPT }) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.value) === String(i.target);
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const spin = view.nodes.find((n) => n.role === 'spinbutton');
    if (!spin) return NOOP;
    const now = Number(spin.value);
    if (now < i.target) {
      const inc = find(view, 'button', 'Increase');
      return inc ? act.click(inc) : NOOP;
    }
    if (now > i.target) {
      const dec = find(view, 'button', 'Decrease');
      return dec ? act.click(dec) : NOOP;
    }
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
