/**
 * ARPO's task selection (docs/algorithms.md, "ARPO"): before RL, the starting policy plays every
 * task of the train pool `attempts` times, sampling, and training then draws only from the tasks it
 * solved at least once. ARPO kept the OSWorld tasks its base model solved in at least one of 16
 * attempts (128 of 369): tasks nobody can solve give an all-failure group that no replay can help,
 * tasks solved sometimes are where a stored success has something to teach.
 *
 * The selection is the run's: it is kept in the checkpoint's run state, so `--resume` trains on
 * the same tasks, and every method started from the same policy and seed selects the same ones.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import { proposerFor } from '../agents/candidates.js';
import type { Rng } from '../envs/core/rng.js';
import type { EnvSummary } from '../envs/core/spec.js';
import type { TrainConfig } from './config.js';
import { collectorFor } from './collectors.js';
import type { EnvProvider } from './env-provider.js';
import { TrainerError } from './errors.js';
import type { CollectedTrajectory, GroupSpec } from './rollout.js';

/** A type, not an interface, so it is JSON for the run state. */
export type TaskSelection = {
  /** Indices into the train split, ascending: the tasks solved at least `minSuccesses` times. */
  tasks: number[];
  /** Tasks tried (the train pool). */
  tried: number;
  /** Episodes played per task. */
  attempts: number;
  /** Env steps the attempts took (not counted in the RL budget). */
  envSteps: number;
};

/** The task indices (ascending) with at least `minSuccesses` successful trajectories. */
export function solvedTasks(trajectories: readonly Pick<CollectedTrajectory, 'task' | 'success'>[], minSuccesses = 1): number[] {
  const wins = new Map<number, number>();
  for (const t of trajectories) {
    const index = t.task?.index;
    if (index === undefined) continue;
    wins.set(index, (wins.get(index) ?? 0) + (t.success ? 1 : 0));
  }
  return [...wins.entries()]
    .filter(([, n]) => n >= minSuccesses)
    .map(([index]) => index)
    .sort((a, b) => a - b);
}

/**
 * Plays each of the first `poolSize` tasks of the train split `config.selectTasks` times with
 * `agent` (G tasks at a time, like an iteration) and keeps the solved ones. Throws
 * NO_TASKS_SELECTED when the policy solved none.
 */
export async function selectTasks(
  provider: EnvProvider,
  agent: Agent,
  config: TrainConfig,
  env: EnvSummary,
  poolSize: number,
  rng: Rng,
): Promise<TaskSelection> {
  const attempts = config.selectTasks;
  const collect = collectorFor(config, env);
  const trajectories: CollectedTrajectory[] = [];
  let envSteps = 0;
  for (let first = 0; first < poolSize; first += config.groups) {
    const groups: GroupSpec[] = [];
    for (let index = first; index < Math.min(poolSize, first + config.groups); index++) {
      groups.push({ groupId: `select${index}`, task: { split: config.trainSplit, index }, seed: rng.int(2 ** 31) });
    }
    const rollout = await collect(provider, agent, groups, {
      groupSize: attempts,
      historyLength: config.historyLength,
      retries: config.groupRetries,
      propose: proposerFor(config.env),
    });
    trajectories.push(...rollout.trajectories);
    envSteps += rollout.steps;
  }
  const tasks = solvedTasks(trajectories);
  if (tasks.length === 0) {
    throw new TrainerError(
      'NO_TASKS_SELECTED',
      `Task selection kept no task: the starting policy solved none of the ${poolSize} tasks of ${env.id}'s ${config.trainSplit} pool in ${attempts} attempts each. ` +
        'Raise selectTasks (--select-tasks), widen the pool (--train-tasks), or start from a stronger policy (more --demos).',
    );
  }
  return { tasks, tried: poolSize, attempts, envSteps };
}
