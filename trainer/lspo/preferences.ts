/**
 * Stage 3's preference rule (pure): which of two proposed utterances the latent policy prefers.
 *
 * Each latent strategy z of the speaker's role gets a reward at the speech turn:
 *   'ratio':        r(z) = log σ(z | I) − log π_ref(z | x)
 *   'probability':  r(z) = log σ(z | I)
 * where σ is the latent policy at the turn's information set I and π_ref(z | x) is the reference
 * speaker's total probability on the pool utterances of cluster z. Two proposals in different
 * clusters form a pair: the higher reward is chosen. With 'soft' labels the pair carries the
 * Bradley–Terry probability σ(r_w − r_l), so DPO's optimum is π ∝ π_ref · exp(r / β): under 'ratio'
 * and β = 1 the speaker's mass on each cluster becomes exactly σ — a mixed latent policy (the
 * uniform one of rock-paper-scissors-Spock-lizard) is reproduced, not collapsed onto its most
 * likely strategy, which is what 'probability' with 'hard' labels (the plain reading of the paper)
 * drifts towards. Probabilities are floored at `floor` before the log.
 *
 * `explore` mixes σ with the uniform strategy first, σ' = (1 − ε)·σ + ε/k: a latent strategy the
 * solver gave up on keeps a little of the speaker's mass, so its utterances are still proposed and
 * clustered in the next iteration and can come back when the other roles change.
 * @module
 */

export type PreferenceReward = 'ratio' | 'probability';
export type PreferenceLabels = 'soft' | 'hard';

export const PROBABILITY_FLOOR = 1e-6;

/** The speaker's probability mass on each of `k` clusters, given each pool utterance's cluster. */
export function clusterMass(probs: ArrayLike<number>, clusters: readonly number[], k: number): number[] {
  const mass = new Array<number>(k).fill(0);
  clusters.forEach((c, i) => (mass[c] = (mass[c] as number) + (probs[i] as number)));
  return mass;
}

/** (1 − ε)·σ + ε/k. */
export function withExploration(sigma: readonly number[], explore: number): number[] {
  if (!(explore >= 0 && explore <= 1)) throw new RangeError(`explore must be in [0, 1], got ${explore}`);
  return sigma.map((s) => (1 - explore) * s + explore / sigma.length);
}

/** r(z) for every cluster z. */
export function strategyRewards(sigma: readonly number[], referenceMass: readonly number[], reward: PreferenceReward, floor = PROBABILITY_FLOOR): number[] {
  if (sigma.length !== referenceMass.length) throw new RangeError(`σ has ${sigma.length} strategies but the reference mass ${referenceMass.length}.`);
  return sigma.map((s, z) => Math.log(Math.max(s, floor)) - (reward === 'ratio' ? Math.log(Math.max(referenceMass[z] as number, floor)) : 0));
}

export interface PreferencePair {
  /** Indices of the two utterances (as given). */
  chosen: number;
  rejected: number;
  /** Probability that `chosen` is preferred: σ(gap) for soft labels, 1 for hard ones. */
  label: number;
  /** r(chosen's cluster) − r(rejected's cluster), > 0. */
  gap: number;
}

/**
 * Every pair of utterances in different clusters whose rewards differ by more than `minGap`,
 * oriented so the chosen one has the higher reward; `clusters[i]` is utterance i's cluster.
 */
export function preferencePairs(clusters: readonly number[], rewards: readonly number[], labels: PreferenceLabels, minGap = 1e-9): PreferencePair[] {
  const out: PreferencePair[] = [];
  for (let i = 0; i < clusters.length; i++) {
    for (let j = i + 1; j < clusters.length; j++) {
      const zi = clusters[i] as number;
      const zj = clusters[j] as number;
      if (zi === zj) continue;
      const d = (rewards[zi] as number) - (rewards[zj] as number);
      if (Math.abs(d) <= minGap) continue;
      const [chosen, rejected, gap] = d > 0 ? [i, j, d] : [j, i, -d];
      out.push({ chosen, rejected, gap, label: labels === 'soft' ? 1 / (1 + Math.exp(-gap)) : 1 });
    }
  }
  return out;
}
