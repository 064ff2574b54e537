/**
 * How a role's latent strategies change from one iteration to the next: each cluster is matched to
 * the nearest cluster of the previous iteration (squared distance between centroids of unit
 * embeddings, 0 … 4). A cluster whose nearest predecessor is farther than `NEW_CLUSTER_DISTANCE`
 * (cosine below 0.75) is new: the speaker now proposes something the previous space did not hold;
 * a previous cluster with no current one that near has vanished.
 * @module
 */

/** Squared centroid distance beyond which a cluster has no predecessor (cosine 0.75 for unit vectors). */
export const NEW_CLUSTER_DISTANCE = 0.5;

export interface ClusterMatch {
  /** Index of the nearest previous cluster, or null when there was no previous iteration. */
  previous: number | null;
  distance: number | null;
  isNew: boolean;
}

export function matchClusters(previous: readonly { centroid: ArrayLike<number> }[] | null, current: readonly { centroid: ArrayLike<number> }[], threshold = NEW_CLUSTER_DISTANCE): ClusterMatch[] {
  return current.map((c) => {
    if (previous === null || previous.length === 0) return { previous: null, distance: null, isNew: false };
    let best = 0;
    let bestDistance = Infinity;
    previous.forEach((p, i) => {
      let d = 0;
      for (let k = 0; k < c.centroid.length; k++) d += ((c.centroid[k] as number) - ((p.centroid[k] as number) ?? 0)) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    });
    return { previous: best, distance: bestDistance, isNew: bestDistance > threshold };
  });
}

/** Clusters of the previous iteration with no current cluster within `threshold` (strategies that died out). */
export function vanishedClusters(previous: readonly { centroid: ArrayLike<number> }[], current: readonly { centroid: ArrayLike<number> }[], threshold = NEW_CLUSTER_DISTANCE): number[] {
  const back = matchClusters(current, previous, threshold);
  return back.flatMap((m, i) => (m.isNew ? [i] : []));
}
