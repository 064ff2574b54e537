/**
 * Evaluations play tasks 0..n-1 of a split. Asking for more episodes than the split has tasks
 * would play some tasks twice and count them twice: the CLI refuses that unless `--repeat` says so.
 * @module
 */
import { CliUsageError } from './errors.js';

/** Throws a usage error when `episodes` exceeds the split's `size` tasks and repeating was not asked for. */
export function checkEpisodesInSplit(o: { flag: string; episodes: number; split: string; size: number; env: string; repeat: boolean; repeatFlag?: string }): void {
  if (o.episodes <= o.size || o.repeat) return;
  const repeat = o.repeatFlag === undefined ? '' : `, or pass ${o.repeatFlag} to play tasks again from the start of the split (each replay with a new seed, counted as another episode)`;
  throw new CliUsageError(
    `${o.flag} ${o.episodes} exceeds the ${o.size} tasks of split '${o.split}' of ${o.env}: pass ${o.flag} ${o.size} (every task once)${repeat}.`,
  );
}
