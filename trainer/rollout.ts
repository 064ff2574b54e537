/**
 * Rollout collection: G groups × N copies, stepped together, one batched policy call per step for
 * every live session. Each group's copies are reset with the same task and seed.
 *
 * A group whose env connection drops mid-rollout, or whose server stops answering (a TIMEOUT), is
 * discarded whole and collected again (up to `retries` times, on another server when there is
 * one), so no partial or corrupt trajectory ever reaches the estimator or the store.
 * @module
 */
import type { Agent, HistoryStep } from '../agents/agent.js';
import type { CandidateProposer } from '../agents/candidates.js';
import type { TurnTokens } from '../agents/turn-tokens.js';
import { runEpisodes, type Episode } from '../agents/run-episode.js';
import { LudusError } from '../envs/core/errors.js';
import type { InvalidActionPolicy, JsonObject, Observation, ResetOptions, StepResult, TaskInfo, TaskRef } from '../envs/core/types.js';
import { isTransportError, type EnvProvider } from './env-provider.js';
import type { StepRecord } from './rows.js';

/** One group to collect: N copies of one task and seed. */
export interface GroupSpec {
  groupId: string;
  task: TaskRef;
  seed: number;
}

export interface CollectedStep {
  record: StepRecord;
  /** The observation the action was chosen on. */
  observation: Observation;
  probs: number[] | null;
  /** The history the agent saw with `observation`. */
  history: HistoryStep[];
  result: StepResult;
  /** What the agent reported about the decision (`Decision.meta`), when anything. */
  meta?: JsonObject;
  /** A language model's tokens for the decision (`Decision.tokens`), when it gave them. */
  tokens?: TurnTokens;
}

export interface CollectedTrajectory {
  groupId: string;
  trajId: string;
  /** Multi-agent envs: the seat whose decisions these are. */
  seat?: number;
  /** ARPO: replayed from the buffer into its group, not collected in this iteration. */
  replayed?: boolean;
  task: TaskInfo | null;
  seed: number;
  steps: CollectedStep[];
  initialObservation: Observation;
  finalObservation: Observation;
  return: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  invalidActionPolicy: InvalidActionPolicy;
  startedAt: number;
  finishedAt: number;
}

export interface RolloutOptions {
  groupSize: number;
  /** History pairs kept per trajectory (what the agent sees). */
  historyLength: number;
  /** Times a dropped group is collected again before the rollout fails. */
  retries: number;
  /** Turns an observation into the candidates the agent picks from (default: its admissible actions). */
  propose?: CandidateProposer;
  /**
   * Splits the live sessions into this many waves (whole groups each) that step independently: while
   * one wave's envs step on their server, the agent chooses for another, so a remote env server
   * and the trainer work at the same time instead of taking turns. Default 1 (lock-step: one `act`
   * call per step round for every live session). With more than one, the agent's random draws
   * follow the order the servers answer in, so a seeded rollout is no longer reproducible.
   */
  waves?: number;
  /** Called when a group is dropped and retried. */
  onRetry?: (groupId: string, error: LudusError, attempt: number) => void;
  /**
   * Looks at each group that completed and says why it must be collected again (e.g. an LLM
   * request failed after its retries and the agent sent an empty action), or null to keep it.
   */
  rejectGroup?: (trajectories: readonly CollectedTrajectory[]) => LudusError<string> | null;
}

export interface RolloutResult {
  trajectories: CollectedTrajectory[];
  steps: number;
  ms: number;
  retriedGroups: number;
}


export async function collectGroups(provider: EnvProvider, agent: Agent, groups: readonly GroupSpec[], options: RolloutOptions): Promise<RolloutResult> {
  return collectWithRetries(groups, options, async (pending) => rejectGroups(await collectOnce(provider, agent, pending, options), options.rejectGroup));
}

/** Moves the complete groups that `reject` refuses to the failed ones (to be collected again). */
export function rejectGroups(attempt: CollectAttempt, reject: RolloutOptions['rejectGroup']): CollectAttempt {
  if (reject === undefined) return attempt;
  for (const [groupId, trajectories] of attempt.finished) {
    const why = reject(trajectories);
    if (why === null) continue;
    attempt.finished.delete(groupId);
    attempt.failed.set(groupId, why as LudusError);
  }
  return attempt;
}

