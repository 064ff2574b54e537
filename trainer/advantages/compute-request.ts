/**
 * `advantages.compute` for the env server: the trainer's estimators on the rows a client sent (a
 * Python trainer's rollouts), as a service the composition root hands to the server
 * (`startServer(options, { advantages: computeAdvantages })`).
 * @module
 */
import type { AdvantagesComputed, Params } from '../../envs/protocol/messages.js';
import { ProtocolError } from '../../envs/protocol/rpc-errors.js';
import type { StepRow } from '../rows.js';
import type { AdvantageOptions } from './config.js';
import { ESTIMATORS } from './index.js';

/**
 * The trainer's estimators on rows a client sent (a Python trainer's rollouts): pure, no session.
 * Bad rows or options (a trajectory in two groups, an unknown option) are INVALID_PARAMS.
 */
export function computeAdvantages(p: Params<'advantages.compute'>): AdvantagesComputed {
  const sums = new Map<string, number>();
  for (const r of p.rows) sums.set(r.trajId, (sums.get(r.trajId) ?? 0) + r.reward);
  const rows: StepRow[] = p.rows.map((r) => ({
    groupId: r.groupId,
    trajId: r.trajId,
    t: r.t,
    anchor: r.anchor ?? '',
    stateKey: r.stateKey ?? '',
    action: '',
    candidates: [],
    logpOld: 0,
    reward: r.reward,
    episodeReturn: r.episodeReturn ?? (sums.get(r.trajId) as number),
    invalid: r.invalid ?? false,
    done: false,
  }));
  let result;
  try {
    result = ESTIMATORS[p.estimator](rows, (p.options ?? {}) as AdvantageOptions);
  } catch (err) {
    if (err instanceof RangeError) throw new ProtocolError('INVALID_PARAMS', `advantages.compute: ${err.message}`);
    throw err;
  }
  return {
    advantage: Array.from(result.advantage),
    episodeAdvantage: Array.from(result.episodeAdvantage),
    stepAdvantage: Array.from(result.stepAdvantage),
    anchorGroup: Array.from(result.anchorGroup),
    stepReturn: result.stepReturn === null ? null : Array.from(result.stepReturn),
    stats: result.stats as unknown as Record<string, unknown>,
  };
}

