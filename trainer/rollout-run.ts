/**
 * `ludus rollout`: one iteration of groups collected by any agent (an LLM behind an
 * OpenAI-compatible server, usually) and recorded like a training iteration, for a trainer outside
 * ludus (TRL, verl) to read back with `ludus advantages` and `ludus export`.
 *
 * G groups of N copies (identical resets: one task and seed per group) go through the trainer's
 * own group machinery (`collectGroups`); a group with an agent failure in it (an LLM request that
 * failed after its retries) or a lost env is collected again whole, so the store holds only whole
 * groups. The run is of kind `train` (the viewer shows its iterations, groups and anchor groups like
 * any training run's), with `config.source = 'rollout'`; a later `ludus rollout --run ID` appends
 * the next iteration to it. Every turn's prompt, completion, token ids and log-probs ride on the
 * steps (`steps.tokens`).
 * @module
 */
import type { Agent, AgentInput, Decision } from '../agents/agent.js';
import { LudusError, OptionsError } from '../envs/core/errors.js';
import { Rng } from '../envs/core/rng.js';
import type { JsonObject } from '../envs/core/types.js';
import { openStore } from '../replay/store.js';
import type { RunInfo } from '../replay/types.js';
import { sampleGroups } from './collect.js';
import { envProviderFor } from './env-provider.js';
import { METRIC } from './metrics.js';
import { episodeRecord } from './records.js';
import { collectGroups, type CollectedTrajectory } from './rollout.js';

export const ROLLOUT_SOURCE = 'rollout';

export interface RolloutRunOptions {
  env: string;
  envOptions: Record<string, unknown>;
  /** Time limit per episode. */
  maxSteps: number;
  /** Env servers; empty: in process. */
  envUrl: string[];
  token?: string;
  /** G: groups (tasks) this iteration. */
  groups: number;
  /** N: copies per group. */
  groupSize: number;
  split: string;
  /** The tasks drawn from: the first n of the split (a number; 0 = all) or these indices. */
  tasks: number | readonly number[];
  /** Seeds task sampling and env seeds (with the iteration). */
  seed: number;
  /** Past steps each agent input carries (the LLM agent cuts it to its own window). */
  historyLength: number;
  /** Times a failed group is collected again. */
  groupRetries: number;
  db: string;
  /** Append to this rollout run (its next iteration); default: a new run. */
  run?: number;
  name?: string;
  /** What to say about the agent in the run's config (model, base URL, sampling). */
  agentConfig?: JsonObject;
}

export interface RolloutRunHooks {
  log?: (line: string) => void;
  onRetry?: (groupId: string, error: LudusError, attempt: number) => void;
}

export interface RolloutRunResult {
  runId: number;
  runName: string;
  iteration: number;
  episodes: number;
  steps: number;
  retriedGroups: number;
  ms: number;
  metrics: Record<string, number>;
}

/** Why a group must be collected again: a decision whose request failed (the agent's `meta.error`). */
export function agentFailure(trajectories: readonly CollectedTrajectory[]): LudusError<string> | null {
  for (const t of trajectories) {
    for (const [k, s] of t.steps.entries()) {
      const error = s.meta?.error as { code?: unknown; message?: unknown } | undefined;
      if (error !== undefined) return new LudusError(typeof error.code === 'string' ? error.code : 'AGENT_FAILED', `trajectory ${t.trajId} step ${k}: ${String(error.message)}`);
    }
  }
  return null;
}

/**
 * Wraps the agent so that a group whose request failed after its retries stops asking: its other
 * decisions come back failed at once, with no request (the group is collected again whole anyway),
 * and an error with a `fatal` code (the server cannot be reached at all) ends the rollout. Keys are
 * `${groupId}/${copy}`, as `collectGroups` names the streams.
 */
export class FailFastByGroup implements Agent {
  readonly name: string;
  private readonly failed = new Set<string>();

  constructor(
    private readonly agent: Agent,
    private readonly fatal: ReadonlySet<string> = new Set(['LLM_UNREACHABLE']),
  ) {
    this.name = agent.name;
  }