/** One attempt at collecting some groups: the complete ones, and the ones whose env transport failed. */
export interface CollectAttempt {
  finished: Map<string, CollectedTrajectory[]>;
  failed: Map<string, LudusError>;
  stepCount: number;
}

/**
 * Runs `attempt` on every group, then again on the groups whose transport failed, up to
 * `options.retries` times; a group is kept only from an attempt that completed it whole.
 */
export async function collectWithRetries(
  groups: readonly GroupSpec[],
  options: Pick<RolloutOptions, 'retries' | 'onRetry'>,
  attempt: (pending: readonly GroupSpec[]) => Promise<CollectAttempt>,
): Promise<RolloutResult> {
  const start = performance.now();
  const done = new Map<string, CollectedTrajectory[]>();
  let pending = [...groups];
  let retriedGroups = 0;
  let steps = 0;
  for (let round = 0; pending.length > 0; round++) {
    const { finished, failed, stepCount } = await attempt(pending);
    steps += stepCount;
    for (const [groupId, trajs] of finished) done.set(groupId, trajs);
    if (failed.size === 0) break;
    if (round >= options.retries) {
      const [groupId, err] = [...failed][0] as [string, LudusError];
      const transport: boolean = isTransportError(err);
      throw new LudusError(
        err.code,
        transport
          ? `Rollout failed: group ${groupId} lost its env connection ${options.retries + 1} time(s) (${err.message}). Check the env server(s), or raise groupRetries.`
          : `Rollout failed: group ${groupId} could not be collected whole ${options.retries + 1} time(s) (${err.message}). Raise the retries, or check the agent's server.`,
      );
    }
    for (const [groupId, err] of failed) options.onRetry?.(groupId, err, round + 1);
    retriedGroups += failed.size;
    pending = pending.filter((g) => failed.has(g.groupId));
  }
  const trajectories = groups.flatMap((g) => done.get(g.groupId) ?? []);
  return { trajectories, steps, ms: performance.now() - start, retriedGroups };
}

function collectOnce(provider: EnvProvider, agent: Agent, groups: readonly GroupSpec[], options: RolloutOptions): Promise<CollectAttempt> {
  return collectGroupsOnce(
    groups,
    (slot) => provider.openGroup(options.groupSize, slot),
    (envs, copies) =>
      inWaves(envs, copies, options.waves ?? 1, (part, partCopies) =>
        runEpisodes(part, agent, { ...partCopies, historyLength: options.historyLength, ...(options.propose === undefined ? {} : { propose: options.propose }) }),
      ),
    (group, outcome) => ({ trajectories: [collected(group, outcome.episode)], steps: outcome.episode.steps.length }),
  );
}

/** How each env copy of a collection attempt is run: its group's task and seed, its key, failure isolation by group. */
export interface CopyRunOptions {
  reset: ResetOptions[];
  keys: string[];
  groupOf: (index: number) => string;
  isolate: (error: unknown) => boolean;
}

/**
 * Runs `run` on `waves` parts of `envs` at once, each part whole groups (as even as the groups
 * allow), and returns the outcomes in the order of `envs`. One wave is `run(envs, copies)`.
 */
export async function inWaves<E, O>(envs: readonly E[], copies: CopyRunOptions, waves: number, run: (envs: E[], copies: CopyRunOptions) => Promise<O[]>): Promise<O[]> {
  if (!Number.isInteger(waves) || waves < 1) throw new RangeError(`waves must be a positive integer, got ${waves}`);
  const starts: number[] = [];
  for (let i = 0; i < envs.length; i++) if (i === 0 || copies.groupOf(i) !== copies.groupOf(i - 1)) starts.push(i);
  const parts = Math.min(waves, starts.length);
  if (parts <= 1) return run([...envs], copies);
  const bounds: [number, number][] = [];
  for (let k = 0; k < parts; k++) {
    const a = starts[Math.floor((k * starts.length) / parts)] as number;
    const b = k + 1 === parts ? envs.length : (starts[Math.floor(((k + 1) * starts.length) / parts)] as number);
    bounds.push([a, b]);
  }
  const outcomes = await Promise.all(
    bounds.map(([a, b]) =>
      run(envs.slice(a, b), { reset: copies.reset.slice(a, b), keys: copies.keys.slice(a, b), groupOf: (i) => copies.groupOf(a + i), isolate: copies.isolate }),
    ),
  );
  return outcomes.flat();
}

