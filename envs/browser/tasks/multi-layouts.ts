/**
 * multi-layouts: the same form (first name, last name, e-mail) in one of three layouts — labels
 * beside the fields, placeholders only, or a table whose label cells are not tied to the fields —
 * with the fields in a random order and a random submit label. The reward is
 * (fields right − fields wrong) / 3: all right +1 (success).
 * @module
 */
import { firstSubmit, str } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, findAll, NOOP } from './view.js';
import type { PageView } from './types.js';
import type { TreeNode } from '../axtree.js';
import { FIRST_NAMES, LAST_NAMES } from './vocab.js';

const FIELDS = [
  { name: 'first', label: 'First name' },
  { name: 'last', label: 'Last name' },
  { name: 'email', label: 'Email' },
] as const;
type Field = (typeof FIELDS)[number]['name'];

interface Instance {
  layout: 'labels' | 'placeholders' | 'table';
  order: Field[];
  values: Record<Field, string>;
  submit: string;
}

function labelOf(f: Field): string {
  return FIELDS.find((x) => x.name === f)!.label;
}

/** The text field for `label`: by its name, or (table layout) the field in the row whose first cell says it. */
function fieldFor(view: PageView, label: string): TreeNode | undefined {
  const named = find(view, 'textbox', label);
  if (named) return named;
  const cell = view.nodes.findIndex((n) => n.role === 'cell' && n.name === label);
  if (cell < 0) return undefined;
  const rowDepth = view.nodes[cell]!.depth - 1;
  for (let k = cell + 1; k < view.nodes.length && view.nodes[k]!.depth > rowDepth; k++) {
    const n = view.nodes[k]!;
    if (n.role === 'textbox' && n.id !== null) return n;
  }
  return undefined;
}

export const multiLayouts: BrowserTask<Instance> = {
  name: 'multi-layouts',
  description: 'fill a three-field form shown in one of several layouts, then submit',
  maxTimeMs: 20_000,
  generate(rng) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    return {
      layout: rng.pick(['labels', 'placeholders', 'table'] as const),
      order: rng.shuffle(FIELDS.map((f) => f.name)),
      values: { first, last, email: `${first.toLowerCase()}.${last.toLowerCase()}@example.org` },
      submit: rng.pick(['Submit', 'Send', 'Done', 'Continue']),
    };
  },
  goal: (i) => `Enter "${i.values.first}" as the first name, "${i.values.last}" as the last name and "${i.values.email}" as the email, then press ${i.submit}.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    let fields = '';
    if (i.layout === 'labels') fields = i.order.map((f) => `<div class="row"><label>${esc(labelOf(f))} <input type="text" name="${f}"></label></div>`).join('\n');
    else if (i.layout === 'placeholders') fields = i.order.map((f) => `<div class="row"><input type="text" name="${f}" placeholder="${esc(labelOf(f))}"></div>`).join('\n');
    else fields = `<table>${i.order.map((f) => `<tr><td>${esc(labelOf(f))}</td><td><input type="text" name="${f}"></td></tr>`).join('')}</table>`;
    return { status: 200, body: htmlPage('multi-layouts', `<h1>Contact</h1><div data-form="form">${fields}</div><button data-submit="form">${esc(i.submit)}</button>`) };
  },
  check(i, events) {
    const v = firstSubmit(events);
    if (v === null) return PENDING;
    const right = FIELDS.filter((f) => str(v[f.name]) === i.values[f.name]).length;
    return done((right - (3 - right)) / 3, { rightFields: right });
  },
  fillValues: (i) => [i.values.first, i.values.last, i.values.email],
  solve(i, view) {
    for (const f of FIELDS) {
      const box = fieldFor(view, f.label);
      if (box && box.value !== i.values[f.name]) return act.fill(box, i.values[f.name]);
    }
    const submit = findAll(view, 'button', i.submit)[0];
    return submit ? act.click(submit) : NOOP;
  },
};
