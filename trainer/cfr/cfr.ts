/**
 * Vanilla counterfactual regret minimisation over the whole tree (chance enumerated): each
 * iteration walks the game once, adds every player's counterfactual regrets (weighted by the
 * reach of the other players and chance) and its own reach-weighted strategy to the averages.
 * In two-player zero-sum games the average strategy converges to a Nash equilibrium.
 * @module
 */
import type { ExtensiveGame, TabularPolicy } from './game.js';
import { RegretTables } from './regret-tables.js';

export interface CfrResult {
  tables: RegretTables;
  average: TabularPolicy;
  iterations: number;
}

export function solveCfr<S>(game: ExtensiveGame<S>, iterations: number, tables = new RegretTables()): CfrResult {
  const walk = (state: S, reach: number[], chance: number): number[] => {
    if (game.isTerminal(state)) return game.utilities(state);
    const player = game.currentPlayer(state);
    if (player === 'chance') {
      const value = new Array<number>(game.players).fill(0);
      for (const o of game.chanceOutcomes(state)) {
        const v = walk(o.state, reach, chance * o.probability);
        v.forEach((x, p) => (value[p] = (value[p] as number) + o.probability * x));
      }
      return value;
    }
    const key = game.infoSetKey(state);
    const actions = game.legalActions(state);
    const sigma = tables.current(key, actions.length);
    const values = actions.map((a, k) => {
      const childReach = reach.slice();
      childReach[player] = (childReach[player] as number) * (sigma[k] as number);
      return walk(game.next(state, a), childReach, chance);
    });
    const node = new Array<number>(game.players).fill(0);
    values.forEach((v, k) => v.forEach((x, p) => (node[p] = (node[p] as number) + (sigma[k] as number) * x)));
    let others = chance;
    reach.forEach((r, p) => (others *= p === player ? 1 : r));
    values.forEach((v, k) => tables.addRegret(key, k, others * ((v[player] as number) - (node[player] as number)), actions.length));
    tables.addWeight(key, sigma, reach[player] as number);
    return node;
  };
  for (let t = 0; t < iterations; t++) walk(game.root(), new Array<number>(game.players).fill(1), 1);
  return { tables, average: tables.averagePolicy(), iterations };
}
