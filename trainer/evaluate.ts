/**
 * Evaluation: play N tasks of a split (indices 0..N-1, so every task type is covered evenly)
 * with an agent (the greedy policy by default) and report success overall and by task type, and
 * the loop rate: the share of episodes that take the same action in the same env state more than
 * twice (a greedy policy that cannot remember where it has been walks in circles).
 * @module
 */
import type { Agent } from '../agents/agent.js';
import { proposerFor } from '../agents/candidates.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import type { ActionScorer } from '../agents/policy/model.js';
import { Rng } from '../envs/core/rng.js';
import type { EnvProvider } from './env-provider.js';
import { collectGroups, type CollectedTrajectory, type GroupSpec } from './rollout.js';
import type { TrainablePolicy } from './trainable-policy.js';

export interface EvalOptions {
  split: string;
  episodes: number;
  /** Env seeds are seed + i. */
  seed: number;
  /** History steps the agent is given (default: the policy's own `historyLength`; all for other agents). */
  historyLength?: number;
  retries: number;
  /** Sample at this temperature instead of acting greedily (0 or absent: greedy). */
  temperature?: number;
  /** Play these task indices of the split (wrapping) instead of 0..episodes-1, e.g. the tasks a run trained on. */
  tasks?: readonly number[];
}

export interface EvalSummary {
  split: string;
  episodes: number;
  successRate: number;
  meanReturn: number;
  meanLength: number;
  /** Share of episodes that repeat a (state, action) pair more than twice ({@link loops}). */
  loopRate: number;
  /** Share of steps whose action the env did not accept (`info.invalid`). */
  invalidRate: number;
  byTaskType: Record<string, { episodes: number; successRate: number }>;
}

/**
 * True when the trajectory takes the same action in the same env state more than `times` times.
 * The state is `info.stateKey` (the env's hash of its true state) where the env gives one, else
 * the observation's anchor text.
 */
export function loops(t: CollectedTrajectory, times = 2): boolean {
  const counts = new Map<string, number>();
  for (const s of t.steps) {
    const key = `${s.record.stateKey || s.record.anchor}\u0000${s.record.action}`;
    const n = (counts.get(key) ?? 0) + 1;
    if (n > times) return true;
    counts.set(key, n);
  }
  return false;
}

/** The tasks an evaluation plays: split indices 0..n-1, or the given `tasks` (wrapping), seeds seed+i. */
export function evalGroups(split: string, episodes: number, splitSize: number, seed: number, tasks?: readonly number[]): GroupSpec[] {
  const index = tasks === undefined || tasks.length === 0 ? (i: number) => i % splitSize : (i: number) => tasks[i % tasks.length] as number;
  return Array.from({ length: episodes }, (_, i) => ({ groupId: `eval${i}`, task: { split, index: index(i) }, seed: seed + i }));
}

export function summarize(split: string, trajs: readonly CollectedTrajectory[]): EvalSummary {
  const byType: Record<string, { episodes: number; successes: number }> = {};
  for (const t of trajs) {
    const type = t.task?.type ?? 'default';
    const entry = (byType[type] ??= { episodes: 0, successes: 0 });
    entry.episodes += 1;
    entry.successes += t.success ? 1 : 0;
  }
  const n = trajs.length;
  return {
    split,
    episodes: n,
    successRate: n ? trajs.filter((t) => t.success).length / n : 0,
    meanReturn: n ? trajs.reduce((s, t) => s + t.return, 0) / n : 0,
    meanLength: n ? trajs.reduce((s, t) => s + t.steps.length, 0) / n : 0,
    loopRate: n ? trajs.filter((t) => loops(t)).length / n : 0,
    invalidRate: invalidRate(trajs),
    byTaskType: Object.fromEntries(
      Object.entries(byType)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, { episodes: v.episodes, successRate: v.successes / v.episodes }]),
    ),
  };
}

/** The share of steps whose action the env did not accept. */
export function invalidRate(trajs: readonly CollectedTrajectory[]): number {
  let steps = 0;
  let invalid = 0;
  for (const t of trajs) {
    steps += t.steps.length;
    invalid += t.steps.filter((s) => s.record.invalid).length;
  }
  return steps === 0 ? 0 : invalid / steps;
}

/** Plays the split's first N tasks with `agent`; returns the summary and the trajectories. */
export async function evaluateWith(
  provider: EnvProvider,
  agent: Agent,
  options: EvalOptions,
): Promise<{ summary: EvalSummary; trajectories: CollectedTrajectory[] }> {
  const described = await provider.describe();
  const size = described.splits[options.split];
  if (size === undefined) {
    throw new RangeError(`'${options.split}' is not a split of ${described.id} (splits: ${Object.keys(described.splits).join(', ')})`);
  }
  const outside = options.tasks?.find((t) => !Number.isInteger(t) || t < 0 || t >= size);
  if (outside !== undefined) throw new RangeError(`task ${outside} is not in '${options.split}' of ${described.id} (indices 0..${size - 1})`);
  const groups = evalGroups(options.split, options.episodes, size, options.seed, options.tasks);
  const { trajectories } = await collectGroups(provider, agent, groups, {
    groupSize: 1,
    historyLength: options.historyLength ?? Number.MAX_SAFE_INTEGER,
    retries: options.retries,
    propose: proposerFor(described.id),
  });
  return { summary: summarize(options.split, trajectories), trajectories };
}

/** Evaluates a trainable policy (scorer or LM): greedy unless a temperature is given; the same agent `evaluate` builds for a scorer. */
export async function evaluatePolicy(provider: EnvProvider, policy: TrainablePolicy, options: EvalOptions): Promise<EvalSummary> {
  const sampled = options.temperature !== undefined && options.temperature > 0;
  const agent = policy.makeAgent({ greedy: !sampled, temperature: options.temperature ?? 1, rng: new Rng(`eval:${options.seed}`) });
  try {
    return (await evaluateWith(provider, agent, { ...options, historyLength: options.historyLength ?? policy.historyLength })).summary;
  } finally {
    await agent.close?.();
  }
}

/** Evaluates a policy: greedy unless a temperature is given. */
export async function evaluate(provider: EnvProvider, scorer: ActionScorer, options: EvalOptions): Promise<EvalSummary> {
  const sampled = options.temperature !== undefined && options.temperature > 0;
  const agent = new PolicyAgent(scorer, { greedy: !sampled, temperature: options.temperature ?? 1, rng: new Rng(`eval:${options.seed}`) });
  return (await evaluateWith(provider, agent, { ...options, historyLength: options.historyLength ?? scorer.config.featurizer.historyLength })).summary;
}
