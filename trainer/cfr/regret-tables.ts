/**
 * Cumulative regrets and cumulative strategy weights per information set: what CFR-family
 * solvers accumulate. The average strategy (the solver's output) is the normalised weights.
 * @module
 */
import type { TabularPolicy } from './game.js';
import { normalise, regretMatching } from './regret-matching.js';

export class RegretTables {
  private readonly regrets = new Map<string, number[]>();
  private readonly weights = new Map<string, number[]>();

  private row(map: Map<string, number[]>, key: string, n: number): number[] {
    let row = map.get(key);
    if (row === undefined) {
      row = new Array<number>(n).fill(0);
      map.set(key, row);
    } else if (row.length !== n) {
      throw new RangeError(`Information set '${key}' had ${row.length} actions and now has ${n}: the game is not well-formed.`);
    }
    return row;
  }

  /** The current strategy at an information set (regret matching). */
  current(key: string, n: number): number[] {
    return regretMatching(this.row(this.regrets, key, n));
  }

  addRegret(key: string, action: number, amount: number, n: number): void {
    (this.row(this.regrets, key, n)[action] as number) += amount;
  }

  addWeight(key: string, strategy: readonly number[], weight: number): void {
    const row = this.row(this.weights, key, strategy.length);
    strategy.forEach((p, a) => (row[a] = (row[a] as number) + weight * p));
  }

  /** The average strategy of every information set seen. */
  averagePolicy(): TabularPolicy {
    const out: TabularPolicy = new Map();
    for (const [key, row] of this.weights) out.set(key, normalise(row));
    return out;
  }

  /** The current (regret-matching) strategy of every information set seen. */
  currentPolicy(): TabularPolicy {
    const out: TabularPolicy = new Map();
    for (const [key, row] of this.regrets) out.set(key, regretMatching(row));
    return out;
  }

  get infoSets(): number {
    return this.regrets.size;
  }
}
