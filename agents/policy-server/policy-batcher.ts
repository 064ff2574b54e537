/**
 * Micro-batching of policy decisions: the requests that arrive within `windowMs` of the first
 * queued one (or while the event loop is busy) are scored together, one forward pass per
 * temperature, up to `maxBatch` rows per pass. Many
 * concurrent clients (an LLM agent with 8 requests in flight, a fleet of them) then cost a few
 * forward passes instead of one each.
 *
 * A greedy row (temperature 0) takes the most likely candidate at temperature 1, as the policy's
 * own greedy evaluation does, and reports log π at temperature 1. A sampled row draws from π at its
 * temperature with its request's own RNG, so a request with a `seed` gets the same reply whatever
 * else is in the batch.
 * @module
 */
import type { Rng } from '../../envs/core/rng.js';
import type { PolicyInput } from '../policy/featurizer.js';
import type { ActionScorer } from '../policy/model.js';

export interface PolicyJob {
  input: PolicyInput;
  /** 0: greedy. */
  temperature: number;
  /** Draws the sample of a temperature > 0 row. */
  rng: Rng;
}

export interface PolicyChoice {
  index: number;
  action: string;
  /** log π(action) at the temperature used (1 for greedy). */
  logp: number;
  /** log π of every candidate, in candidate order. */
  logProbs: number[];
}

interface Pending {
  job: PolicyJob;
  resolve: (choice: PolicyChoice) => void;
  reject: (err: unknown) => void;
}

export class PolicyBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Forward passes run (for tests and the bench). */
  passes = 0;
  /** Rows scored. */
  rows = 0;

  constructor(
    private readonly scorer: ActionScorer,
    private readonly maxBatch = 256,
    private readonly windowMs = 0,
  ) {}

  /** Rows waiting for the next pass. */
  get pending(): number {
    return this.queue.length;
  }

  choose(job: PolicyJob): Promise<PolicyChoice> {
    return new Promise<PolicyChoice>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        if (this.windowMs > 0) setTimeout(() => this.flush(), this.windowMs);
        else setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    const byTemperature = new Map<number, Pending[]>();
    for (const p of batch) {
      const t = p.job.temperature === 0 ? 1 : p.job.temperature;
      const list = byTemperature.get(t);
      if (list) list.push(p);
      else byTemperature.set(t, [p]);
    }
    for (const [temperature, group] of byTemperature) {
      let results;
      try {
        results = this.scorer.act(
          group.map((p) => p.job.input),
          { greedy: true, temperature },
        );
        this.passes += 1;
        this.rows += group.length;
      } catch (err) {
        for (const p of group) p.reject(err);
        continue;
      }
      group.forEach((p, i) => {
        const r = results[i]!;
        const logProbs = Array.from(r.probs, (x) => Math.log(x));
        if (p.job.temperature === 0) {
          p.resolve({ index: r.index, action: r.action, logp: r.logp, logProbs });
          return;
        }
        const index = sample(r.probs, p.job.rng);
        p.resolve({ index, action: p.job.input.candidates[index] as string, logp: logProbs[index] as number, logProbs });
      });
    }
  }
}

/** Inverse-CDF sampling from `probs` with one draw of `rng`. */
export function sample(probs: ArrayLike<number>, rng: Rng): number {
  const u = rng.next();
  let acc = 0;
  for (let k = 0; k < probs.length; k++) {
    acc += probs[k] as number;
    if (u < acc) return k;
  }
  return probs.length - 1;
}
