/**
 * The expert for task pages: a GENERIC HEURISTIC, not an oracle (a page's answer is in its own
 * script, which nothing here reads). It reads the utterance's quoted values
 * ("Click on the \"ok\" button.", "Enter \"Kyle\" into the text field and press Submit.",
 * "Select \"red\" and \"blue\" and click Submit.") and, step by step: fills each empty text field
 * with the next quoted value, ticks the checkboxes/radios named by a quoted value, clicks the
 * button/link/tab named by a quoted value, then a Submit-like button. It solves the simple click,
 * type and select pages; pages that need reasoning it does not (docs/real-benchmarks.md).
 * @module
 */
import type { JsonValue } from '../../core/types.js';
import type { PageView } from '../tasks/types.js';
import { act, NOOP } from '../tasks/view.js';

/** The quoted values of an utterance, in order ("…" or '…'). */
export function quotedValues(goal: string): string[] {
  const out: string[] = [];
  for (const m of goal.matchAll(/"([^"]+)"|“([^”]+)”/g)) out.push((m[1] ?? m[2])!);
  return [...new Set(out)];
}

const SUBMIT = /^(submit|ok|okay|done|search|enter|go)$/i;

export function solvePage(goal: string, view: PageView, memory: Record<string, JsonValue>): string {
  const values = quotedValues(goal);
  const done = new Set((memory.done as string[] | undefined) ?? []);
  const mark = (key: string, action: string) => {
    memory.done = [...done, key];
    return action;
  };
  const nodes = view.nodes.filter((n) => n.id !== null);
  const lower = (s: string) => s.trim().toLowerCase();
  // 1. Text fields, in page order, get the quoted values not used as click targets.
  const fields = nodes.filter((n) => n.role === 'textbox' || n.role === 'searchbox');
  const clickTargets = new Set(nodes.filter((n) => n.role !== 'textbox' && values.some((v) => lower(v) === lower(n.name))).map((n) => lower(n.name)));
  const typed = values.filter((v) => !clickTargets.has(lower(v)));
  for (let k = 0; k < fields.length && k < typed.length; k++) {
    const key = `fill:${fields[k]!.id}`;
    if (!done.has(key)) return mark(key, act.fill(fields[k]!, typed[k]!));
  }
  // 2. Checkboxes and radios named by a value.
  for (const n of nodes) {
    if ((n.role === 'checkbox' || n.role === 'radio') && values.some((v) => lower(v) === lower(n.name)) && !done.has(`check:${n.id}`)) return mark(`check:${n.id}`, act.check(n));
  }
  // 3. A button, link or tab named by a value.
  for (const n of nodes) {
    if (['button', 'link', 'tab', 'menuitem', 'option'].includes(n.role) && values.some((v) => lower(v) === lower(n.name)) && !done.has(`click:${n.id}`)) return mark(`click:${n.id}`, act.click(n));
  }
  // 4. Submit.
  const submit = nodes.find((n) => n.role === 'button' && SUBMIT.test(n.name.trim()) && !done.has(`click:${n.id}`));
  if (submit !== undefined) return mark(`click:${submit.id}`, act.click(submit));
  return NOOP;
}
