/**
 * REFUEL's collect stage (docs/algorithms.md, "REFUEL"): branched pairs of continuations.
 *
 * For each of G train tasks, N/2 pairs. Each pair rolls in one episode τ¹ with the sampling policy
 * on one env, snapshotting the env before every step; draws a turn h uniformly from τ¹'s steps;
 * restores a second env of the same task and seed to the snapshot before step h (the env's own
 * snapshot, or a re-play of the actions where its spec says `capabilities.snapshot: 'replay'`; over
 * WebSocket `session.snapshot`/`session.restore`); and plays a continuation τ² from there with the
 * same policy, which sees the same history of τ¹'s first h steps. The loss trains on the two
 * turn-h decisions only; pairs whose turn-h actions are identical are dropped (their log-ratio
 * gap is 0, so they would fit noise). τ² is recorded as a whole episode: τ¹'s first h steps (the
 * shared prefix, not counted as env steps again) and its own continuation.
 *
 * Where it branches is `refuel.branch` (trainer/refuel-branch.ts): `uniform` (above), `uncertain`
 * (the roll-in step of highest policy entropy), or `success` (the roll-in replays a stored success
 * of the task from the run's buffer, which keeps every success the pairs produce).
 *
 * An env whose spec says `capabilities.snapshot: 'none'` cannot be branched: REFUEL refuses it
 * before any work ({@link checkBranchable}).
 * @module
 */
import type { Agent, AgentInput, Decision, HistoryStep } from '../agents/agent.js';
import { proposerFor } from '../agents/candidates.js';
import { runEpisodes, type Episode, type EpisodeOutcome } from '../agents/run-episode.js';
import { LudusError } from '../envs/core/errors.js';
import type { EnvSummary } from '../envs/core/spec.js';
import type { Env, EnvState, Observation, ResetResult, StepInfo } from '../envs/core/types.js';
import { EnvWrapper } from '../envs/core/wrappers.js';
import type { TrainStep } from './batch.js';
import { sampleGroups, trainPool, type CollectStage } from './collect.js';
import { TrainerError } from './errors.js';
import { METRIC } from './metrics.js';
import { collected, type CollectedStep, type CollectedTrajectory, type GroupSpec } from './rollout.js';
import { branchTurn, differingShare, entropyOf } from './refuel-branch.js';
import { fromStoredTrajectory, toStoredTrajectory } from './arpo.js';
import type { ReplayBuffer } from '../replay/replay-buffer.js';
import type { TaskRef } from '../envs/core/types.js';

/** The buffer's key of a task as the groups name it (REFUEL's `success` branch keeps its own successes by it). */
export function taskKey(task: TaskRef): string {
  if (typeof task === 'string') return task;
  return 'id' in task ? task.id : `${task.split}#${task.index}`;
}

/** Plays stored actions in the streams it has a script for, and asks `inner` for the others. */
export class ScriptedRollin implements Agent {
  readonly name: string;
  private readonly played = new Map<string, number>();

  constructor(
    private readonly inner: Agent,
    private readonly scripts: ReadonlyMap<string, readonly string[]>,
  ) {
    this.name = inner.name;
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    const free = inputs.filter((i) => !this.scripts.has(i.key));
    const answers = free.length === 0 ? [] : await this.inner.act(free);
    let next = 0;
    return inputs.map((input) => {
      const script = this.scripts.get(input.key);
      if (script === undefined) return answers[next++] as Decision;
      const k = this.played.get(input.key) ?? 0;
      this.played.set(input.key, k + 1);
      // past the script's end (an env that did not replay alike) the stream plays its last action
      return { action: (script[k] ?? script.at(-1) ?? input.candidates[0]) as string, logp: null, probs: null };
    });
  }

  end(keys: readonly string[]): void {
    this.inner.end?.(keys.filter((k) => !this.scripts.has(k)));
  }
}

/** Refuses an env whose episodes cannot be forked (no snapshots, or seats), naming the env and its capability. */
export function checkBranchable(env: EnvSummary): void {
  if (env.kind === 'multi') {
    throw new TrainerError(
      'ENV_CAPABILITY_MISSING',
      `REFUEL branches single-agent episodes, but ${env.id} is a multi-agent env. Train it with --algo gigpo, grpo, rloo or arpo (groups per seat).`,
      { env: env.id, kind: env.kind },
    );
  }
  if (env.capabilities.snapshot === 'none') {
    throw new TrainerError(
      'ENV_CAPABILITY_MISSING',
      `REFUEL branches episodes from snapshots, but ${env.id} declares capabilities.snapshot: 'none' (it cannot restore a state). ` +
        `Train ${env.id} with another --algo (gigpo, grpo, rloo, arpo), or give the env a 'native' or 'replay' snapshot capability.`,
      { env: env.id, snapshot: env.capabilities.snapshot },
    );
  }
}

