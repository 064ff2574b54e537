/**
 * Stage 2: the latent policy — a strategy per role and information set over the role's latent
 * strategies (clusters) — computed by external-sampling MCCFR (trainer/cfr/mccfr.ts) in the
 * abstracted game. An information set the solver never reached plays uniformly.
 * @module
 */
import type { ExtensiveGame, TabularPolicy } from '../cfr/game.js';
import { solveExternalSamplingMccfr } from '../cfr/mccfr.js';

export interface LatentPolicy {
  /** The solver's average strategy per information set. */
  policy: TabularPolicy;
  /** How many information sets the solver reached. */
  infoSets: number;
  iterations: number;
}

export function solveLatentPolicy<S>(game: ExtensiveGame<S>, options: { iterations: number; seed: number }): LatentPolicy {
  const { average, tables, iterations } = solveExternalSamplingMccfr(game, options.iterations, { seed: options.seed });
  return { policy: average, infoSets: tables.infoSets, iterations };
}

/** σ(· | infoSet) over `actions` latent strategies; uniform where the policy has no entry. */
export function latentStrategy(latent: LatentPolicy, infoSet: string, actions: number): number[] {
  const p = latent.policy.get(infoSet);
  if (p === undefined) return new Array<number>(actions).fill(1 / actions);
  if (p.length !== actions) throw new RangeError(`The latent policy at '${infoSet}' has ${p.length} strategies, the role ${actions}: the abstracted game and the latent space disagree.`);
  return p;
}
