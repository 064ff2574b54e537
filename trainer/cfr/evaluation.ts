/**
 * Evaluating strategy profiles of an extensive-form game: expected payoffs, best-response values
 * and exploitability. A profile is one tabular policy for all players (information-set keys are
 * distinct per player); an information set missing from it is played uniformly.
 * @module
 */
import type { ExtensiveGame, TabularPolicy } from './game.js';

function strategyAt(policy: TabularPolicy, key: string, n: number): number[] {
  const p = policy.get(key);
  if (p === undefined) return new Array<number>(n).fill(1 / n);
  if (p.length !== n) throw new RangeError(`Policy for '${key}' has ${p.length} actions, the game ${n}.`);
  return p;
}

/** Every player's expected payoff when all play `policy`. */
export function expectedValues<S>(game: ExtensiveGame<S>, policy: TabularPolicy): number[] {
  const walk = (state: S): number[] => {
    if (game.isTerminal(state)) return game.utilities(state);
    const player = game.currentPlayer(state);
    const value = new Array<number>(game.players).fill(0);
    const add = (p: number, v: number[]) => v.forEach((x, i) => (value[i] = (value[i] as number) + p * x));
    if (player === 'chance') {
      for (const o of game.chanceOutcomes(state)) add(o.probability, walk(o.state));
      return value;
    }
    const actions = game.legalActions(state);
    const sigma = strategyAt(policy, game.infoSetKey(state), actions.length);
    actions.forEach((a, k) => {
      if ((sigma[k] as number) > 0) add(sigma[k] as number, walk(game.next(state, a)));
    });
    return value;
  };
  return walk(game.root());
}

/**
 * The value `player` gets by best-responding to everyone else playing `policy` (perfect recall
 * assumed): at each of its information sets it takes the action with the highest value summed
 * over the states of the set, weighted by the others' and chance's reach.
 */
export function bestResponseValue<S>(game: ExtensiveGame<S>, policy: TabularPolicy, player: number): number {
  // The player's information sets with their states and the others' reach of each.
  const members = new Map<string, { state: S; reach: number }[]>();
  const collect = (state: S, reach: number) => {
    if (game.isTerminal(state) || reach === 0) return;
    const who = game.currentPlayer(state);
    if (who === 'chance') {
      for (const o of game.chanceOutcomes(state)) collect(o.state, reach * o.probability);
      return;
    }
    const actions = game.legalActions(state);
    if (who === player) {
      const key = game.infoSetKey(state);
      const list = members.get(key) ?? [];
      list.push({ state, reach });
      members.set(key, list);
      for (const a of actions) collect(game.next(state, a), reach);
      return;
    }
    const sigma = strategyAt(policy, game.infoSetKey(state), actions.length);
    actions.forEach((a, k) => collect(game.next(state, a), reach * (sigma[k] as number)));
  };
  collect(game.root(), 1);

  const choice = new Map<string, number>();
  const value = (state: S): number => {
    if (game.isTerminal(state)) return game.utilities(state)[player] as number;
    const who = game.currentPlayer(state);
    if (who === 'chance') return game.chanceOutcomes(state).reduce((s, o) => s + o.probability * value(o.state), 0);
    const actions = game.legalActions(state);
    if (who === player) return value(game.next(state, actions[bestAction(game.infoSetKey(state), actions)] as string));
    const sigma = strategyAt(policy, game.infoSetKey(state), actions.length);
    return actions.reduce((s, a, k) => ((sigma[k] as number) > 0 ? s + (sigma[k] as number) * value(game.next(state, a)) : s), 0);
  };
  const bestAction = (key: string, actions: string[]): number => {
    const known = choice.get(key);
    if (known !== undefined) return known;
    const list = members.get(key) ?? [];
    let best = 0;
    let bestValue = -Infinity;
    actions.forEach((a, k) => {
      const v = list.reduce((s, m) => s + m.reach * value(game.next(m.state, a)), 0);
      if (v > bestValue + 1e-12) {
        bestValue = v;
        best = k;
      }
    });
    choice.set(key, best);
    return best;
  };
  return value(game.root());
}

/**
 * Exploitability of a profile in a two-player zero-sum game: the mean over the two players of what
 * a best response gains, (BR₀ + BR₁) / 2. It is 0 exactly at a Nash equilibrium.
 */
export function exploitability<S>(game: ExtensiveGame<S>, policy: TabularPolicy): number {
  if (game.players !== 2) throw new RangeError('exploitability is defined here for two-player zero-sum games');
  return (bestResponseValue(game, policy, 0) + bestResponseValue(game, policy, 1)) / 2;
}
