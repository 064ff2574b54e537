/**
 * External-sampling Monte-Carlo CFR for n players: each iteration picks every player in turn as
 * the traverser; chance and the other players' actions are sampled from their current strategies,
 * every action of the traverser is explored, and the traverser's sampled counterfactual regrets
 * are added. The other players' current strategies are added to their averages where they are
 * sampled ("simple averaging"). It needs no full tree walk, so it scales to games whose tree
 * cannot be enumerated (an abstracted werewolf game).
 * @module
 */
import { Rng } from '../../envs/core/rng.js';
import type { ExtensiveGame, TabularPolicy } from './game.js';
import { RegretTables } from './regret-tables.js';

export interface MccfrResult {
  tables: RegretTables;
  average: TabularPolicy;
  iterations: number;
}

function sample(rng: Rng, probabilities: readonly number[]): number {
  const u = rng.next();
  let acc = 0;
  for (let k = 0; k < probabilities.length; k++) {
    acc += probabilities[k] as number;
    if (u < acc) return k;
  }
  return probabilities.length - 1;
}

export function solveExternalSamplingMccfr<S>(game: ExtensiveGame<S>, iterations: number, options: { seed?: number; tables?: RegretTables } = {}): MccfrResult {
  const rng = new Rng(`mccfr:${options.seed ?? 0}`);
  const tables = options.tables ?? new RegretTables();
  const traverse = (state: S, traverser: number): number => {
    if (game.isTerminal(state)) return game.utilities(state)[traverser] as number;
    const player = game.currentPlayer(state);
    if (player === 'chance') {
      const outcomes = game.chanceOutcomes(state);
      const k = sample(rng, outcomes.map((o) => o.probability));
      return traverse((outcomes[k] as { state: S }).state, traverser);
    }
    const key = game.infoSetKey(state);
    const actions = game.legalActions(state);
    const sigma = tables.current(key, actions.length);
    if (player === traverser) {
      const children = game.children?.(state, actions) ?? actions.map((a) => game.next(state, a));
      const values = children.map((c) => traverse(c, traverser));
      const node = values.reduce((s, v, k) => s + (sigma[k] as number) * v, 0);
      values.forEach((v, k) => tables.addRegret(key, k, v - node, actions.length));
      return node;
    }
    tables.addWeight(key, sigma, 1);
    const k = sample(rng, sigma);
    return traverse(game.next(state, actions[k] as string), traverser);
  };
  for (let t = 0; t < iterations; t++) for (let p = 0; p < game.players; p++) traverse(game.root(), p);
  return { tables, average: tables.averagePolicy(), iterations };
}
