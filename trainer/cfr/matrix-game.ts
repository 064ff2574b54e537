/**
 * A two-player zero-sum matrix game (both players choose at once) as an ExtensiveGame: the first
 * player moves at the root, the second without seeing that move (its information set does not
 * depend on it), and the payoff is read from the matrix. Rock-paper-scissors-Spock-lizard over its
 * moves, or over a latent space's clusters, is one.
 *
 * A symmetric game may give both players the same information-set key: the solvers then learn one
 * strategy that both play, and `exploitability` measures that symmetric profile.
 * @module
 */
import type { ExtensiveGame, TabularPolicy } from './game.js';

export interface MatrixGameOptions {
  /** Names of the first player's actions (rows), default '0', '1', ... */
  rowActions?: readonly string[];
  /** Names of the second player's actions (columns), default '0', '1', ... */
  columnActions?: readonly string[];
  /** Information-set key of each player (default 'row' and 'column'). */
  keys?: readonly [string, string];
}

export interface MatrixState {
  row: number | null;
  column: number | null;
}

/** `payoffs[i][j]`: the first player's payoff when it plays row i and the second column j. */
export function matrixGame(payoffs: readonly (readonly number[])[], options: MatrixGameOptions = {}): ExtensiveGame<MatrixState> {
  const rows = payoffs.length;
  const columns = payoffs[0]?.length ?? 0;
  if (rows === 0 || columns === 0 || payoffs.some((r) => r.length !== columns)) {
    throw new RangeError(`A matrix game needs a non-empty rectangular payoff matrix, got ${rows} rows of lengths ${payoffs.map((r) => r.length).join(', ')}.`);
  }
  if (payoffs.some((r) => r.some((v) => !Number.isFinite(v)))) throw new RangeError('Matrix game payoffs must be finite numbers.');
  const rowActions = options.rowActions ?? Array.from({ length: rows }, (_, i) => String(i));
  const columnActions = options.columnActions ?? Array.from({ length: columns }, (_, j) => String(j));
  if (rowActions.length !== rows || columnActions.length !== columns) throw new RangeError('Matrix game action names must match the matrix shape.');
  const [rowKey, columnKey] = options.keys ?? ['row', 'column'];
  return {
    players: 2,
    root: () => ({ row: null, column: null }),
    isTerminal: (s) => s.row !== null && s.column !== null,
    utilities: (s) => {
      const v = payoffs[s.row as number]![s.column as number] as number;
      return [v, -v];
    },
    currentPlayer: (s) => (s.row === null ? 0 : 1),
    chanceOutcomes: () => [],
    infoSetKey: (s) => (s.row === null ? rowKey : columnKey),
    legalActions: (s) => [...(s.row === null ? rowActions : columnActions)],
    next: (s, action) => {
      if (s.row === null) {
        const row = rowActions.indexOf(action);
        if (row < 0) throw new RangeError(`'${action}' is not a row action of this matrix game.`);
        return { row, column: null };
      }
      const column = columnActions.indexOf(action);
      if (column < 0) throw new RangeError(`'${action}' is not a column action of this matrix game.`);
      return { row: s.row, column };
    },
  };
}

/** The value of each row against a column strategy: payoffs · q. */
export function rowValues(payoffs: readonly (readonly number[])[], columnStrategy: readonly number[]): number[] {
  return payoffs.map((r) => r.reduce((s, v, j) => s + v * (columnStrategy[j] as number), 0));
}

/** A one-key policy: every information set keyed `key` plays `strategy`. */
export function policyOf(key: string, strategy: readonly number[]): TabularPolicy {
  return new Map([[key, [...strategy]]]);
}
