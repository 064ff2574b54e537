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
import { UnknownTaskError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { TaskInfo, TaskRef } from '../core/types.js';
import { dealFromSeed, type Role } from './roles.js';

export const WEREWOLF_SPLITS = { train: 10_000, valid: 1_000, test: 1_000 } as const;
export type WerewolfSplit = keyof typeof WEREWOLF_SPLITS;
export const WEREWOLF_SPLIT_NAMES = Object.keys(WEREWOLF_SPLITS) as WerewolfSplit[];

export interface WerewolfTask extends TaskInfo {
  split: WerewolfSplit;
}

export function werewolfTaskId(split: WerewolfSplit, index: number): string {
  return `werewolf/${split}/${String(index).padStart(5, '0')}`;
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

function isSplit(s: unknown): s is WerewolfSplit {
  return typeof s === 'string' && Object.hasOwn(WEREWOLF_SPLITS, s);
}

function unknown(what: string): never {
  const ranges = WEREWOLF_SPLIT_NAMES.map((s) => `${s} (0..${WEREWOLF_SPLITS[s] - 1})`).join(', ');
  throw new UnknownTaskError(`Unknown werewolf task ${what}. Splits and index ranges: ${ranges}. Pass { split, index }, { id }, or an id like 'werewolf/train/00042'.`);
}

/** Resolves a task reference, or throws UnknownTaskError naming the valid ranges. */
export function resolveWerewolfTask(ref: TaskRef): WerewolfTask {
  if (typeof ref === 'string') return resolveId(ref);
  if (ref === null || typeof ref !== 'object') return unknown(JSON.stringify(ref) ?? String(ref));
  if ('id' in ref && typeof ref.id === 'string') return resolveId(ref.id);
  if ('split' in ref) {
    const { split, index } = ref as { split: unknown; index: unknown };
    if (!isSplit(split)) return unknown(`split ${JSON.stringify(split)}`);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= WEREWOLF_SPLITS[split]) {
      return unknown(`index ${JSON.stringify(index)} in split '${split}'`);
    }
    return werewolfTask(split, index);
  }
  return unknown(JSON.stringify(ref));
}

function resolveId(id: string): WerewolfTask {
  const m = /^werewolf\/([a-z]+)\/(\d{1,9})$/.exec(id.trim());
  if (!m) return unknown(`id '${id}'`);
  const split = m[1];
  const index = Number(m[2]);
  if (!isSplit(split) || index >= WEREWOLF_SPLITS[split]) return unknown(`id '${id}'`);
  return werewolfTask(split, index);
}