  private static groupOf(key: string): string {
    const slash = key.lastIndexOf('/');
    return slash < 0 ? key : key.slice(0, slash);
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    const asking = inputs.filter((i) => !this.failed.has(FailFastByGroup.groupOf(i.key)));
    const answers = asking.length === 0 ? [] : await this.agent.act(asking);
    const byKey = new Map(asking.map((input, i) => [input.key, answers[i] as Decision]));
    for (const [key, d] of byKey) {
      const error = d.meta?.error as { code?: unknown; message?: unknown } | undefined;
      if (error === undefined) continue;
      if (typeof error.code === 'string' && this.fatal.has(error.code)) throw new LudusError(error.code, String(error.message));
      this.failed.add(FailFastByGroup.groupOf(key));
    }
    return inputs.map(
      (input) => byKey.get(input.key) ?? { action: '', logp: null, probs: null, meta: { error: { code: 'GROUP_FAILED', message: 'another request of this group failed after its retries; the group is collected again' } } },
    );
  }

  /** The group is collected again: let it ask. */
  retry(groupId: string): void {
    this.failed.delete(groupId);
  }

  end(keys: readonly string[]): void {
    this.agent.end?.(keys);
  }

  close(): Promise<void> {
    return this.agent.close?.() ?? Promise.resolve();
  }
}

/** The iteration's numbers: success, return, length, invalid actions, speed, LLM tokens and retries. */
export function rolloutRunMetrics(trajectories: readonly CollectedTrajectory[], steps: number, ms: number, retriedGroups: number): Record<string, number> {
  const n = trajectories.length;
  const mean = (f: (t: CollectedTrajectory) => number) => (n === 0 ? 0 : trajectories.reduce((a, t) => a + f(t), 0) / n);
  const all = trajectories.flatMap((t) => t.steps);
  const invalid = all.filter((s) => s.record.invalid).length;
  const metas = all.map((s) => s.meta).filter((m): m is JsonObject => m !== undefined);
  const usage = (key: string) => metas.reduce((a, m) => a + (((m.usage as Record<string, number> | null | undefined)?.[key] as number | undefined) ?? 0), 0);
  const withLogprobs = all.filter((s) => s.tokens?.logprobs != null).length;
  const withIds = all.filter((s) => s.tokens?.ids != null).length;
  return {
    [METRIC.successRate]: mean((t) => (t.success ? 1 : 0)),
    [METRIC.meanReturn]: mean((t) => t.return),
    [METRIC.meanLength]: mean((t) => t.steps.length),
    [METRIC.envSteps]: steps,
    [METRIC.stepsPerSecond]: ms > 0 ? steps / (ms / 1000) : 0,
    [METRIC.invalidRate]: all.length === 0 ? 0 : invalid / all.length,
    [METRIC.retriedGroups]: retriedGroups,
    [METRIC.collectMs]: ms,
    'llm/prompt_tokens': usage('promptTokens'),
    'llm/completion_tokens': usage('completionTokens'),
    'llm/retried_requests': metas.filter((m) => typeof m.attempts === 'number' && m.attempts > 1).length,
    'llm/turns_with_logprobs': withLogprobs,
    'llm/turns_with_token_ids': withIds,
  };
}

/** The rollout run `id` in `runs`, or an error saying why it cannot take another iteration. */
function checkRolloutRun(run: RunInfo | null, id: number, env: string): RunInfo {
  if (run === null) throw new OptionsError('ludus rollout', [`--run ${id}: no such run in the store; leave --run out to start a new rollout run`]);
  if (run.config.source !== ROLLOUT_SOURCE) throw new OptionsError('ludus rollout', [`--run ${id}: run ${id} is a ${run.kind} run of ludus's own trainer, not a rollout run; leave --run out to start one`]);
  if (run.envId !== env) throw new OptionsError('ludus rollout', [`--run ${id}: run ${id} plays ${run.envId}, not ${env}; use --env ${run.envId} or start a new run`]);
  return run;
}

