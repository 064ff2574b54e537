/**
 * The scorer as a TrainablePolicy: the tfjs ActionScorer and its Adam optimizer, trained exactly
 * as before the seam existed — π_old and π_ref per row (`scorePolicy`), the updates of
 * trainer/update.ts, SFT on the demonstrated decisions (`sftUpdate`), checkpoints in the tfjs
 * layout (agents/policy/checkpoint.ts).
 * @module
 */
import { PolicyAgent } from '../agents/policy-agent.js';
import { loadCheckpoint, loadScorer, saveCheckpoint, saveScorer } from '../agents/policy/checkpoint.js';
import type { ActionScorer } from '../agents/policy/model.js';
import { AdamClip } from '../agents/policy/optimizer.js';
import { decisionOf, scorePolicy, type Batch } from './batch.js';
import type { PpoLossConfig } from './losses/ppo.js';
import type { CollectedTrajectory } from './rollout.js';
import type { AgentOptions, SftOptions, SftResult, TrainablePolicy } from './trainable-policy.js';
import { sftUpdate, UPDATES, type LossName, type UpdateOptions, type UpdateStats } from './update.js';

export class ScorerPolicy implements TrainablePolicy {
  readonly kind = 'scorer' as const;

  constructor(
    readonly scorer: ActionScorer,
    /** null for a frozen copy (the reference). */
    readonly optimizer: AdamClip | null,
  ) {}

  get canUpdate(): boolean {
    return this.optimizer !== null;
  }

  get historyLength(): number {
    return this.scorer.config.featurizer.historyLength;
  }

  makeAgent(options: AgentOptions): PolicyAgent {
    return new PolicyAgent(this.scorer, options);
  }

  scoreBatch(batch: Batch, reference: TrainablePolicy | null): void {
    scorePolicy(batch, this.scorer, reference === null ? null : (reference as ScorerPolicy).scorer);
  }

  update(loss: LossName, batch: Batch, lossConfig: PpoLossConfig, options: UpdateOptions, hint: string): UpdateStats {
    if (this.optimizer === null) throw new RangeError('ScorerPolicy.update: this copy is frozen (no optimizer).');
    return UPDATES[loss](this.scorer, this.optimizer, batch, lossConfig, options, hint);
  }

  sft(demos: readonly CollectedTrajectory[], options: SftOptions): SftResult {
    const rows = demos.filter((t) => t.success).flatMap((t) => t.steps.map((_, k) => decisionOf(t, k))).filter((r) => r.chosen >= 0);
    const optimizer = new AdamClip({ lr: options.lr, maxGradNorm: options.maxGradNorm });
    try {
      const result = sftUpdate(this.scorer, optimizer, rows, options);
      return { ...result, decisions: rows.length };
    } finally {
      optimizer.dispose();
    }
  }

  cloneFrozen(): ScorerPolicy {
    return new ScorerPolicy(this.scorer.clone({ trainable: false }), null);
  }

  async save(dir: string, parts: Parameters<TrainablePolicy['save']>[1] = {}): Promise<void> {
    if (parts.withOptimizer !== true && parts.runState === undefined) {
      await saveScorer(this.scorer, dir);
      return;
    }
    await saveCheckpoint(dir, {
      scorer: this.scorer,
      ...(parts.withOptimizer === true && this.optimizer !== null ? { optimizer: this.optimizer } : {}),
      ...(parts.runState === undefined ? {} : { runState: parts.runState }),
    });
  }

  dispose(): void {
    this.scorer.dispose();
    this.optimizer?.dispose();
  }

  /** A scorer checkpoint: the weights, its optimizer (when saved) and run state. */
  static async load(dir: string, options: { trainable: boolean }): Promise<{ policy: ScorerPolicy; runState?: Awaited<ReturnType<typeof loadCheckpoint>>['runState'] }> {
    if (!options.trainable) return { policy: new ScorerPolicy(await loadScorer(dir), null) };
    const loaded = await loadCheckpoint(dir, { trainable: true });
    return { policy: new ScorerPolicy(loaded.scorer, loaded.optimizer ?? null), ...(loaded.runState === undefined ? {} : { runState: loaded.runState }) };
  }
}
