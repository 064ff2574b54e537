/**
 * text-transform: type the text shown on the page after transforming it as the goal says (upper
 * case, lower case, reversed, capitalised) and press Submit. The exact result +1, anything else
 * −1. The fill values are the shown text and its transforms (the agent must pick the right one).
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

const TRANSFORMS = ['upper case', 'lower case', 'reverse order', 'capitalised'] as const;
type Transform = (typeof TRANSFORMS)[number];

interface Instance {
  shown: string;
  transform: Transform;
}

export function transformText(s: string, t: Transform): string {
  switch (t) {
    case 'upper case':
      return s.toUpperCase();
    case 'lower case':
      return s.toLowerCase();
    case 'reverse order':
      return [...s].reverse().join('');
    case 'capitalised':
      return s.toLowerCase().replace(/(^|\s)\S/g, (c) => c.toUpperCase());
  }
}

export const textTransform: BrowserTask<Instance> = {
  name: 'text-transform',
  description: 'type the text shown, transformed (upper/lower case, reversed, capitalised), and submit',
  maxTimeMs: 15_000,
  generate(rng) {
    const words = rng.sample(WORDS, 2).map((w) => (rng.bool() ? w.toUpperCase() : w));
    return { shown: words.join(' '), transform: rng.pick(TRANSFORMS) };
  },
  goal: (i) => `Type the text shown below in ${i.transform} and press Submit.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<p>Text: <span id="shown" style="font-family:monospace;letter-spacing:2px">${esc(i.shown)}</span></p><div data-form="form"><label>Answer <input type="text" name="answer"></label></div><button data-submit="form">Submit</button>`;
    return { status: 200, body: htmlPage('text-transform', body) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = str(v.answer) === transformText(i.shown, i.transform);
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: (i) => [...new Set([i.shown, ...TRANSFORMS.map((t) => transformText(i.shown, t))])],
  solve(i, view) {
    const box = find(view, 'textbox', 'Answer');
    if (!box) return NOOP;
    const want = transformText(i.shown, i.transform);
    if (box.value !== want) return act.fill(box, want);
    const submit = find(view, 'button', 'Submit');
    return submit ? act.click(submit) : NOOP;
  },
};
