/**
 * Task references, resolved the same way for every env: `{ split, index }`, `{ id }`, or a bare id
 * string `'<name>/<split>/<index>'` (e.g. `household/train/00042`). A bad reference is an
 * UnknownTaskError that lists the splits and their index ranges.
 * @module
 */
import { UnknownTaskError } from './errors.js';
import type { TaskRef } from './types.js';

export interface TaskNaming<Split extends string> {
  /** The id prefix and the word used in messages ('household', 'shop', 'kuhn'). */
  name: string;
  /** Split sizes. */
  splits: Readonly<Record<Split, number>>;
  /** Zero padding of the index in ids (default 5: `00042`). */
  pad?: number;
}

/** The canonical id of a task: `<name>/<split>/<index padded>`. */
export function formatTaskId<Split extends string>(naming: TaskNaming<Split>, split: Split, index: number): string {
  return `${naming.name}/${split}/${String(index).padStart(naming.pad ?? 5, '0')}`;
}

/** Resolves a task reference to (split, index), or throws UnknownTaskError saying the valid ranges. */
export function resolveTaskRef<Split extends string>(naming: TaskNaming<Split>, ref: TaskRef): { split: Split; index: number } {
  const isSplit = (s: unknown): s is Split => typeof s === 'string' && Object.hasOwn(naming.splits, s);
  const unknown = (what: string): never => {
    const ranges = (Object.keys(naming.splits) as Split[]).map((s) => `${s} (0..${naming.splits[s] - 1})`).join(', ');
    throw new UnknownTaskError(
      `Unknown ${naming.name} task ${what}. Splits and index ranges: ${ranges}. Pass { split, index }, { id }, or an id like '${formatTaskId(naming, Object.keys(naming.splits)[0] as Split, 0)}'.`,
    );
  };
  const resolveId = (id: string) => {
    const m = /^([a-z0-9_.-]+)\/([a-z_]+)\/(\d{1,9})$/.exec(id.trim());
    if (!m || m[1] !== naming.name) return unknown(`id '${id}'`);
    const split = m[2];
    const index = Number(m[3]);
    if (!isSplit(split) || index >= naming.splits[split]) return unknown(`id '${id}'`);
    return { split, index };
  };
  if (typeof ref === 'string') return resolveId(ref);
  if (ref === null || typeof ref !== 'object') return unknown(JSON.stringify(ref) ?? String(ref));
  if ('id' in ref && typeof ref.id === 'string') return resolveId(ref.id);
  if ('split' in ref) {
    const { split, index } = ref as { split: unknown; index: unknown };
    if (!isSplit(split)) return unknown(`split ${JSON.stringify(split)}`);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= naming.splits[split]) {
      return unknown(`index ${JSON.stringify(index)} in split '${split}'`);
    }
    return { split, index };
  }
  return unknown(JSON.stringify(ref));
}
