/**
 * focus-text: put the focus into the text field the goal names (by position). Focusing it +1,
 * another field −1.
 * @module
 */
import { firstOf } from './events.js';
import { esc, htmlPage, ordinal } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, findAll, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  labels: string[];
  target: number;
}

export const focusText: BrowserTask<Instance> = {
  name: 'focus-text',
  description: 'focus the n-th text field',
  maxTimeMs: 10_000,
  generate(rng) {
    const labels = rng.sample(WORDS, rng.range(1, 3));
    return { labels, target: rng.int(labels.length) };
  },
  goal: (i) => (i.labels.length === 1 ? 'Focus into the textbox.' : `Focus into the ${ordinal(i.target)} textbox.`),
  serve(i, req) {
    if (req.path !== '/') return null;
    const boxes = i.labels.map((l, k) => `<div class="row"><input type="text" data-key="t${k}" aria-label="${esc(l)}" placeholder="${esc(l)}"></div>`).join('\n');
    return { status: 200, body: htmlPage('focus-text', boxes) };
  },
  check(i, events) {
    const e = firstOf(events, 'focus', (x) => typeof x.key === 'string' && x.key.startsWith('t'));
    if (e === null) return PENDING;
    const right = e.key === `t${i.target}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const boxes = findAll(view, 'textbox');
    const box = boxes[i.target];
    return box ? act.click(box) : NOOP;
  },
};
