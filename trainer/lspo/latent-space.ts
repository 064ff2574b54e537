/**
 * The latent strategy space of one iteration: per role, the k-means clusters of every candidate
 * utterance the speakers proposed, each a discrete latent strategy with its centroid, its size and
 * representative utterances. New utterances map to the nearest centroid of their role.
 *
 * k-means runs over the distinct utterances of a role (by embedding text), each counted once:
 * how often the current speaker proposes an utterance says what it likes now, not what the
 * utterance means, and a rarely proposed but distinct strategy (a lizard among many rocks, a fake
 * seer claim among plain accusations) must not be absorbed into a frequent neighbour because of
 * its small weight. Counts still give each cluster its size and order its examples. Utterances
 * are grouped by their embedding text (the domain's normalised form, e.g. werewolf's "i checked
 * OTHER: a werewolf"); each group shows the first utterance seen with that text.
 * @module
 */
import { Rng } from '../../envs/core/rng.js';
import { LspoError } from './errors.js';
import { fitKmeans } from './kmeans.js';
import { nearestCentroid, squaredDistance, type TextEmbedder, type TextEmbeddingConfig } from './text-embedding.js';

/** One proposed utterance, as clustering sees it. */
export interface UtteranceSample {
  role: string;
  /** What was proposed (the action, e.g. `say[I am the seer.]`). */
  utterance: string;
  /** The text that is embedded (the domain's normalised form). */
  embedText: string;
}

export interface ClusterExample {
  /** An utterance with this embedding text (the first seen). */
  utterance: string;
  embedText: string;
  /** How often it was proposed. */
  count: number;
  /** Squared distance to the cluster's centroid. */
  distance: number;
}

export interface LatentCluster {
  id: number;
  /** Proposals in the cluster. */
  size: number;
  centroid: number[];
  /** The distinct utterances, most proposed first (at most `examples`). */
  examples: ClusterExample[];
  /** Every distinct utterance of the cluster, most proposed first. */
  members: ClusterExample[];
  /** The distinct utterance nearest the centroid. */
  representative: ClusterExample;
  /** How many distinct utterances the cluster holds. */
  distinct: number;
}

export interface RoleSpace {
  role: string;
  clusters: LatentCluster[];
  /** k-means inertia over the clustered points. */
  inertia: number;
  /** Proposals of this role. */
  samples: number;
}

export interface LatentSpace {
  embedding: TextEmbeddingConfig;
  roles: Record<string, RoleSpace>;
}

export interface LatentSpaceOptions {
  /** Clusters per role: one number for all, or per role (roles not named use `default`). */
  k: number | { default: number; [role: string]: number };
  seed: number;
  restarts: number;
  /** At most this many distinct utterances per role are clustered (a seeded sample); all are then assigned. */
  maxPoints: number;
  /** Examples kept per cluster. */
  examples: number;
}

export const DEFAULT_LATENT_SPACE_OPTIONS: Readonly<LatentSpaceOptions> = { k: 6, seed: 0, restarts: 10, maxPoints: 2000, examples: 6 };

function kFor(k: LatentSpaceOptions['k'], role: string): number {
  return typeof k === 'number' ? k : (k[role] ?? k.default);
}

/** Clusters the proposals of each role. */
export function buildLatentSpace(samples: readonly UtteranceSample[], embedder: TextEmbedder, options: Partial<LatentSpaceOptions> = {}): LatentSpace {
  const o = { ...DEFAULT_LATENT_SPACE_OPTIONS, ...options };
  if (samples.length === 0) throw new LspoError('LSPO_NO_SPEECH', 'No utterances were proposed: the games had no speech turns to build a latent space from.');
  const byRole = new Map<string, UtteranceSample[]>();
  for (const s of samples) {
    const list = byRole.get(s.role);
    if (list === undefined) byRole.set(s.role, [s]);
    else list.push(s);
  }
  const roles: Record<string, RoleSpace> = {};
  for (const role of [...byRole.keys()].sort()) {
    const list = byRole.get(role) as UtteranceSample[];
    const rng = new Rng(`lspo/latent-space/${o.seed}/${role}`);
    const distinct = [...new Set(list.map((s) => s.embedText))];
    const fitOn = distinct.length <= o.maxPoints ? distinct : rng.shuffle(distinct).slice(0, o.maxPoints);
    const fit = fitKmeans(fitOn.map((t) => Array.from(embedder.embed(t))), kFor(o.k, role), { seed: o.seed, restarts: o.restarts });
    roles[role] = describeClusters(role, list, fit.centroids, embedder, o.examples, fit.inertia);
  }
  return { embedding: { ...embedder.config }, roles };
}

/** Assigns every sample to its nearest centroid and summarises each cluster. Empty clusters are dropped and the rest renumbered. */
function describeClusters(role: string, samples: readonly UtteranceSample[], centroids: number[][], embedder: TextEmbedder, examples: number, inertia: number): RoleSpace {
  const groups = centroids.map(() => new Map<string, { utterance: string; count: number }>());
  const sizes = centroids.map(() => 0);
  for (const s of samples) {
    const c = nearestCentroid(embedder.embed(s.embedText), centroids);
    sizes[c] = (sizes[c] as number) + 1;
    const g = groups[c] as Map<string, { utterance: string; count: number }>;
    const e = g.get(s.embedText);
    if (e === undefined) g.set(s.embedText, { utterance: s.utterance, count: 1 });
    else e.count++;
  }
  const clusters: LatentCluster[] = [];
  centroids.forEach((centroid, c) => {
    if ((sizes[c] as number) === 0) return;
    const members: ClusterExample[] = [...(groups[c] as Map<string, { utterance: string; count: number }>)].map(([embedText, v]) => ({
      utterance: v.utterance,
      embedText,
      count: v.count,
      distance: squaredDistance(embedder.embed(embedText), centroid),
    }));
    members.sort((a, b) => b.count - a.count || a.distance - b.distance || (a.embedText < b.embedText ? -1 : 1));
    const representative = members.reduce((best, m) => (m.distance < best.distance - 1e-12 ? m : best), members[0] as ClusterExample);
    clusters.push({ id: clusters.length, size: sizes[c] as number, centroid, examples: members.slice(0, examples), members, representative, distinct: members.length });
  });
  return { role, clusters, inertia, samples: samples.length };
}

/** The cluster (latent strategy) of an utterance of `role`: its nearest centroid. */
export function clusterOf(space: LatentSpace, role: string, embedText: string, embedder: TextEmbedder): number {
  const rs = roleSpace(space, role);
  return nearestCentroid(embedder.embed(embedText), rs.clusters.map((c) => c.centroid));
}

export function roleSpace(space: LatentSpace, role: string): RoleSpace {
  const rs = space.roles[role];
  if (rs === undefined) throw new LspoError('LSPO_NO_SPEECH', `The latent space has no clusters for role '${role}' (roles: ${Object.keys(space.roles).join(', ')}): no ${role} spoke in the self-play games.`);
  return rs;
}

/** Clusters per role. */
export function clusterCounts(space: LatentSpace): Record<string, number> {
  return Object.fromEntries(Object.entries(space.roles).map(([role, rs]) => [role, rs.clusters.length]));
}
