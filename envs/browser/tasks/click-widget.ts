/**
 * click-widget: a row of widgets of different kinds (button, checkbox, radio, text field, link,
 * drop-down); click one of the kind the goal names. A widget of that kind +1, another kind −1.
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

const KINDS = ['button', 'checkbox', 'radio', 'textbox', 'link'] as const;
type Kind = (typeof KINDS)[number];

interface Instance {
  widgets: { kind: Kind; label: string }[];
  target: Kind;
}

function widgetHtml(w: { kind: Kind; label: string }, k: number): string {
  const key = `w${k}-${w.kind}`;
  switch (w.kind) {
    case 'button':
      return `<button data-key="${key}">${esc(w.label)}</button>`;
    case 'checkbox':
      return `<label><input type="checkbox" data-key="${key}"> ${esc(w.label)}</label>`;
    case 'radio':
      return `<label><input type="radio" name="r${k}" data-key="${key}"> ${esc(w.label)}</label>`;
    case 'textbox':
      return `<label>${esc(w.label)} <input type="text" data-key="${key}" size="8"></label>`;
    case 'link':
      return `<a href="#" data-key="${key}" onclick="return false">${esc(w.label)}</a>`;
  }
}

const ROLE: Record<Kind, string> = { button: 'button', checkbox: 'checkbox', radio: 'radio', textbox: 'textbox', link: 'link' };

export const clickWidget: BrowserTask<Instance> = {
  name: 'click-widget',
  description: 'click a widget of a named kind (button, checkbox, radio, text field, link)',
  maxTimeMs: 10_000,
  generate(rng) {
    const kinds = rng.sample(KINDS, rng.range(3, 5));
    const labels = rng.sample(WORDS, kinds.length);
    return { widgets: kinds.map((kind, k) => ({ kind, label: labels[k] as string })), target: rng.pick(kinds) };
  },
  goal: (i) => `Click on a "${i.target}" widget.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    return { status: 200, body: htmlPage('click-widget', i.widgets.map((w, k) => `<div class="row">${widgetHtml(w, k)}</div>`).join('\n')) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('w'));
    if (key === null) return PENDING;
    const right = key.endsWith(`-${i.target}`);
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const w = i.widgets.find((x) => x.kind === i.target);
    if (!w) return NOOP;
    const node = find(view, ROLE[w.kind], w.label);
    if (!node) return NOOP;
    return w.kind === 'checkbox' || w.kind === 'radio' ? act.check(node) : act.click(node);
  },
};
