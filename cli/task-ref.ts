/** Parses a `--task` value: `split:index` (e.g. `valid_unseen:3`) or a task id. */
import type { TaskRef } from '../envs/core/types.js';

export function parseTaskRef(value: string | undefined): TaskRef | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^([A-Za-z_][\w-]*):(\d+)$/.exec(value);
  if (m) return { split: m[1] as string, index: Number(m[2]) };
  return { id: value };
}
