/**
 * click-dialog: a modal dialog covers the page (the buttons behind it cannot be clicked); press the
 * dialog button the goal names. The right one +1, another dialog button −1.
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  title: string;
  text: string[];
  /** Dialog buttons (the first is the close "x", named Close). */
  buttons: string[];
  target: number;
  behind: string[];
}

const STYLE = `.overlay{position:fixed;inset:0;background:rgba(0,0,0,.35)}.dialog{position:fixed;top:60px;left:80px;width:380px;background:#fff;border:1px solid #555;padding:10px}
.dialog .x{position:absolute;top:4px;right:4px}`;

export const clickDialog: BrowserTask<Instance> = {
  name: 'click-dialog',
  description: 'press the named button of a modal dialog that covers the page',
  maxTimeMs: 10_000,
  generate(rng) {
    const labels = rng.sample(['OK', 'Cancel', 'Apply', 'Yes', 'No', 'Later', 'Retry'], rng.range(1, 3));
    const buttons = ['Close', ...labels];
    return { title: rng.pick(WORDS), text: rng.sample(WORDS, 6), buttons, target: rng.int(buttons.length), behind: rng.sample(WORDS, 3) };
  },
  goal: (i) => (i.target === 0 ? 'Close the dialog box by clicking the "x".' : `Click the button in the dialog box labeled "${i.buttons[i.target]}".`),
  serve(i, req) {
    if (req.path !== '/') return null;
    const behind = `<p>${i.behind.map((w) => `<button>${esc(w)}</button>`).join(' ')}</p>`;
    const buttons = i.buttons
      .map((b, k) => (k === 0 ? `<button class="x" aria-label="Close" data-key="d0">x</button>` : `<button data-key="d${k}">${esc(b)}</button>`))
      .join(' ');
    const dialog = `<div class="overlay"></div><div class="dialog" role="dialog" aria-label="${esc(i.title)}"><h2>${esc(i.title)}</h2><p>${esc(i.text.join(' '))}</p>${buttons}</div>`;
    return { status: 200, body: htmlPage('click-dialog', `${behind}\n${dialog}`, { style: STYLE }) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('d'));
    if (key === null) return PENDING;
    const right = key === `d${i.target}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const b = find(view, 'button', i.buttons[i.target]);
    return b ? act.click(b) : NOOP;
  },
};
