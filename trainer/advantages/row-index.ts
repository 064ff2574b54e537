/**
 * Dense integer indices over a batch of step rows (group and trajectory of every row), built in
 * one pass with Maps, plus the row checks every estimator relies on. Bad rows throw a `RangeError`
 * naming the row or trajectory.
 * @module
 */
import type { StepRow } from '../rows.js';

export interface RowIndex {
  /** Number of rows. */
  n: number;
  /** Distinct group ids, in order of first appearance. */
  groupIds: string[];
  /** Group index of each row. */
  rowGroup: Int32Array;
  /** Distinct trajectory ids, in order of first appearance. */
  trajIds: string[];
  /** Trajectory index of each row. */
  rowTraj: Int32Array;
  /** Group index of each trajectory. */
  trajGroup: Int32Array;
  /** Rows per trajectory. */
  trajLength: Int32Array;
  /** episodeReturn of each trajectory. */
  trajReturn: Float64Array;
  /** Per row: `t`, `reward` and `invalid` (1/0), copied out of the row objects once. */
  t: Float64Array;
  reward: Float64Array;
  invalid: Uint8Array;
}

/**
 * Indexes rows by group and trajectory, and checks that every row has an integer `t` ≥ 0 and
 * finite `reward` and `episodeReturn`, that a trajectory stays in one group, and that all rows of
 * a trajectory carry the same `episodeReturn`.
 */
export function indexRows(rows: readonly StepRow[]): RowIndex {
  const n = rows.length;
  const groupOf = new Map<string, number>();
  const trajOf = new Map<string, number>();
  const groupIds: string[] = [];
  const trajIds: string[] = [];
  const rowGroup = new Int32Array(n);
  const rowTraj = new Int32Array(n);
  // At most n trajectories; trimmed below.
  const trajGroup = new Int32Array(n);
  const trajLength = new Int32Array(n);
  const trajReturn = new Float64Array(n);
  const tOf = new Float64Array(n);
  const reward = new Float64Array(n);
  const invalid = new Uint8Array(n);

  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const t = row.t;
    if (!Number.isInteger(t) || t < 0) throw new RangeError(`Row ${i} has t = ${t}; t must be an integer >= 0.`);
    if (!Number.isFinite(row.reward)) throw new RangeError(`Row ${i} has a non-finite reward (${row.reward}).`);
    if (!Number.isFinite(row.episodeReturn)) {
      throw new RangeError(`Row ${i} has a non-finite episodeReturn (${row.episodeReturn}).`);
    }

    // Rows usually arrive trajectory by trajectory: reuse the previous row's lookups when the ids repeat.
    const prev = i > 0 ? rows[i - 1] : undefined;
    let g = prev !== undefined && row.groupId === prev.groupId ? rowGroup[i - 1] : groupOf.get(row.groupId);
    if (g === undefined) {
      g = groupIds.length;
      groupOf.set(row.groupId, g);
      groupIds.push(row.groupId);
    }
    rowGroup[i] = g;

    let tr = prev !== undefined && row.trajId === prev.trajId ? rowTraj[i - 1] : trajOf.get(row.trajId);
    if (tr === undefined) {
      tr = trajIds.length;
      trajOf.set(row.trajId, tr);
      trajIds.push(row.trajId);
      trajGroup[tr] = g;
      trajReturn[tr] = row.episodeReturn;
    } else {
      if (trajGroup[tr] !== g) {
        throw new RangeError(
          `Trajectory '${row.trajId}' appears in groups '${groupIds[trajGroup[tr]]}' and '${row.groupId}'.`,
        );
      }
      if (trajReturn[tr] !== row.episodeReturn) {
        throw new RangeError(
          `Trajectory '${row.trajId}' has rows with different episodeReturn values (${trajReturn[tr]} and ${row.episodeReturn}).`,
        );
      }
    }
    rowTraj[i] = tr;
    trajLength[tr]++;
    tOf[i] = t;
    reward[i] = row.reward;
    invalid[i] = row.invalid ? 1 : 0;
  }

  const trajCount = trajIds.length;
  return {
    n,
    groupIds,
    rowGroup,
    trajIds,
    rowTraj,
    trajGroup: trajGroup.slice(0, trajCount),
    trajLength: trajLength.slice(0, trajCount),
    trajReturn: trajReturn.slice(0, trajCount),
    t: tOf,
    reward,
    invalid,
  };
}

/** Each row's episode score: episodeReturn − invalidPenalty if the row is invalid. */
export function episodeScores(index: RowIndex, invalidPenalty: number): Float64Array {
  const score = new Float64Array(index.n);
  for (let i = 0; i < index.n; i++) score[i] = index.trajReturn[index.rowTraj[i]] - index.invalid[i] * invalidPenalty;
  return score;
}
