/**
 * Discounted step returns (GiGPO Eq. 5): G_t = Σ_{k ≥ t} γ^(k−t)·r_k within each trajectory, from the
 * raw immediate rewards, with no bootstrap (a truncated trajectory without reward has G = 0).
 * @module
 */
import type { RowIndex } from './row-index.js';

/**
 * Row indices grouped by trajectory, each trajectory's slice in increasing `t` (CSR layout:
 * trajectory k owns `order[start[k] .. start[k+1])`). Rows already in step order cost one pass;
 * only an out-of-order trajectory is sorted. Throws if a trajectory repeats a `t`.
 */
export function rowsByTrajectory(index: RowIndex): { order: Int32Array; start: Int32Array } {
  const t = index.t;
  const trajCount = index.trajIds.length;
  const start = new Int32Array(trajCount + 1);
  for (let k = 0; k < trajCount; k++) start[k + 1] = start[k] + index.trajLength[k];
  const fill = start.slice(0, trajCount);
  const order = new Int32Array(index.n);
  for (let i = 0; i < index.n; i++) order[fill[index.rowTraj[i]]++] = i;

  for (let k = 0; k < trajCount; k++) {
    const lo = start[k];
    const hi = start[k + 1];
    let sorted = true;
    for (let p = lo + 1; p < hi; p++) {
      if (t[order[p]] <= t[order[p - 1]]) {
        sorted = false;
        break;
      }
    }
    if (sorted) continue;
    const slice = Array.from(order.subarray(lo, hi)).sort((a, b) => t[a] - t[b]);
    for (let p = 1; p < slice.length; p++) {
      if (t[slice[p]] === t[slice[p - 1]]) {
        throw new RangeError(`Trajectory '${index.trajIds[k]}' has two rows with t = ${t[slice[p]]}.`);
      }
    }
    order.set(slice, lo);
  }
  return { order, start };
}

/**
 * Discounted return of every row, computed backwards per trajectory. Between consecutive rows the
 * discount is γ^(Δt), so a gap in `t` is discounted as the steps it skipped. An invalid row then has
 * `invalidPenalty` subtracted from its own return only (it does not propagate to earlier steps).
 */
export function discountedStepReturns(index: RowIndex, gamma: number, invalidPenalty: number): Float64Array {
  const { order, start } = rowsByTrajectory(index);
  const { t, reward, invalid } = index;
  const G = new Float64Array(index.n);
  for (let k = 0; k < index.trajIds.length; k++) {
    let next = 0;
    let nextT = 0;
    for (let p = start[k + 1] - 1; p >= start[k]; p--) {
      const i = order[p];
      const gap = nextT - t[i];
      const discount = p === start[k + 1] - 1 ? 0 : gap === 1 ? gamma : gamma ** gap;
      next = reward[i] + discount * next;
      nextT = t[i];
      G[i] = next;
    }
  }
  if (invalidPenalty !== 0) {
    for (let i = 0; i < index.n; i++) if (invalid[i] === 1) G[i] -= invalidPenalty;
  }
  return G;
}