/** Snapshots the env before every step: `snapshots[t]` is the state in which step t's action was chosen. */
export class SnapshotRecorder extends EnvWrapper {
  readonly snapshots: EnvState[] = [];
  readonly id: string | undefined;

  constructor(inner: Env) {
    super(inner);
    this.id = inner.id;
  }

  override async step(action: string) {
    this.snapshots.push(await this.inner.snapshot());
    return this.inner.step(action);
  }
}

/** An env whose `reset` restores a snapshot and answers with the observation recorded there. */
export class RestoredStart extends EnvWrapper {
  readonly id: string | undefined;

  constructor(
    inner: Env,
    private readonly state: EnvState,
    private readonly start: { observation: Observation; info: StepInfo },
  ) {
    super(inner);
    this.id = inner.id;
  }

  override async reset(): Promise<ResetResult> {
    await this.inner.restore(this.state);
    return { observation: this.start.observation, info: this.start.info };
  }
}

/** Gives each stream the history that came before it (a branch's shared prefix), then its own. */
export class PrefixHistoryAgent implements Agent {
  readonly name: string;

  constructor(
    private readonly inner: Agent,
    private readonly prefixes: ReadonlyMap<string, readonly HistoryStep[]>,
    private readonly historyLength: number,
  ) {
    this.name = inner.name;
  }

  act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return this.inner.act(inputs.map((input) => ({ ...input, history: withPrefix(this.prefixes.get(input.key) ?? [], input.history, this.historyLength) })));
  }

  end(keys: readonly string[]): void {
    this.inner.end?.(keys);
  }
}

function withPrefix(prefix: readonly HistoryStep[], own: readonly HistoryStep[], historyLength: number): HistoryStep[] {
  const all = [...prefix, ...own];
  return all.slice(Math.max(0, all.length - historyLength));
}

function isTransportError(err: unknown): boolean {
  return err instanceof LudusError && (err.code === 'CONNECTION_CLOSED' || err.code === 'REMOTE_ERROR');
}

interface Rollin {
  group: GroupSpec;
  pairGroup: GroupSpec;
  episode: Episode;
  snapshots: EnvState[];
  branchEnv: Env;
}

