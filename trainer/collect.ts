/**
 * The collect stage: what a collector is given and what it returns, and the default collector
 * (G train tasks × N copies, one group each, played by the sampling policy).
 *
 * A collector returns trajectories stamped with their group (and, for multi-agent rollouts, their
 * seat); anything that does that (a game collector playing seats, ARPO's replay on top of groups,
 * REFUEL's branched pairs) slots into the ALGORITHMS record as `collect`.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import { proposerFor } from '../agents/candidates.js';
import type { ActionScorer } from '../agents/policy/model.js';
import type { Rng } from '../envs/core/rng.js';
import type { EnvSummary } from '../envs/core/spec.js';
import type { ReplayBuffer } from '../replay/replay-buffer.js';
import type { Collection } from './batch.js';
import type { TrainConfig } from './config.js';
import type { EnvProvider } from './env-provider.js';
import { METRIC } from './metrics.js';
import { collectorFor, type Collector } from './collectors.js';
import type { GroupSpec } from './rollout.js';

export interface CollectContext {
  iteration: number;
  /** The run in the store (provenance of what the collector stores). */
  runId: number;
  config: TrainConfig;
  provider: EnvProvider;
  /** The env as `envs.list` describes it (splits, capabilities). */
  env: EnvSummary;
  /** The scorer being trained (to build agents, e.g. one per seat); absent when a language model is. */
  scorer?: ActionScorer;
  /** The sampling policy of this iteration (temperature `config.temperature`, the run's rng). */
  agent: Agent;
  /** The run's seeded rng: task sampling, env seeds, replay sampling, branch turns. */
  rng: Rng;
  /** ARPO's per-task buffer of successes (null for algorithms without replay). */
  replayBuffer: ReplayBuffer | null;
  /** The train-split tasks selected for training (`selectTasks`); null: the whole train pool. */
  taskPool: readonly number[] | null;
  log: (line: string) => void;
  /** Collects instead of the env's own collector (`--league`: trainer/league-collector.ts). */
  collector?: Collector;
}

/** The collect stage of an algorithm: everything it needs in, trajectories with their groups out. */
export type CollectStage = (ctx: CollectContext) => Promise<Collection>;

/**
 * Samples G groups: a train task each, and one env seed shared by the group's copies. `pool` is
 * the number of tasks to draw from (indices 0..pool-1) or the task indices themselves.
 */
export function sampleGroups(rng: Rng, iteration: number | string, groups: number, split: string, pool: number | readonly number[]): GroupSpec[] {
  const draw = typeof pool === 'number' ? () => rng.int(pool) : () => pool[rng.int(pool.length)] as number;
  return Array.from({ length: groups }, (_, g) => ({
    groupId: `i${iteration}g${g}`,
    task: { split, index: draw() },
    seed: rng.int(2 ** 31),
  }));
}

/** What an iteration draws its tasks from: the selected tasks, else the first `trainPoolSize` of the split. */
export function trainPool(ctx: Pick<CollectContext, 'taskPool' | 'env' | 'config'>): number | readonly number[] {
  return ctx.taskPool ?? trainPoolSize(ctx.env, ctx.config);
}

/** How many tasks of the train split are sampled from: the split, or its first `trainTasks`. */
export function trainPoolSize(env: EnvSummary, config: Pick<TrainConfig, 'trainSplit' | 'trainTasks'>): number {
  const size = env.splits[config.trainSplit];
  if (size === undefined) throw new RangeError(`trainSplit: '${config.trainSplit}' is not a split of ${env.id} (splits: ${Object.keys(env.splits).join(', ')})`);
  return config.trainTasks > 0 ? Math.min(config.trainTasks, size) : size;
}

/**
 * G tasks × N copies with the sampling policy (GRPO, RLOO, GiGPO; ARPO before its replay). On a
 * multi-agent env the groups are games: the policy in its seats (`seats`), the `opponent` in the
 * others, one group per seat (trainer/collectors.ts).
 */
export const groupCollector: CollectStage = async (ctx) => {
  const { config, iteration } = ctx;
  const groups = sampleGroups(ctx.rng, iteration, config.groups, config.trainSplit, trainPool(ctx));
  const rollout = await (ctx.collector ?? collectorFor(config, ctx.env))(ctx.provider, ctx.agent, groups, {
    groupSize: config.groupSize,
    historyLength: config.historyLength,
    retries: config.groupRetries,
    waves: config.rolloutWaves,
    propose: proposerFor(config.env),
    onRetry: (g, err, attempt) => ctx.log(`iteration ${iteration}: group ${g} lost its env (${err.code}); collecting it again (attempt ${attempt})`),
  });
  return {
    trajectories: rollout.trajectories,
    envSteps: rollout.steps,
    ms: rollout.ms,
    metrics: { [METRIC.retriedGroups]: rollout.retriedGroups },
  };
};
