/**
 * GiGPO anchor-state grouping (Eq. 6): within each episode group, rows whose anchor keys are equal
 * share a step group. Step groups never cross episode groups, and they pool revisits: two visits to
 * the same observation in one trajectory land in the same step group, so a group can be larger
 * than N. Step-group ids are dense, numbered in order of first appearance in the input.
 * @module
 */
import type { StepRow } from '../rows.js';
import type { AnchorKey } from './config.js';
import type { RowIndex } from './row-index.js';
import { LcsPattern } from './similarity.js';

export interface StepGroups {
  /** Step-group id of each row. */
  rowStepGroup: Int32Array;
  /** Number of step groups. */
  count: number;
}

/**
 * Buckets rows by (episode group, anchor key). `anchorKey` picks `row.anchor` (the raw current
 * observation, the reference default) or `row.stateKey` (the true state hash: a documented
 * deviation that removes anchor aliasing).
 *
 * With a `similarityThreshold`, a key not seen before in its group is compared with the
 * representative (first member) of each of the group's existing clusters, in creation order, and
 * joins the first whose similarity ratio is ≥ the threshold, or starts a new cluster. This is
 * first-fit and depends on input order; identical keys always share a cluster. O(k²) ratio
 * computations for k distinct keys in a group.
 */
export function buildStepGroups(
  rows: readonly StepRow[],
  index: RowIndex,
  anchorKey: AnchorKey,
  similarityThreshold: number | null,
): StepGroups {
  const n = index.n;
  const rowStepGroup = new Int32Array(n);
  const tables: (ExactKeyTable | undefined)[] = new Array(index.groupIds.length);
  const reps: (LcsPattern[] | undefined)[] = similarityThreshold === null ? [] : new Array(index.groupIds.length);
  const repIds: (number[] | undefined)[] = similarityThreshold === null ? [] : new Array(index.groupIds.length);
  const useState = anchorKey === 'stateKey';
  let count = 0;

  for (let i = 0; i < n; i++) {
    const g = index.rowGroup[i];
    const key = useState ? rows[i].stateKey : rows[i].anchor;
    const table = (tables[g] ??= new ExactKeyTable());
    const hash = sampledHash(key);
    let s = table.get(key, hash);
    if (s === undefined) {
      if (similarityThreshold === null) {
        s = count++;
      } else {
        const groupReps = (reps[g] ??= []);
        const groupRepIds = (repIds[g] ??= []);
        const pattern = new LcsPattern(key);
        for (let c = 0; c < groupReps.length; c++) {
          if (groupReps[c].isSimilarTo(pattern, similarityThreshold)) {
            s = groupRepIds[c];
            break;
          }
        }
        if (s === undefined) {
          s = count++;
          groupReps.push(pattern);
          groupRepIds.push(s);
        }
      }
      table.set(key, hash, s);
    }
    rowStepGroup[i] = s;
  }
  return { rowStepGroup, count };
}

// ---------------------------------------------------------------------------------------------
// Exact lookup of long keys.

/** Distinct keys a bucket holds in arrays before it switches to a Map keyed by the full string. */
const MAX_BUCKET_SCAN = 8;

/**
 * An exact string → id table. A `Map<string, …>` hashes every fresh string over all its characters,
 * which dominates the grouping time on observation texts hundreds of characters long. This table
 * buckets keys by {@link sampledHash} and confirms each candidate with `===` (a memory compare), so
 * lookups stay exact; a bucket of many distinct keys that agree on every sampled character falls
 * back to a Map keyed by the full string.
 */
class ExactKeyTable {
  private readonly buckets = new Map<number, { keys: string[]; ids: number[] } | Map<string, number>>();

  get(key: string, hash: number): number | undefined {
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) return undefined;
    if (bucket instanceof Map) return bucket.get(key);
    const { keys, ids } = bucket;
    for (let k = 0; k < keys.length; k++) if (keys[k] === key) return ids[k];
    return undefined;
  }

  /** Adds a key that `get` did not find. */
  set(key: string, hash: number, id: number): void {
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) {
      this.buckets.set(hash, { keys: [key], ids: [id] });
    } else if (bucket instanceof Map) {
      bucket.set(key, id);
    } else if (bucket.keys.length < MAX_BUCKET_SCAN) {
      bucket.keys.push(key);
      bucket.ids.push(id);
    } else {
      const map = new Map<string, number>();
      for (let k = 0; k < bucket.keys.length; k++) map.set(bucket.keys[k], bucket.ids[k]);
      map.set(key, id);
      this.buckets.set(hash, map);
    }
  }
}

/**
 * A 32-bit FNV-1a-style hash of the length and at most 64 characters: all of a key up to 64
 * characters, otherwise the first 16, the last 16 and 32 evenly spaced between them.
 */
export function sampledHash(s: string): number {
  const n = s.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  if (n <= 64) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 16; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    const stride = (n - 32) / 33;
    for (let k = 1; k <= 32; k++) h = Math.imul(h ^ s.charCodeAt(16 + Math.floor(k * stride)), 0x01000193);
    for (let i = n - 16; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h ^ (h >>> 16);
}
