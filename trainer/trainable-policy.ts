/**
 * The seam between the trainer and the policy it trains (DESIGN.md, "Language-model policies"):
 * two kinds behind one interface — the scorer, which picks one of the admissible actions
 * (trainer/scorer-policy.ts), and the language model, which writes its action as text
 * (trainer/lm-policy.ts). The loop (train.ts) only ever calls these; advantage estimators never
 * see the policy at all.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import type { Rng } from '../envs/core/rng.js';
import type { JsonValue } from '../envs/core/types.js';
import type { Batch } from './batch.js';
import type { PpoLossConfig } from './losses/ppo.js';
import type { CollectedTrajectory } from './rollout.js';
import type { LossName, UpdateOptions, UpdateStats } from './update.js';

export type PolicyKind = 'scorer' | 'lm';
export const POLICY_KINDS: readonly PolicyKind[] = ['scorer', 'lm'];

export interface AgentOptions {
  /** Sampling temperature (default 1). */
  temperature?: number;
  /** Take the most likely action (evaluation). */
  greedy?: boolean;
  /** The seeded RNG sampling draws from (required unless greedy). */
  rng?: Rng;
  name?: string;
}

export interface SftOptions extends UpdateOptions {
  lr: number;
  maxGradNorm: number;
}

export interface SftResult {
  /** Mean loss of the last epoch. */
  loss: number;
  /** Mean loss of every epoch. */
  losses: number[];
  /** Decisions (scorer) or turns (LM) trained on. */
  decisions: number;
}

export interface TrainablePolicy {
  readonly kind: PolicyKind;
  /** It has an optimizer (a frozen copy, the reference, has none). */
  readonly canUpdate: boolean;
  /** History steps the policy reads (what rollouts and evaluation give its agent). */
  readonly historyLength: number;
  /** An agent of the current weights. */
  makeAgent(options: AgentOptions): Agent;
  /** Fills the batch's π_old (current weights, T = 1) and, with a reference, π_ref. */
  scoreBatch(batch: Batch, reference: TrainablePolicy | null): void;
  /** One update on the batch with the algorithm's loss, with the policy's own optimizer. */
  update(loss: LossName, batch: Batch, lossConfig: PpoLossConfig, options: UpdateOptions, hint: string): UpdateStats;
  /** Supervised warm start on demonstrated trajectories (a fresh optimizer at `lr`). */
  sft(demos: readonly CollectedTrajectory[], options: SftOptions): SftResult;
  /** A frozen copy of the current weights (the KL reference). */
  cloneFrozen(): TrainablePolicy;
  /** Writes the weights, and the optimizer and run state when given, into `dir`. */
  save(dir: string, parts?: { withOptimizer?: boolean; runState?: { iteration: number; [key: string]: JsonValue | undefined } }): Promise<void>;
  dispose(): void;
}
