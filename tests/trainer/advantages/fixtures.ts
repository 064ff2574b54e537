/** Row builders shared by the estimator tests. */
import { trajectoryRows, type StepRecord, type StepRow } from '../../../trainer/rows.js';

/** One step at `anchor` (stateKey = anchor) paying `reward`. */
export function step(anchor: string, reward = 0, extra: Partial<StepRecord> = {}): StepRecord {
  return { anchor, stateKey: anchor, action: 'a', candidates: ['a'], logpOld: 0, reward, invalid: false, ...extra };
}

/** One single-step trajectory per return: the classic one-row-per-output GRPO layout. */
export function outcomes(groupId: string, returns: readonly number[]): StepRow[] {
  return returns.flatMap((r, k) => trajectoryRows(groupId, `${groupId}/${k}`, [step('s0', r)]));
}

/** A trajectory of `length` steps whose last step pays `ret`. */
export function traj(groupId: string, trajId: string, length: number, ret: number): StepRow[] {
  return trajectoryRows(
    groupId,
    trajId,
    Array.from({ length }, (_, t) => step(`s${t}`, t === length - 1 ? ret : 0)),
  );
}
