/**
 * Reading a task's event log (pure): the first decisive click, the last submit of a form.
 * @module
 */
import type { TaskEvent } from './types.js';

/** The first click on one of `keys` (any key when omitted). */
export function firstClick(events: readonly TaskEvent[], keys?: (key: string) => boolean): string | null {
  for (const e of events) if (e.type === 'click' && typeof e.key === 'string' && (keys === undefined || keys(e.key))) return e.key;
  return null;
}

/** Every clicked key, in order. */
export function clicks(events: readonly TaskEvent[]): string[] {
  return events.filter((e) => e.type === 'click' && typeof e.key === 'string').map((e) => e.key as string);
}

/** The first submit of form `form`: its field values. */
export function firstSubmit(events: readonly TaskEvent[], form = 'form'): Record<string, unknown> | null {
  for (const e of events) if (e.type === 'submit' && e.form === form && e.values !== null && typeof e.values === 'object') return e.values as Record<string, unknown>;
  return null;
}

export function submits(events: readonly TaskEvent[], form = 'form'): Record<string, unknown>[] {
  return events.filter((e) => e.type === 'submit' && e.form === form && e.values !== null && typeof e.values === 'object').map((e) => e.values as Record<string, unknown>);
}

/** The first custom event named `type` matching `test`. */
export function firstOf(events: readonly TaskEvent[], type: string, test: (e: TaskEvent) => boolean = () => true): TaskEvent | null {
  for (const e of events) if (e.type === type && test(e)) return e;
  return null;
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}
