/**
 * The admissible actions of a page, built from its tree (pure). Every candidate is a well-formed
 * call followed by a `# comment` naming the element it acts on, so an agent that reads only the
 * list (a policy over candidates, a language model) knows what each id is:
 *
 *   click("3") # button 'OK'
 *   fill("4", "ada") # textbox 'Name'
 *   select_option("6", "Blue") # combobox 'Colour'
 *   check("7") # checkbox 'Remember me'
 *
 * In order: for each element with an id, in page order —
 *  - checkbox, radio, switch: `check` when unchecked, `uncheck` when a checked checkbox/switch;
 *  - textbox, searchbox, spinbutton that accepts text: `fill` with each of the task's fill values
 *    (values taken from the goal; a date input gets the ISO dates among them, a spinbutton the
 *    numbers), then `click`;
 *  - slider, spinbutton: `press ArrowLeft/ArrowRight` (slider) or `ArrowDown/ArrowUp` (spinbutton);
 *  - native combobox (select): `select_option` for each option not selected;
 *  - an element with a popup (`haspopup`): `hover`, then `click`;
 *  - anything else clickable: `click`.
 * Then `scroll(0, 300)` / `scroll(0, -300)` when the page can scroll that way, and `noop()`.
 * Disabled and covered elements get nothing: their actions would fail.
 * @module
 */
import { quote } from './axtree.js';
import type { RawNode } from './page-script.js';

export const SCROLL_STEP = 300;
/** At most this many fill values per textbox (the list stays short). */
export const MAX_FILL_VALUES = 8;

export interface CandidateInput {
  nodes: readonly RawNode[];
  /** Values a `fill` may use, from the goal (and, for some tasks, the page). */
  fillValues: readonly string[];
  scroll: { y: number; maxY: number };
}

function describe(node: RawNode): string {
  return `${node.r} ${quote(node.n.length > 60 ? `${node.n.slice(0, 59)}…` : node.n)}`;
}

function call(verb: string, node: RawNode, extra?: string): string {
  const args = extra === undefined ? JSON.stringify(String(node.id)) : `${JSON.stringify(String(node.id))}, ${JSON.stringify(extra)}`;
  return `${verb}(${args}) # ${describe(node)}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{2}:\d{2}(:\d{2})?$/;
const NUMBER = /^[-+]?\d+(\.\d+)?$/;

/** The fill values that fit an input: dates for date inputs, numbers for spinbuttons. */
export function valuesFor(node: RawNode, values: readonly string[]): string[] {
  let fit: readonly string[] = values;
  if (node.t === 'date') fit = values.filter((v) => ISO_DATE.test(v));
  else if (node.t === 'time') fit = values.filter((v) => ISO_TIME.test(v));
  else if (node.t !== undefined) fit = [];
  else if (node.r === 'spinbutton') fit = values.filter((v) => NUMBER.test(v));
  return [...new Set(fit)].slice(0, MAX_FILL_VALUES);
}

/** The options of the select at `index` (its following deeper `option` nodes). */
function optionsOf(nodes: readonly RawNode[], index: number): RawNode[] {
  const parent = nodes[index] as RawNode;
  const out: RawNode[] = [];
  for (let i = index + 1; i < nodes.length && (nodes[i] as RawNode).d > parent.d; i++) {
    const n = nodes[i] as RawNode;
    if (n.r === 'option' && n.d === parent.d + 1 && n.id === undefined) out.push(n);
  }
  return out;
}

export function candidateActions(input: CandidateInput): string[] {
  const out: string[] = [];
  const { nodes } = input;
  nodes.forEach((node, index) => {
    if (node.id === undefined || node.c !== 1) return;
    const p = node.p ?? {};
    switch (node.r) {
      case 'checkbox':
      case 'radio':
      case 'switch':
      case 'menuitemcheckbox':
      case 'menuitemradio':
        if (p.checked !== true) out.push(call('check', node));
        else if (node.r !== 'radio' && node.r !== 'menuitemradio') out.push(call('uncheck', node));
        return;
      case 'textbox':
      case 'searchbox':
      case 'spinbutton':
        if (node.e === 1) for (const v of valuesFor(node, input.fillValues)) out.push(call('fill', node, v));
        if (node.r === 'spinbutton') {
          out.push(call('press', node, 'ArrowDown'), call('press', node, 'ArrowUp'));
        }
        out.push(call('click', node));
        return;
      case 'slider':
        out.push(call('press', node, 'ArrowLeft'), call('press', node, 'ArrowRight'));
        return;
      case 'combobox': {
        const options = optionsOf(nodes, index);
        if (options.length > 0) {
          for (const o of options) if (o.p?.selected !== true && o.p?.disabled !== true) out.push(call('select_option', node, o.n));
          return;
        }
        if (node.e === 1) for (const v of valuesFor(node, input.fillValues)) out.push(call('fill', node, v));
        out.push(call('click', node));
        return;
      }
      default:
        if (p.haspopup === true) out.push(call('hover', node));
        out.push(call('click', node));
    }
  });
  if (input.scroll.y < input.scroll.maxY) out.push(`scroll(0, ${SCROLL_STEP})`);
  if (input.scroll.y > 0) out.push(`scroll(0, -${SCROLL_STEP})`);
  out.push('noop()');
  return [...new Set(out)];
}
