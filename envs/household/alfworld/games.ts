/**
 * ALFWorld's games as household-v1's tasks: the located splits, each read on first use (shared by
 * every env of the process for the same directory), task references resolved against the
 * playable games of each split. Games that could not be read are reported once on stderr and kept
 * in `skipped` (what `ludus bench-data check` lists).
 * @module
 */
import { UnknownTaskError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { formatTaskId, resolveTaskRef } from '../../core/task-ref.js';
import type { TaskRef } from '../../core/types.js';
import { ALFWORLD_SPLITS, loadSplit, locateSplits, type AlfworldSplit, type LoadedGame, type SplitLoad } from './games-dir.js';

const SHARED = new Map<string, AlfworldGames>();

function gameId(split: AlfworldSplit, index: number): string {
  return formatTaskId({ name: 'household', splits: { train: 0, valid_seen: 0, valid_unseen: 0 } }, split, index);
}

export class AlfworldGames {
  private readonly loads = new Map<AlfworldSplit, SplitLoad>();

  private constructor(
    readonly root: string,
    readonly splitDirs: Partial<Record<AlfworldSplit, string>>,
    private readonly notice: (line: string) => void,
  ) {}

  /** The shared games of `dir` (throws DataError when it is not an ALFWorld directory). */
  static open(dir: string, notice: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): AlfworldGames {
    const { root, splits } = locateSplits(dir);
    let g = SHARED.get(root);
    if (g === undefined) SHARED.set(root, (g = new AlfworldGames(root, splits, notice)));
    return g;
  }

  get splits(): AlfworldSplit[] {
    return ALFWORLD_SPLITS.filter((s) => this.splitDirs[s] !== undefined);
  }

  /** The games of a split (read now if not yet). */
  split(split: AlfworldSplit): SplitLoad {
    let l = this.loads.get(split);
    if (l === undefined) {
      const dir = this.splitDirs[split];
      l = dir === undefined ? { games: [], skipped: [] } : loadSplit(this.root, split, dir);
      this.loads.set(split, l);
      if (l.skipped.length > 0) {
        this.notice(`household-v1: ${l.skipped.length} of ${l.games.length + l.skipped.length} ALFWorld ${split} games cannot be played here and are left out (first: ${l.skipped[0]!.path}: ${l.skipped[0]!.reason}); \`ludus bench-data check ${this.root}\` lists them all.`);
      }
    }
    return l;
  }

  /** The game a reset plays: the referenced one, or one drawn from train (else the first split found). */
  resolve(ref: TaskRef | null, rng: Rng): LoadedGame & { id: string; index: number } {
    const available = this.splits;
    if (ref === null) {
      const split = available.includes('train') ? 'train' : available[0]!;
      const games = this.split(split).games;
      if (games.length === 0) throw new UnknownTaskError(`No playable ALFWorld game in ${split} of ${this.root}: see \`ludus bench-data check ${this.root}\`.`);
      const index = rng.int(games.length);
      return { ...games[index]!, id: gameId(split, index), index };
    }
    // The split first (any index), then the index against that split's playable games.
    const loose = Object.fromEntries(available.map((s) => [s, Number.MAX_SAFE_INTEGER])) as Record<AlfworldSplit, number>;
    let split: AlfworldSplit;
    try {
      split = resolveTaskRef({ name: 'household', splits: loose }, ref).split;
    } catch {
      split = available[0]!;
    }
    const sizes = Object.fromEntries(available.map((s) => [s, s === split ? this.split(s).games.length : (this.loads.get(s)?.games.length ?? Number.MAX_SAFE_INTEGER)])) as Record<AlfworldSplit, number>;
    const { index } = resolveTaskRef({ name: 'household', splits: sizes }, ref);
    return { ...this.split(split).games[index]!, id: gameId(split, index), index };
  }
}
