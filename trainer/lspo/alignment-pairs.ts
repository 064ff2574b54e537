/**
 * Stage 3a: latent-space expansion and preference data. At every speech turn of the iteration's
 * self-play, the reference speaker (the speaker before this iteration's update) proposes utterances
 * again; each is mapped to its nearest cluster, and pairs in different clusters are labelled by
 * the latent policy (preferences.ts). Proposals that fall far from every centroid still map to the
 * nearest one; the next iteration's clustering is where they can form clusters of their own.
 * @module
 */
import type { PolicyInput } from '../../agents/policy/featurizer.js';
import type { ActionScorer } from '../../agents/policy/model.js';
import { Rng } from '../../envs/core/rng.js';
import type { SpeechRecord } from './domain.js';
import { clusterOf, roleSpace, type LatentSpace } from './latent-space.js';
import { latentStrategy, type LatentPolicy } from './latent-policy.js';
import { clusterMass, preferencePairs, strategyRewards, withExploration, type PreferenceLabels, type PreferenceReward } from './preferences.js';
import { proposeWithoutReplacement } from './proposals.js';
import { squaredDistance, type TextEmbedder } from './text-embedding.js';

/** One DPO training pair, with the reference's log-probabilities. */
export interface DpoPair {
  input: PolicyInput;
  /** Indices into `input.candidates`. */
  chosen: number;
  rejected: number;
  label: number;
  refChosen: number;
  refRejected: number;
}

export interface AlignmentOptions {
  proposals: number;
  maxPairsPerTurn: number;
  reward: PreferenceReward;
  labels: PreferenceLabels;
  /** ε: σ is mixed with the uniform strategy before it labels pairs. */
  explore: number;
  seed: number;
}

export interface AlignmentData {
  pairs: DpoPair[];
  /** Speech turns that gave at least one pair. */
  turnsWithPairs: number;
  /** Proposals mapped, and the mean squared distance to their centroid. */
  proposals: number;
  meanDistance: number;
  /** Mean reward gap of the pairs. */
  meanGap: number;
}

/**
 * How far the speaker is from the latent policy, over speech turns: the mean total-variation
 * distance between its mass on the clusters present in the turn's pool and σ' = (1 − ε)σ + ε/k
 * restricted to those clusters (both renormalised). 0 when the speaker says each latent strategy
 * exactly as often as the latent policy plays it.
 */
export function alignmentGap(records: readonly SpeechRecord[], speaker: ActionScorer, space: LatentSpace, latent: LatentPolicy, embedder: TextEmbedder, explore: number): number {
  if (records.length === 0) return 0;
  let total = 0;
  const CHUNK = 512;
  for (let start = 0; start < records.length; start += CHUNK) {
    const chunk = records.slice(start, start + CHUNK);
    const { probs } = speaker.scoreBatch(chunk.map((r) => r.input));
    chunk.forEach((r, j) => {
      const k = roleSpace(space, r.role).clusters.length;
      const clusters = r.embedTexts.map((t) => clusterOf(space, r.role, t, embedder));
      const mass = clusterMass(probs[j] as Float64Array, clusters, k);
      const sigma = withExploration(latentStrategy(latent, r.infoSet, k), explore);
      const present = [...new Set(clusters)];
      const sigmaPresent = present.reduce((a, z) => a + (sigma[z] as number), 0);
      total += 0.5 * present.reduce((a, z) => a + Math.abs((mass[z] as number) - (sigma[z] as number) / sigmaPresent), 0);
    });
  }
  return total / records.length;
}

export function alignmentPairs(
  records: readonly SpeechRecord[],
  reference: ActionScorer,
  space: LatentSpace,
  latent: LatentPolicy,
  embedder: TextEmbedder,
  options: AlignmentOptions,
): AlignmentData {
  const rng = new Rng(`lspo/align/${options.seed}`);
  const clusterCache = new Map<string, number>();
  const clusterFor = (role: string, text: string): number => {
    const key = `${role}\u0000${text}`;
    let c = clusterCache.get(key);
    if (c === undefined) {
      c = clusterOf(space, role, text, embedder);
      clusterCache.set(key, c);
    }
    return c;
  };
  const pairs: DpoPair[] = [];
  let turnsWithPairs = 0;
  let proposals = 0;
  let distance = 0;
  let gaps = 0;
  const CHUNK = 512;
  for (let start = 0; start < records.length; start += CHUNK) {
    const chunk = records.slice(start, start + CHUNK);
    const { probs } = reference.scoreBatch(chunk.map((r) => r.input));
    chunk.forEach((r, j) => {
      const p = probs[j] as Float64Array;
      const rs = roleSpace(space, r.role);
      const k = rs.clusters.length;
      const poolClusters = r.embedTexts.map((t) => clusterFor(r.role, t));
      const rewards = strategyRewards(withExploration(latentStrategy(latent, r.infoSet, k), options.explore), clusterMass(p, poolClusters, k), options.reward);
      const proposed = proposeWithoutReplacement(p, options.proposals, rng);
      for (const i of proposed) {
        proposals++;
        distance += squaredDistance(embedder.embed(r.embedTexts[i] as string), rs.clusters[poolClusters[i] as number]!.centroid);
      }
      let found = preferencePairs(proposed.map((i) => poolClusters[i] as number), rewards, options.labels);
      if (found.length > options.maxPairsPerTurn) found = rng.shuffle(found).slice(0, options.maxPairsPerTurn);
      if (found.length > 0) turnsWithPairs++;
      for (const f of found) {
        const chosen = proposed[f.chosen] as number;
        const rejected = proposed[f.rejected] as number;
        gaps += f.gap;
        pairs.push({ input: r.input, chosen, rejected, label: f.label, refChosen: Math.log(p[chosen] as number), refRejected: Math.log(p[rejected] as number) });
      }
    });
  }
  return { pairs, turnsWithPairs, proposals, meanDistance: proposals === 0 ? 0 : distance / proposals, meanGap: pairs.length === 0 ? 0 : gaps / pairs.length };
}

