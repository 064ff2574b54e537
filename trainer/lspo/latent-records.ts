/**
 * An iteration's latent space and latent policy → the store's latent tables (replay/latent-store.ts).
 * Information-set keys start with the role (`<role>` or `<role>|...`), which names the clusters the
 * probabilities are over.
 * @module
 */
import { LatentStore } from '../../replay/latent-store.js';
import type { RunStore } from '../../replay/store.js';
import type { LatentSpace } from './latent-space.js';
import type { LatentPolicy } from './latent-policy.js';

/** The role an information-set key belongs to. */
export function roleOfInfoSet(infoSet: string): string {
  const bar = infoSet.indexOf('|');
  return bar < 0 ? infoSet : infoSet.slice(0, bar);
}

export function recordLatentIteration(store: RunStore, runId: number, iteration: number, space: LatentSpace, latent: LatentPolicy): void {
  const clusters = Object.values(space.roles).flatMap((rs) =>
    rs.clusters.map((c) => ({
      role: rs.role,
      cluster: c.id,
      size: c.size,
      distinct: c.distinct,
      representative: c.representative.utterance,
      examples: c.examples.map((e) => ({ utterance: e.utterance, count: e.count, distance: e.distance })),
      centroid: c.centroid,
    })),
  );
  const policies = [...latent.policy].map(([infoSet, probs]) => ({ infoSet, role: roleOfInfoSet(infoSet), probs: [...probs] }));
  new LatentStore(store).record(runId, iteration, clusters, policies);
}