/**
 * One collection attempt over some groups, for either env kind: opens each group's copies (a
 * transport failure marks the group failed), runs every copy at once, turns each copy's outcome
 * into trajectories of its group (a failed copy marks its group failed), keeps only the groups
 * complete, and closes every env it opened.
 */
export async function collectGroupsOnce<E extends { close(): Promise<void> }, O extends { ok: true } | { ok: false; error: unknown }>(
  groups: readonly GroupSpec[],
  open: (slot: number) => Promise<E[]>,
  run: (envs: E[], copies: CopyRunOptions) => Promise<O[]>,
  collect: (group: GroupSpec, outcome: Extract<O, { ok: true }>) => { trajectories: CollectedTrajectory[]; steps: number },
): Promise<CollectAttempt> {
  const failed = new Map<string, LudusError>();
  const opened: { group: GroupSpec; envs: E[] }[] = [];
  const allEnvs: E[] = [];
  try {
    await Promise.all(
      groups.map(async (group, slot) => {
        try {
          const envs = await open(slot);
          opened.push({ group, envs });
          allEnvs.push(...envs);
        } catch (err) {
          if (!isTransportError(err)) throw err;
          failed.set(group.groupId, err);
        }
      }),
    );
    opened.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
    const envs = opened.flatMap((o) => o.envs);
    const owner = opened.flatMap((o) => o.envs.map((_, copy) => ({ group: o.group, copy })));
    const outcomes = await run(envs, {
      reset: owner.map((o) => ({ task: o.group.task, seed: o.group.seed })),
      keys: owner.map((o) => `${o.group.groupId}/${o.copy}`),
      groupOf: (i) => (owner[i] as { group: GroupSpec }).group.groupId,
      isolate: isTransportError,
    });
    const finished = new Map<string, CollectedTrajectory[]>();
    let stepCount = 0;
    outcomes.forEach((outcome, i) => {
      const { group } = owner[i] as { group: GroupSpec; copy: number };
      if (!outcome.ok) {
        if (!failed.has(group.groupId)) failed.set(group.groupId, outcome.error as LudusError);
        return;
      }
      const { trajectories, steps } = collect(group, outcome as Extract<O, { ok: true }>);
      stepCount += steps;
      finished.set(group.groupId, [...(finished.get(group.groupId) ?? []), ...trajectories]);
    });
    for (const id of failed.keys()) finished.delete(id);
    return { finished, failed, stepCount };
  } finally {
    await Promise.all(allEnvs.map((env) => env.close().catch(() => undefined)));
  }
}

/** An episode as the trainer keeps it: its group, and one step record per decision. */
export function collected(group: GroupSpec, episode: Episode): CollectedTrajectory {
  return {
    groupId: group.groupId,
    trajId: episode.key,
    task: episode.task,
    seed: group.seed,
    steps: episode.steps.map((s) => ({
      record: {
        anchor: s.observation.anchor,
        stateKey: s.info.stateKey,
        action: s.decision.action,
        candidates: s.candidates,
        logpOld: s.decision.logp ?? 0,
        reward: s.result.reward,
        invalid: s.result.info.invalid !== undefined,
      },
      observation: s.observation,
      probs: s.decision.probs,
      history: s.history,
      result: s.result,
      ...(s.decision.meta === undefined ? {} : { meta: s.decision.meta }),
      ...(s.decision.tokens === undefined ? {} : { tokens: s.decision.tokens }),
    })),
    initialObservation: episode.reset.observation,
    finalObservation: episode.finalObservation,
    return: episode.return,
    success: episode.success,
    terminated: episode.terminated,
    truncated: episode.truncated,
    invalidActionPolicy: episode.invalidActionPolicy,
    startedAt: episode.startedAt,
    finishedAt: episode.finishedAt,
  };
}
