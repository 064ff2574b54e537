/**
 * LSPO's latent spaces in the run store: for each run, iteration and role, the clusters (latent
 * strategies) with their size, representative utterance, examples and centroid; and the latent
 * policy per information set. An iteration's rows are written in one transaction after the
 * iteration itself (`recordIteration`), and go with it when it is deleted.
 *
 * @example
 * const latent = new LatentStore(store);
 * latent.record(runId, 1, clusters, policies);
 * latent.clusters(runId, { role: 'werewolf' });
 * @module
 */
import type Database from 'better-sqlite3';
import { isSqliteError, StoreError } from './errors.js';
import type { RunStore } from './store.js';

export interface LatentClusterExample {
  utterance: string;
  /** How often it was proposed. */
  count: number;
  /** Squared distance to the centroid. */
  distance: number;
}

export interface LatentClusterInput {
  role: string;
  cluster: number;
  /** Proposals in the cluster. */
  size: number;
  /** Distinct utterances in the cluster. */
  distinct: number;
  representative: string;
  examples: LatentClusterExample[];
  centroid: ArrayLike<number>;
}

export interface StoredLatentCluster extends Omit<LatentClusterInput, 'centroid'> {
  runId: number;
  iteration: number;
  centroid: number[];
}

export interface LatentPolicyInput {
  infoSet: string;
  /** The role whose clusters the probabilities are over. */
  role: string;
  probs: number[];
}

export interface StoredLatentPolicy extends LatentPolicyInput {
  runId: number;
  iteration: number;
}

interface ClusterRow {
  run_id: number;
  iteration: number;
  role: string;
  cluster: number;
  size: number;
  distinct_count: number;
  representative: string;
  examples: string;
  centroid: Buffer;
}

interface PolicyRow {
  run_id: number;
  iteration: number;
  info_set: string;
  role: string;
  probs: string;
}

export class LatentStore {
  private readonly db: Database.Database;

  constructor(private readonly store: RunStore) {
    this.db = store.db;
  }

  /** Writes one iteration's clusters and latent policy (replacing what that iteration had). */
  record(runId: number, iteration: number, clusters: readonly LatentClusterInput[], policies: readonly LatentPolicyInput[]): void {
    if (this.store.options.readonly) throw new StoreError('STORE_READONLY', `The store '${this.store.path}' is open read-only: open it without { readonly: true } to write.`);
    const insertCluster = this.db.prepare(
      `INSERT OR REPLACE INTO latent_clusters (run_id, iteration, role, cluster, size, distinct_count, representative, examples, centroid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertPolicy = this.db.prepare(`INSERT OR REPLACE INTO latent_policies (run_id, iteration, info_set, role, probs) VALUES (?, ?, ?, ?, ?)`);
    const write = this.db.transaction(() => {
      this.db.prepare(`DELETE FROM latent_clusters WHERE run_id = ? AND iteration = ?`).run(runId, iteration);
      this.db.prepare(`DELETE FROM latent_policies WHERE run_id = ? AND iteration = ?`).run(runId, iteration);
      for (const c of clusters) {
        const centroid = Float32Array.from(c.centroid);
        insertCluster.run(runId, iteration, c.role, c.cluster, c.size, c.distinct, c.representative, JSON.stringify(c.examples), Buffer.from(centroid.buffer, centroid.byteOffset, centroid.byteLength));
      }
      for (const p of policies) insertPolicy.run(runId, iteration, p.infoSet, p.role, JSON.stringify(p.probs));
    });
    try {
      write.immediate();
    } catch (err) {
      if (isSqliteError(err) && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new StoreError('STORE_NOT_FOUND', `Iteration ${iteration} of run ${runId} is not recorded: record the iteration (recordIteration) before its latent space.`, { runId, iteration });
      }
      throw err;
    }
  }

  /** A run's clusters, by iteration, role and cluster id. */
  clusters(runId: number, filter: { iteration?: number; role?: string } = {}): StoredLatentCluster[] {
    if (!this.hasTables()) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM latent_clusters WHERE run_id = ? AND (? IS NULL OR iteration = ?) AND (? IS NULL OR role = ?) ORDER BY iteration, role, cluster`,
      )
      .all(runId, filter.iteration ?? null, filter.iteration ?? null, filter.role ?? null, filter.role ?? null) as ClusterRow[];
    return rows.map((r) => ({
      runId: r.run_id,
      iteration: r.iteration,
      role: r.role,
      cluster: r.cluster,
      size: r.size,
      distinct: r.distinct_count,
      representative: r.representative,
      examples: JSON.parse(r.examples) as LatentClusterExample[],
      centroid: Array.from(new Float32Array(r.centroid.buffer.slice(r.centroid.byteOffset, r.centroid.byteOffset + r.centroid.byteLength))),
    }));
  }

  /** A run's latent policy, by iteration and information set. */
  policies(runId: number, filter: { iteration?: number } = {}): StoredLatentPolicy[] {
    if (!this.hasTables()) return [];
    const rows = this.db
      .prepare(`SELECT * FROM latent_policies WHERE run_id = ? AND (? IS NULL OR iteration = ?) ORDER BY iteration, info_set`)
      .all(runId, filter.iteration ?? null, filter.iteration ?? null) as PolicyRow[];
    return rows.map((r) => ({ runId: r.run_id, iteration: r.iteration, infoSet: r.info_set, role: r.role, probs: JSON.parse(r.probs) as number[] }));
  }

  /** Whether the run has any latent space (an LSPO run). */
  hasLatentSpace(runId: number): boolean {
    if (!this.hasTables()) return false;
    return this.db.prepare(`SELECT 1 FROM latent_clusters WHERE run_id = ? LIMIT 1`).get(runId) !== undefined;
  }

  /** False for a store written before the tables existed (opened read-only without migrating). */
  private hasTables(): boolean {
    return this.db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'latent_clusters'`).get() !== undefined;
  }
}
