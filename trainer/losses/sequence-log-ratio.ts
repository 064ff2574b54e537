/**
 * A turn's sequence log-prob is the sum of its action tokens' log-probs, so every sequence-level
 * loss over language-model turns reads sums of token log-ratios (docs/algorithms.md, "Losses on
 * tokens"). Plain numbers (float64), the twins of what the LM's updates compute in the graph.
 *
 *   log π(a|s) = Σ_k m_k · log π(a_k | s, a_<k)          (m: the loss mask over the completion)
 *   log-ratio  = Σ_k m_k · (log π_θ(a_k|·) − log π_base(a_k|·))
 *
 * REFUEL regresses the difference of two turns' log-ratios (base: π_old) onto η·(R¹ − R²); DPO
 * takes σ of β times the difference of the chosen and rejected turns' log-ratios (base: π_ref).
 * @module
 */
import { dpoLossNumbers } from '../lspo/dpo-loss.js';
import { refuelLossNumbers } from './refuel.js';

/** One turn's token log-probs under the policy and under a base, and its loss mask. */
export interface TurnLogprobs {
  logp: readonly number[];
  base: readonly number[];
  /** Default: every token. */
  mask?: readonly number[];
}

/** Σ_k m_k · logp_k. */
export function sequenceLogprobOf(logp: readonly number[], mask?: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < logp.length; k++) if (mask === undefined || mask[k] === 1) s += logp[k] as number;
  return s;
}

/** Σ_k m_k · (logp_k − base_k). */
export function sequenceLogRatio(turn: TurnLogprobs): number {
  if (turn.base.length !== turn.logp.length) throw new RangeError(`sequenceLogRatio: ${turn.logp.length} log-probs but ${turn.base.length} base log-probs.`);
  return sequenceLogprobOf(turn.logp, turn.mask) - sequenceLogprobOf(turn.base, turn.mask);
}

/** REFUEL's squared regression over pairs of turns (base = π_old): mean of (ratio¹ − ratio² − target)². */
export function refuelLossFromTokens(pairs: readonly { a: TurnLogprobs; b: TurnLogprobs; target: number }[]): number {
  return refuelLossNumbers({
    logpA: pairs.map((p) => sequenceLogprobOf(p.a.logp, p.a.mask)),
    logpOldA: pairs.map((p) => sequenceLogprobOf(p.a.base, p.a.mask)),
    logpB: pairs.map((p) => sequenceLogprobOf(p.b.logp, p.b.mask)),
    logpOldB: pairs.map((p) => sequenceLogprobOf(p.b.base, p.b.mask)),
    target: pairs.map((p) => p.target),
  });
}

/** DPO over preference pairs of turns (base = π_ref): mean of −log σ(β·(ratio_chosen − ratio_rejected)). */
export function dpoLossFromTokens(pairs: readonly { chosen: TurnLogprobs; rejected: TurnLogprobs }[], beta: number): number {
  return dpoLossNumbers(
    pairs.map((p) => ({
      policyChosen: sequenceLogprobOf(p.chosen.logp, p.chosen.mask),
      refChosen: sequenceLogprobOf(p.chosen.base, p.chosen.mask),
      policyRejected: sequenceLogprobOf(p.rejected.logp, p.rejected.mask),
      refRejected: sequenceLogprobOf(p.rejected.base, p.rejected.mask),
    })),
    beta,
  ).loss;
}
