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
import { hash32 } from '../core/rng.js';
import { formatTaskId, resolveTaskRef as resolveCoreTaskRef } from '../core/task-ref.js';
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

const NAMING = { name: 'household', splits: HOUSEHOLD_SPLITS };

export function taskId(split: HouseholdSplit, index: number): string {
  return formatTaskId(NAMING, split, index);
}

/** Resolves a task reference to (split, index), or throws UnknownTaskError saying the valid ranges. */
export function resolveTaskRef(ref: TaskRef): { split: HouseholdSplit; index: number } {
  return resolveCoreTaskRef(NAMING, ref);
}
