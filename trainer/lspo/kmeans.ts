/**
 * k-means with k-means++ seeding (the `ml-kmeans` package) and a fixed seed, restarted a few times
 * from different seeds, keeping the run with the lowest inertia (scikit-learn's `n_init`).
 * @module
 */
import { kmeans } from 'ml-kmeans';
import { LspoError } from './errors.js';
import { squaredDistance } from './text-embedding.js';

export interface KmeansOptions {
  seed: number;
  /** Runs from different seeds; the lowest inertia wins. */
  restarts: number;
  maxIterations: number;
}

export interface KmeansFit {
  /** Cluster of each point. */
  assignments: number[];
  centroids: number[][];
  /** Σ squared distance of each point to its centroid. */
  inertia: number;
  /** The k used: the requested k, capped by the number of distinct points. */
  k: number;
}

export const DEFAULT_KMEANS_OPTIONS: Readonly<KmeansOptions> = { seed: 0, restarts: 10, maxIterations: 100 };

/** Clusters `points` into at most `k` clusters (fewer when there are fewer distinct points). */
export function fitKmeans(points: readonly (readonly number[])[], k: number, options: Partial<KmeansOptions> = {}): KmeansFit {
  const o = { ...DEFAULT_KMEANS_OPTIONS, ...options };
  if (!Number.isInteger(k) || k < 1) throw new LspoError('LSPO_CONFIG_INVALID', `k must be a positive integer, got ${k}.`);
  if (points.length === 0) throw new LspoError('LSPO_NO_SPEECH', 'k-means got no points: there is nothing to cluster.');
  const distinct = new Set(points.map((p) => p.join(','))).size;
  const kk = Math.min(k, distinct);
  const data = points.map((p) => [...p]);
  if (kk === 1) {
    const centroid = data[0]!.map((_, d) => data.reduce((s, p) => s + (p[d] as number), 0) / data.length);
    return { assignments: data.map(() => 0), centroids: [centroid], inertia: inertiaOf(data, [centroid], data.map(() => 0)), k: 1 };
  }
  let best: KmeansFit | null = null;
  for (let r = 0; r < Math.max(1, o.restarts); r++) {
    const fit = kmeans(data, kk, { initialization: 'kmeans++', seed: o.seed * 7919 + r, maxIterations: o.maxIterations });
    const inertia = inertiaOf(data, fit.centroids, fit.clusters);
    if (best === null || inertia < best.inertia - 1e-12) best = { assignments: [...fit.clusters], centroids: fit.centroids.map((c) => [...c]), inertia, k: kk };
  }
  return best as KmeansFit;
}

function inertiaOf(data: readonly (readonly number[])[], centroids: readonly (readonly number[])[], assignments: readonly number[]): number {
  return data.reduce((s, p, i) => s + squaredDistance(p, centroids[assignments[i] as number] as readonly number[]), 0);
}