export async function rolloutRun(agent: Agent, options: RolloutRunOptions, hooks: RolloutRunHooks = {}): Promise<RolloutRunResult> {
  const provider = envProviderFor({
    env: options.env,
    envOptions: options.envOptions,
    maxSteps: options.maxSteps,
    envUrl: options.envUrl,
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  const store = openStore(options.db);
  let runId = -1;
  let created = false;
  try {
    const env = await provider.describe();
    if (env.kind === 'multi') throw new OptionsError('ludus rollout', [`--env: ${options.env} is a multi-agent env; ludus rollout plays single-agent envs (train seats with ludus train)`]);
    const size = env.splits[options.split];
    if (size === undefined) throw new OptionsError('ludus rollout', [`--split: '${options.split}' is not a split of ${options.env} (splits: ${Object.keys(env.splits).join(', ')})`]);
    const pool = typeof options.tasks === 'number' ? (options.tasks > 0 ? Math.min(options.tasks, size) : size) : options.tasks;
    if (typeof pool !== 'number') {
      const bad = pool.filter((i) => i >= size);
      if (bad.length > 0) throw new OptionsError('ludus rollout', [`--tasks: ${options.split} of ${options.env} has tasks 0..${size - 1}, not ${bad.join(', ')}`]);
    }
    let iteration = 0;
    let runName: string;
    if (options.run !== undefined) {
      const run = checkRolloutRun(store.getRun(options.run), options.run, options.env);
      runId = run.id;
      runName = run.name;
      iteration = (run.lastIteration ?? -1) + 1;
      store.updateRunStatus(runId, 'running');
    } else {
      runName = options.name ?? `${options.env}__rollout__${options.seed}__${Math.floor(Date.now() / 1000)}`;
      const config: JsonObject = {
        source: ROLLOUT_SOURCE,
        agent: agent.name,
        ...(options.agentConfig === undefined ? {} : { agentConfig: options.agentConfig }),
        env: options.env,
        envOptions: options.envOptions as JsonObject,
        maxSteps: options.maxSteps,
        groups: options.groups,
        groupSize: options.groupSize,
        split: options.split,
        tasks: typeof options.tasks === 'number' ? options.tasks : [...options.tasks],
        seed: options.seed,
        historyLength: options.historyLength,
      };
      runId = store.createRun({ kind: 'train', envId: options.env, name: runName, algo: null, config });
      created = true;
    }
    const groups = sampleGroups(new Rng(`rollout:${options.seed}:${iteration}`), iteration, options.groups, options.split, pool);
    const guarded = new FailFastByGroup(agent);
    const result = await collectGroups(provider, guarded, groups, {
      groupSize: options.groupSize,
      historyLength: options.historyLength,
      retries: options.groupRetries,
      rejectGroup: agentFailure,
      onRetry: (g, err, attempt) => {
        guarded.retry(g);
        hooks.onRetry?.(g, err, attempt);
        hooks.log?.(`group ${g} failed (${err.code}: ${err.message}); collecting it again (attempt ${attempt})`);
      },
    });
    const metrics = rolloutRunMetrics(result.trajectories, result.steps, result.ms, result.retriedGroups);
    const records = result.trajectories.map((t) => {
      const r = episodeRecord(options.env, t);
      return { ...r, info: { ...r.info, agent: agent.name } };
    });
    store.recordIteration(runId, iteration, { ...metrics, wallTimeMs: result.ms }, records);
    store.updateRunStatus(runId, 'finished');
    return { runId, runName, iteration, episodes: records.length, steps: result.steps, retriedGroups: result.retriedGroups, ms: result.ms, metrics };
  } catch (err) {
    if (runId >= 0 && store.isOpen) {
      // A new run that recorded nothing is marked failed; an appended-to run keeps its iterations and says what failed.
      store.updateRunStatus(runId, created ? 'failed' : 'finished', err instanceof Error ? err.message : String(err));
    }
    throw err;
  } finally {
    store.close();
    await provider.close();
  }
}