/** N/2 branched pairs for each of G tasks (see the module doc). */
export const refuelCollector: CollectStage = async (ctx) => {
  const { config, iteration } = ctx;
  checkBranchable(ctx.env);
  const start = performance.now();
  const perTask = Math.floor(config.groupSize / 2);
  const groups = sampleGroups(ctx.rng, iteration, config.groups, config.trainSplit, trainPool(ctx));
  const propose = proposerFor(config.env);
  const opened: Env[] = [];
  try {
    const recorders: SnapshotRecorder[] = [];
    const branchEnvs: Env[] = [];
    const owners: { group: GroupSpec; pairGroup: GroupSpec }[] = [];
    const rule = config.refuel.branch;
    const buffer: ReplayBuffer | null = rule === 'success' ? ctx.replayBuffer : null;
    if (rule === 'success' && buffer === null) throw new RangeError("REFUEL's success branch needs a replay buffer in the collect context.");
    for (const [slot, group] of groups.entries()) {
      const envs = await ctx.provider.openGroup(2 * perTask, slot);
      opened.push(...envs);
      for (let k = 0; k < perTask; k++) {
        recorders.push(new SnapshotRecorder(envs[k] as Env));
        branchEnvs.push(envs[perTask + k] as Env);
        owners.push({ group, pairGroup: { ...group, groupId: `${group.groupId}p${k}` } });
      }
    }

    // success: a pair whose task has a stored success rolls in by replaying it (its own env seed)
    const scripts = new Map<string, string[]>();
    const resets = owners.map((o) => {
      const entry = buffer?.sample(config.env, taskKey(o.group.task), () => ctx.rng.next()) ?? null;
      if (entry === null) return { task: o.group.task, seed: o.group.seed };
      const stored = fromStoredTrajectory(entry.trajectory, o.pairGroup.groupId, `${o.pairGroup.groupId}/0`, config.historyLength);
      scripts.set(`${o.pairGroup.groupId}/0`, stored.steps.map((st) => st.record.action));
      o.pairGroup = { ...o.pairGroup, seed: stored.seed };
      return { task: o.group.task, seed: stored.seed };
    });

    // Roll in τ¹ everywhere, one batched decision per step.
    const rollins = await runEpisodes(recorders, scripts.size === 0 ? ctx.agent : new ScriptedRollin(ctx.agent, scripts), {
      reset: resets,
      keys: owners.map((o) => `${o.pairGroup.groupId}/0`),
      isolate: isTransportError,
      historyLength: config.historyLength,
      propose,
    });
    const live: Rollin[] = [];
    let failed = 0;
    rollins.forEach((outcome: EpisodeOutcome, i) => {
      if (!outcome.ok) {
        failed++;
        return;
      }
      if (outcome.episode.steps.length === 0) return;
      live.push({ ...(owners[i] as { group: GroupSpec; pairGroup: GroupSpec }), episode: outcome.episode, snapshots: (recorders[i] as SnapshotRecorder).snapshots, branchEnv: branchEnvs[i] as Env });
    });

    // Branch: restore at turn h (uniform, or the most uncertain step), continue with the same policy and history.
    const turns = live.map((r) => branchTurn(rule, r.episode.steps.map((st) => entropyOf(st.decision.probs)), () => ctx.rng.next()));
    const prefixes = new Map<string, HistoryStep[]>();
    const starts = live.map((r, j) => {
      const h = turns[j] as number;
      const step = r.episode.steps[h]!;
      prefixes.set(`${r.pairGroup.groupId}/1`, r.episode.steps.slice(0, h).map((s) => ({ observation: s.observation.text, action: s.decision.action })));
      return new RestoredStart(r.branchEnv, r.snapshots[h] as EnvState, { observation: step.observation, info: step.info });
    });
    const branches = await runEpisodes(starts, new PrefixHistoryAgent(ctx.agent, prefixes, config.historyLength), {
      keys: live.map((r) => `${r.pairGroup.groupId}/1`),
      isolate: isTransportError,
      historyLength: config.historyLength,
      propose,
    });

    const trajectories: CollectedTrajectory[] = [];
    const trainSteps: TrainStep[] = [];
    const pairs: { a: number; b: number }[] = [];
    let envSteps = 0;
    let dropped = 0;
    let gapSum = 0;
    const outcomes: [number, number][] = [];
    let stored = 0;
    const keep = (t: CollectedTrajectory, task: TaskRef) => {
      if (buffer === null || !t.success) return;
      buffer.add({ envId: config.env, taskId: taskKey(task), return: t.return, trajectory: toStoredTrajectory(t), runId: ctx.runId, episodeId: null });
      stored++;
    };
    branches.forEach((outcome, j) => {
      const r = live[j] as Rollin;
      envSteps += r.episode.steps.length;
      if (!outcome.ok) {
        failed++;
        return;
      }
      envSteps += outcome.episode.steps.length;
      const h = turns[j] as number;
      const first = collected(r.pairGroup, r.episode);
      const second = branchTrajectory(r.pairGroup, first, h, collected(r.pairGroup, outcome.episode), prefixes.get(`${r.pairGroup.groupId}/1`) ?? [], config.historyLength);
      const ia = trajectories.push(first) - 1;
      const ib = trajectories.push(second) - 1;
      outcomes.push([first.return, second.return]);
      if (!scripts.has(`${r.pairGroup.groupId}/0`)) keep(first, r.group.task);
      keep(second, r.group.task);
      if (first.steps[h]!.record.action === second.steps[h]!.record.action) {
        dropped++;
        return;
      }
      gapSum += Math.abs(first.return - second.return);
      const a = trainSteps.push({ trajectory: ia, t: h }) - 1;
      const b = trainSteps.push({ trajectory: ib, t: h }) - 1;
      pairs.push({ a, b });
    });
    if (failed > 0) ctx.log(`iteration ${iteration}: ${failed} REFUEL pair(s) lost their env connection and were dropped`);
    return {
      trajectories,
      trainSteps,
      pairs,
      envSteps,
      ms: performance.now() - start,
      metrics: {
        [METRIC.refuelPairs]: pairs.length,
        [METRIC.refuelDropped]: dropped,
        [METRIC.refuelMeanAbsReturnGap]: pairs.length === 0 ? 0 : gapSum / pairs.length,
        [METRIC.refuelDiffering]: differingShare(outcomes),
        [METRIC.refuelReplayed]: live.length === 0 ? 0 : live.filter((r) => scripts.has(`${r.pairGroup.groupId}/0`)).length / live.length,
        ...(buffer === null ? {} : { [METRIC.refuelStored]: stored }),
        [METRIC.retriedGroups]: failed,
      },
    };
  } finally {
    await Promise.all(opened.map((env) => env.close().catch(() => undefined)));
  }
};

/**
 * τ² as a whole episode: τ¹'s first h steps, then the continuation, whose steps get the history
 * the policy saw (the shared prefix, then their own).
 */
function branchTrajectory(
  group: GroupSpec,
  first: CollectedTrajectory,
  h: number,
  continuation: CollectedTrajectory,
  prefix: readonly HistoryStep[],
  historyLength: number,
): CollectedTrajectory {
  const own: CollectedStep[] = continuation.steps.map((s) => ({ ...s, history: withPrefix(prefix, s.history, historyLength) }));
  const steps = [...first.steps.slice(0, h), ...own];
  return {
    ...continuation,
    groupId: group.groupId,
    trajId: `${group.groupId}/1`,
    task: first.task,
    invalidActionPolicy: first.invalidActionPolicy,
    steps,
    initialObservation: first.initialObservation,
    return: steps.reduce((sum, s) => sum + s.result.reward, 0),
    startedAt: first.startedAt,
  };
}
