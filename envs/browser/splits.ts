/**
 * Task splits by seed. A task instance is (task, split, k): its seed is `k` in `train` and
 * `1,000,000 + k` in `test`, so the two splits never share an instance. Split index `i` of an env
 * whose task list has `n` tasks plays task `i mod n`, instance `⌊i / n⌋`: the first `n` indices
 * cover every task once, the first `m·n` indices every task `m` times.
 *
 * Sizes (the spec's) are those of the default suite: 1,000 train and 50 test instances per task.
 * An env built with a smaller `tasks` list accepts the same index range, cycling over its tasks.
 * Ids: `<task>/<split>/<k, 5 digits>`, e.g. `click-button/test/00007` (and `shop/test/00042`,
 * which plays shop-v1's goal `shop/test/00042`).
 * @module
 */
import { UnknownTaskError } from '../core/errors.js';
import type { TaskRef } from '../core/types.js';

export const BROWSER_SPLITS_PER_TASK = { train: 1000, test: 50 } as const;
export type BrowserSplit = keyof typeof BROWSER_SPLITS_PER_TASK;
export const TEST_SEED_OFFSET = 1_000_000;

export interface ResolvedTask {
  name: string;
  split: BrowserSplit;
  /** k: the instance number within the split. */
  instance: number;
  /** The split index (instance · n + the task's position). */
  index: number;
  /** The instance seed (k, or 1,000,000 + k in test). */
  seed: number;
  id: string;
}

export function splitSizes(taskCount: number): Record<BrowserSplit, number> {
  return { train: BROWSER_SPLITS_PER_TASK.train * taskCount, test: BROWSER_SPLITS_PER_TASK.test * taskCount };
}

export function instanceSeed(split: BrowserSplit, instance: number): number {
  return split === 'test' ? TEST_SEED_OFFSET + instance : instance;
}

export function browserTaskId(name: string, split: BrowserSplit, instance: number): string {
  return `${name}/${split}/${String(instance).padStart(5, '0')}`;
}

function isSplit(s: unknown): s is BrowserSplit {
  return s === 'train' || s === 'test';
}

/**
 * Resolves a task reference against the env's task list. `indexRange` is the largest split size
 * accepted (the spec's, or the list's own when larger).
 */
export function resolveBrowserTask(ref: TaskRef, tasks: readonly string[], indexRange: Record<BrowserSplit, number>): ResolvedTask {
  const n = tasks.length;
  const unknown = (what: string): never => {
    throw new UnknownTaskError(
      `Unknown browser-v1 task ${what}. Use { split, index } with split train (0..${indexRange.train - 1}) or test (0..${indexRange.test - 1}), or an id '<task>/<split>/<k>' such as '${tasks[0] ?? 'click-button'}/test/00003'; this env's tasks: ${tasks.slice(0, 8).join(', ')}${n > 8 ? `, ... (${n})` : ''}.`,
    );
  };
  const fromIndex = (split: BrowserSplit, index: number): ResolvedTask => {
    const position = index % n;
    const instance = Math.floor(index / n);
    const name = tasks[position] as string;
    return { name, split, instance, index, seed: instanceSeed(split, instance), id: browserTaskId(name, split, instance) };
  };
  const fromId = (id: string): ResolvedTask => {
    const m = /^([a-z0-9][a-z0-9-]*)\/(train|test)\/(\d{1,6})$/.exec(id.trim());
    if (!m) return unknown(`id '${id.slice(0, 80)}'`);
    const name = m[1] as string;
    const split = m[2] as BrowserSplit;
    const instance = Number(m[3]);
    const position = tasks.indexOf(name);
    if (position < 0) return unknown(`'${name}' (not among this env's tasks; pass the option tasks to include it)`);
    if (instance >= TEST_SEED_OFFSET) return unknown(`id '${id}' (instances go up to ${TEST_SEED_OFFSET - 1})`);
    return { name, split, instance, index: instance * n + position, seed: instanceSeed(split, instance), id: browserTaskId(name, split, instance) };
  };
  if (typeof ref === 'string') return fromId(ref);
  if (ref === null || typeof ref !== 'object') return unknown(JSON.stringify(ref) ?? String(ref));
  if ('id' in ref && typeof ref.id === 'string') return fromId(ref.id);
  if ('split' in ref) {
    const { split, index } = ref as { split: unknown; index: unknown };
    if (!isSplit(split)) return unknown(`split ${JSON.stringify(split)}`);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= indexRange[split]) return unknown(`index ${JSON.stringify(index)} in split '${split}'`);
    return fromIndex(split, index);
  }
  return unknown(JSON.stringify(ref));
}
