/**
 * A training league's payoff table: per (row, column) pair of league entities, the row's summed
 * score against the column (win 1, draw ½, loss 0) and the games behind it. Rows are the learner
 * (`LEARNER`) and the checkpoints it left; a checkpoint's row is the learner's row at the moment it
 * was taken (what the learner had been scoring). The learner's row is discounted by `decay` each
 * iteration, so it follows the learner as it changes rather than its whole past.
 *
 * `matrix` gives the members' zero-sum matrix for the Nash meta-solver: A[i][j] = score(i vs j) − ½
 * from i's row, or ½ − score(j vs i) from j's, their games-weighted mean when both are known, 0
 * when neither is. Plain JSON in and out (a run's checkpoint keeps it).
 * @module
 */

export const LEARNER = 'learner';

export interface PayoffCell {
  score: number;
  games: number;
}

export type PayoffTableJson = Record<string, Record<string, PayoffCell>>;

export class PayoffTable {
  private readonly rows = new Map<string, Map<string, PayoffCell>>();

  static fromJSON(json: PayoffTableJson): PayoffTable {
    const t = new PayoffTable();
    for (const [row, cells] of Object.entries(json)) {
      for (const [column, c] of Object.entries(cells)) {
        if (!(Number.isFinite(c.score) && Number.isFinite(c.games) && c.games >= 0 && c.score >= 0 && c.score <= c.games + 1e-9)) throw new RangeError(`payoff table: bad cell ${row} vs ${column}: ${JSON.stringify(c)}`);
        t.cell(row, column).score = c.score;
        t.cell(row, column).games = c.games;
      }
    }
    return t;
  }

  toJSON(): PayoffTableJson {
    const out: PayoffTableJson = {};
    for (const [row, cells] of this.rows) out[row] = Object.fromEntries([...cells].map(([c, v]) => [c, { score: v.score, games: v.games }]));
    return out;
  }

  private cell(row: string, column: string): PayoffCell {
    let cells = this.rows.get(row);
    if (cells === undefined) this.rows.set(row, (cells = new Map()));
    let c = cells.get(column);
    if (c === undefined) cells.set(column, (c = { score: 0, games: 0 }));
    return c;
  }

  /** One game of `row` against `column`: score 1 (win), ½ (draw) or 0 (loss). */
  record(row: string, column: string, score: number): void {
    if (!(score >= 0 && score <= 1)) throw new RangeError(`payoff table: a score is in [0, 1], got ${score}`);
    const c = this.cell(row, column);
    c.score += score;
    c.games += 1;
  }

  get(row: string, column: string): PayoffCell | null {
    const c = this.rows.get(row)?.get(column);
    return c === undefined || c.games === 0 ? null : { ...c };
  }

  /** The row's mean score against the column (null: never met). */
  meanScore(row: string, column: string): number | null {
    const c = this.get(row, column);
    return c === null ? null : c.score / c.games;
  }

  /** Multiplies every cell of `row` by `factor` (the learner's discount). */
  decay(row: string, factor: number): void {
    for (const c of this.rows.get(row)?.values() ?? []) {
      c.score *= factor;
      c.games *= factor;
    }
  }

  /** Copies `from`'s row to `to` (a new checkpoint takes the learner's record). */
  copyRow(from: string, to: string): void {
    for (const [column, c] of this.rows.get(from) ?? []) {
      const d = this.cell(to, column);
      d.score = c.score;
      d.games = c.games;
    }
  }

  /** The members' antisymmetric zero-sum matrix (see the module comment). */
  matrix(members: readonly string[]): number[][] {
    return members.map((i) =>
      members.map((j) => {
        if (i === j) return 0;
        const a = this.get(i, j);
        const b = this.get(j, i);
        const games = (a?.games ?? 0) + (b?.games ?? 0);
        if (games === 0) return 0;
        return ((a === null ? 0 : a.score - a.games / 2) + (b === null ? 0 : b.games / 2 - b.score)) / games;
      }),
    );
  }
}
