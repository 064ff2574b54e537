/**
 * Task splits (sized like ALFWorld's), task ids (`household/train/00042`), and the hold-out rule
 * that makes valid_unseen truly unseen:
 *  - layouts: train and valid_seen use layout ids 1..SEEN_LAYOUTS of each room kind, valid_unseen
 *    only the held-out ids above (see layouts.ts);
 *  - pairings: an (object type, target type) pair is held out when a fixed hash of it says so
 *    (about one pair in five); train and valid_seen never pose a held-out pair, valid_unseen poses
 *    only held-out pairs. The target is the receptacle type, or the lamp type for look tasks.
 * @module
 */
import { UnknownTaskError } from '../core/errors.js';
import { hash32 } from '../core/rng.js';
import type { TaskRef } from '../core/types.js';

export const HOUSEHOLD_SPLITS = { train: 3553, valid_seen: 140, valid_unseen: 134 } as const;
export type HouseholdSplit = keyof typeof HOUSEHOLD_SPLITS;
export const SPLIT_NAMES = Object.keys(HOUSEHOLD_SPLITS) as HouseholdSplit[];

/** Splits whose tasks use held-out layouts and pairings. */
export function isUnseenSplit(split: HouseholdSplit): boolean {
  return split === 'valid_unseen';
}

/** One (object type, target type) pair in HELD_OUT_MODULUS is reserved for valid_unseen. */
export const HELD_OUT_MODULUS = 5;

export function isHeldOutPair(object: string, target: string): boolean {
  return hash32(`household-v1/pair/${object}>${target}`) % HELD_OUT_MODULUS === 0;
}

export function taskId(split: HouseholdSplit, index: number): string {
  return `household/${split}/${String(index).padStart(5, '0')}`;
}

function isSplit(s: string): s is HouseholdSplit {
  return Object.hasOwn(HOUSEHOLD_SPLITS, s);
}

function rangesText(): string {
  return SPLIT_NAMES.map((s) => `${s} (0..${HOUSEHOLD_SPLITS[s] - 1})`).join(', ');
}

function unknown(what: string): never {
  throw new UnknownTaskError(
    `Unknown household task ${what}. Splits and index ranges: ${rangesText()}. ` +
      `Pass { split, index }, { id }, or an id like 'household/train/00042'.`,
  );
}

/** Resolves a task reference to (split, index), or throws UnknownTaskError saying the valid ranges. */
export function resolveTaskRef(ref: TaskRef): { split: HouseholdSplit; index: number } {
  if (typeof ref === 'string') return resolveId(ref);
  if (ref === null || typeof ref !== 'object') unknown(JSON.stringify(ref) ?? String(ref));
  if ('id' in ref && typeof ref.id === 'string') return resolveId(ref.id);
  if ('split' in ref) {
    const { split, index } = ref as { split: unknown; index: unknown };
    if (typeof split !== 'string' || !isSplit(split)) unknown(`split ${JSON.stringify(split)}`);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= HOUSEHOLD_SPLITS[split]) {
      unknown(`index ${JSON.stringify(index)} in split '${split}'`);
    }
    return { split, index };
  }
  return unknown(JSON.stringify(ref));
}

function resolveId(id: string): { split: HouseholdSplit; index: number } {
  const m = /^household\/([a-z_]+)\/(\d{1,9})$/.exec(id.trim());
  if (!m) unknown(`id '${id}'`);
  const split = m[1] as string;
  const index = Number(m[2]);
  if (!isSplit(split) || index >= HOUSEHOLD_SPLITS[split]) unknown(`id '${id}'`);
  return { split, index };
}
