/**
 * Tasks and splits. A task is a deal seed: task (split, index) deals its roles from
 * `werewolf-v1/<split>/<index>`, so a task always seats the same roles, and the reset seed drives
 * everything else the env draws (bidding and vote tie-breaks). Without a task, reset draws a train
 * task from the seed, so `reset({ seed })` alone deals from the seed.
 *
 * Ids look like `werewolf/train/00042`. Split sizes: train 10,000 · valid 1,000 · test 1,000.
 * There are only 420 distinct deals (which 2 seats are wolves, then seer and doctor), so splits
 * differ in their seeds rather than in unseen deals; what is held out is the game's randomness
 * together with the deal.
 * @module
 */
import { Rng } from '../core/rng.js';
import { formatTaskId, resolveTaskRef, type TaskNaming } from '../core/task-ref.js';
import type { TaskInfo, TaskRef } from '../core/types.js';
import { dealFromSeed, type Role } from './roles.js';

export const WEREWOLF_SPLITS = { train: 10_000, valid: 1_000, test: 1_000 } as const;
export type WerewolfSplit = keyof typeof WEREWOLF_SPLITS;
export const WEREWOLF_SPLIT_NAMES = Object.keys(WEREWOLF_SPLITS) as WerewolfSplit[];

export interface WerewolfTask extends TaskInfo {
  split: WerewolfSplit;
}

export function werewolfTaskId(split: WerewolfSplit, index: number): string {
  return formatTaskId(NAMING, split, index);
}

export function werewolfTask(split: WerewolfSplit, index: number): WerewolfTask {
  return { id: werewolfTaskId(split, index), split, index };
}

/** The roles a task deals, by seat. */
export function dealForTask(split: WerewolfSplit, index: number): Role[] {
  return dealFromSeed(`${split}/${index}`);
}

/** The train task a reset without a task plays: drawn from the seed. */
export function taskForSeed(seed: number): WerewolfTask {
  return werewolfTask('train', new Rng(`werewolf-v1/draw/${seed}`).int(WEREWOLF_SPLITS.train));
}

const NAMING: TaskNaming<WerewolfSplit> = { name: 'werewolf', splits: WEREWOLF_SPLITS };

/** Resolves a task reference, or throws UnknownTaskError naming the valid ranges. */
export function resolveWerewolfTask(ref: TaskRef): WerewolfTask {
  const { split, index } = resolveTaskRef(NAMING, ref);
  return werewolfTask(split, index);
}
