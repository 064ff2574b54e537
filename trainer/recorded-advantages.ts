/**
 * `ludus advantages --run ID --algo gigpo|grpo|rloo|arpo`: the trainer's own estimators on
 * rollouts recorded in the store (by `ludus rollout`, or any run), without a ludus policy.
 *
 * Per iteration: the episodes are read back as trajectories (the same step records the trainer
 * builds while collecting: anchor, state key before the action, action, reward, invalid flag), the
 * rows built as the trainer builds them (`trainingRecords` → `trajectoryRows`, in recording order),
 * and the algorithm's estimator (`ESTIMATORS`, with the algorithm's advantage defaults) run over
 * them. ARPO first runs the trainer's replay (`replayIntoGroups`) against a replay buffer kept in
 * the store (scope `rollout:<run id>`): an all-failure group gets a stored success of its task in
 * place of its first rollout (recorded as a `replayed` episode of the iteration; the rollout it
 * replaced is marked `info.replacedBy` and gets no advantage), and the iteration's fresh successes
 * join the buffer for the iterations after it. Computing an iteration again gives the same result:
 * earlier replays are undone first, and a trajectory already in the buffer is not added twice.
 * @module
 */
import type { HistoryStep } from '../agents/agent.js';
import { OptionsError } from '../envs/core/errors.js';
import { Rng } from '../envs/core/rng.js';
import type { Observation, StepInfo, TaskInfo } from '../envs/core/types.js';
import type { ReplayBuffer } from '../replay/replay-buffer.js';
import type { RunStore } from '../replay/store.js';
import type { StepAdvantageUpdate, StoredEpisode } from '../replay/types.js';
import { ESTIMATORS, type AdvantageEstimatorName, type AdvantageOptions, type AdvantageResult } from './advantages/index.js';
import { ALGORITHMS, type Algorithm } from './algorithms.js';
import { replayIntoGroups, type ReplayOptions } from './arpo.js';
import { trainingRecords, trainingReturn } from './batch.js';
import { advantageMetrics, METRIC } from './metrics.js';
import { episodeRecord } from './records.js';
import type { CollectedStep, CollectedTrajectory } from './rollout.js';
import { trajectoryRows, type StepRow } from './rows.js';

export const RECORDED_ALGOS = ['gigpo', 'grpo', 'rloo', 'arpo'] as const;
export type RecordedAlgo = (typeof RECORDED_ALGOS)[number];

export interface RecordedAdvantageOptions {
  algo: RecordedAlgo;
  /** Overrides of the estimator's options (over the algorithm's defaults, as `ludus train --config`'s `advantage`). */
  advantage?: AdvantageOptions;
  /** What the estimators see as the reward (as `ludus train`'s rewardMode). Default 'env'. */
  rewardMode?: 'env' | 'success';
  /** ARPO: its estimator, replay switch, buffer capacity and thresholds (as `ludus train`'s `arpo`). */
  arpo?: Partial<ReplayOptions & { estimator: 'grpo' | 'gigpo'; capacity: number }>;
  /** Seeds ARPO's draw from the buffer (with the iteration). Default 0. */
  seed?: number;
  /** History kept on replayed trajectories' steps (only what they record). Default 4. */
  historyLength?: number;
}

export const DEFAULT_ARPO_REPLAY = { estimator: 'grpo', replay: true, capacity: 8, successThreshold: 0.1, failStd: 0.05, failMean: 0.2 } as const;

/** The estimator and its options for an algorithm, as the trainer resolves them (algorithm defaults, then overrides). */
export function estimatorFor(options: RecordedAdvantageOptions): { estimator: AdvantageEstimatorName; advantage: AdvantageOptions } {
  const arpo = { ...DEFAULT_ARPO_REPLAY, ...options.arpo };
  const estimator: AdvantageEstimatorName = options.algo === 'arpo' ? arpo.estimator : options.algo;
  return { estimator, advantage: { ...((ALGORITHMS[options.algo] as Algorithm).advantageDefaults ?? {}), ...(options.advantage ?? {}) } };
}

/** A stored episode back as the trajectory the trainer collected (its step records, observations and results). */
export function storedTrajectory(e: StoredEpisode): CollectedTrajectory {
  const initialStateKey = typeof e.info.initialStateKey === 'string' ? e.info.initialStateKey : null;
  const history: HistoryStep[] = [];
  const steps: CollectedStep[] = e.steps.map((s, k) => {
    const last = k === e.steps.length - 1;
    const next = last ? (e.finalObservation ?? s.observation) : e.steps[k + 1]!.observation;
    // the steps keep the state key after each action; the trainer's row has the one before it
    const before = k === 0 ? initialStateKey : e.steps[k - 1]!.stateKey;
    const info: StepInfo = {
      ...(s.info as StepInfo),
      rewardComponents: s.rewardComponents,
      stateKey: s.stateKey ?? '',
      ...(s.invalid === null ? {} : { invalid: s.invalid }),
      ...(last && (s.terminated || s.truncated) ? { success: e.success } : {}),
    };
    const step: CollectedStep = {
      record: {
        anchor: s.observation.anchor,
        stateKey: before ?? '',
        action: s.action,
        candidates: s.candidates,
        logpOld: s.logp ?? 0,
        reward: s.reward,
        invalid: s.invalid !== null,
      },
      observation: s.observation,
      probs: s.probs,
      history: history.slice(),
      result: { observation: next, reward: s.reward, terminated: s.terminated, truncated: s.truncated, info },
      ...(s.decision === null ? {} : { meta: s.decision }),
      ...(s.tokens === null ? {} : { tokens: s.tokens }),
    };
    history.push({ observation: s.observation.text, action: s.action });
    return step;
  });
  const task: TaskInfo | null =
    e.split === null || e.taskIndex === null ? null : { id: e.taskId, split: e.split, index: e.taskIndex, ...(e.taskType === null ? {} : { type: e.taskType }) };
  return {
    groupId: e.groupId ?? `episode${e.id}`,
    trajId: e.trajId ?? `episode${e.id}`,
    ...(e.seat === null ? {} : { seat: e.seat }),
    ...(e.replayed ? { replayed: true } : {}),
    task,
    seed: e.seed ?? 0,
    steps,
    initialObservation: (e.info.initialObservation as unknown as Observation | undefined) ?? e.steps[0]?.observation ?? (e.finalObservation as Observation),
    finalObservation: e.finalObservation ?? e.steps[e.steps.length - 1]?.observation ?? ({ text: '', actions: [], anchor: '' } as Observation),
    return: e.return,
    success: e.success,
    terminated: e.terminated,
    truncated: e.truncated,
    invalidActionPolicy: e.invalidActionPolicy,
    startedAt: e.startedAt,
    finishedAt: e.finishedAt,
  };
}

/** The trainer's rows of some trajectories, in order (what `toBatch` builds). */
export function rowsOf(trajectories: readonly CollectedTrajectory[], rewardMode: 'env' | 'success'): { rows: StepRow[]; rowTrajectory: number[] } {
  const rows: StepRow[] = [];
  const rowTrajectory: number[] = [];
  trajectories.forEach((t, i) => {
    for (const row of trajectoryRows(t.groupId, t.trajId, trainingRecords(t, rewardMode), t.seat)) {
      rows.push(row);
      rowTrajectory.push(i);
    }
  });
  return { rows, rowTrajectory };
}

/** A buffer that does not store a recorded episode twice (so computing an iteration again changes nothing). */
function onceOnly(buffer: ReplayBuffer): ReplayBuffer {
  return {
    capacity: buffer.capacity,
    add(item) {
      const same = item.episodeId == null ? undefined : buffer.list(item.envId, item.taskId).find((e) => e.episodeId === item.episodeId);
      return same === undefined ? buffer.add(item) : { entry: same, evicted: 0 };
    },
    sample: (envId, taskId, random) => buffer.sample(envId, taskId, random),
    size: (envId, taskId) => buffer.size(envId, taskId),
    list: (envId, taskId) => buffer.list(envId, taskId),
    evict: (envId, taskId, keep) => buffer.evict(envId, taskId, keep),
    clear: () => buffer.clear(),
  };
}

export interface IterationAdvantages {
  iteration: number;
  /** Trajectories the estimator saw, in order (ARPO: replays in place of the rollouts they replaced). */
  trajectories: CollectedTrajectory[];
  rows: StepRow[];
  result: AdvantageResult;
  /** Each row's episode id in the store (null for a replayed trajectory, not yet recorded). */
  rowEpisode: (number | null)[];
  /** ARPO: the episodes a replay replaced, with the replay's trajectory id. */
  replaced: { episodeId: number; by: string }[];
  metrics: Record<string, number>;
}

/** The episodes of one iteration of a run, in recording order, without earlier ARPO replays. */
export function iterationEpisodes(store: RunStore, runId: number, iteration: number): StoredEpisode[] {
  const out: StoredEpisode[] = [];
  let cursor: number | null = null;
  for (;;) {
    const page = store.listEpisodes({ runId, iteration }, { limit: 500, order: 'asc', cursor });
    for (const s of page.episodes) {
      if (s.replayed) continue;
      const e = store.getEpisode(s.id);
      if (e !== null) out.push(e);
    }
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

/**
 * The advantages of one iteration (nothing written). `buffer` is ARPO's (required for arpo).
 * @throws OptionsError when the rows cannot give what the options ask (no state keys recorded).
 */
export function iterationAdvantages(episodes: readonly StoredEpisode[], iteration: number, envId: string, options: RecordedAdvantageOptions, buffer: ReplayBuffer | null, runId: number | null = null): IterationAdvantages {
  const rewardMode = options.rewardMode ?? 'env';
  const { estimator, advantage } = estimatorFor(options);
  if (advantage.anchorKey === 'stateKey' && episodes.some((e) => typeof e.info.initialStateKey !== 'string')) {
    throw new OptionsError('ludus advantages', [`anchorKey: the episodes of iteration ${iteration} do not record the state key of their first step (recorded by an older ludus); use anchorKey 'observation'`]);
  }
  const fresh = episodes.map(storedTrajectory);
  const episodeOf = new Map<CollectedTrajectory, number>(fresh.map((t, i) => [t, episodes[i]!.id]));
  let trajectories = fresh;
  const replaced: { episodeId: number; by: string }[] = [];
  const metrics: Record<string, number> = {};
  if (options.algo === 'arpo') {
    if (buffer === null) throw new RangeError('ARPO needs a replay buffer.');
    const arpo = { ...DEFAULT_ARPO_REPLAY, ...options.arpo };
    const rng = new Rng(`advantages:${options.seed ?? 0}:${iteration}`);
    const outcome = replayIntoGroups(
      fresh,
      fresh.map((t) => trainingReturn(t, rewardMode)),
      onceOnly(buffer),
      envId,
      { replay: arpo.replay, successThreshold: arpo.successThreshold, failStd: arpo.failStd, failMean: arpo.failMean, historyLength: options.historyLength ?? 4, runId, episodeIdOf: (t) => episodeOf.get(t) ?? null },
      () => rng.next(),
    );
    outcome.trajectories.forEach((t, i) => {
      if (t !== fresh[i]) replaced.push({ episodeId: episodeOf.get(fresh[i]!)!, by: t.trajId });
    });
    trajectories = outcome.trajectories;
    const groups = new Set(fresh.map((t) => t.groupId)).size;
    metrics[METRIC.arpoInjected] = groups === 0 ? 0 : outcome.injected / groups;
    metrics[METRIC.arpoStored] = outcome.stored;
    metrics['arpo/all_fail_groups'] = outcome.allFailureGroups;
  }
  const { rows, rowTrajectory } = rowsOf(trajectories, rewardMode);
  const result = ESTIMATORS[estimator](rows, advantage);
  return {
    iteration,
    trajectories,
    rows,
    result,
    rowEpisode: rowTrajectory.map((i) => episodeOf.get(trajectories[i]!) ?? null),
    replaced,
    metrics: { ...advantageMetrics(result.stats), ...metrics },
  };
}

export interface RecordedAdvantagesSummary {
  runId: number;
  algo: RecordedAlgo;
  estimator: AdvantageEstimatorName;
  iterations: { iteration: number; rows: number; groups: number; replayed: number; advantageMean: number; advantageStd: number; fracZeroStdGroups: number }[];
}

/** Computes and writes back the advantages of a run's iterations (all, or `iterations`), in order. */
export function writeRecordedAdvantages(store: RunStore, runId: number, options: RecordedAdvantageOptions, iterations?: readonly number[]): RecordedAdvantagesSummary {
  const run = store.getRun(runId);
  if (run === null) throw new OptionsError('ludus advantages', [`--run ${runId}: no such run in the store (ludus runs lists them)`]);
  const recorded = store.listIterations(runId).map((it) => it.iteration);
  if (recorded.length === 0) {
    throw new OptionsError('ludus advantages', [`--run ${runId}: the run has no recorded iterations, so no groups to compute advantages over; record some with ludus rollout --run ${runId}`]);
  }
  const wanted = iterations === undefined ? recorded : [...iterations].sort((a, b) => a - b);
  const missing = wanted.filter((i) => !recorded.includes(i));
  if (missing.length > 0) throw new OptionsError('ludus advantages', [`--iteration: run ${runId} has iterations ${recorded.join(', ')}, not ${missing.join(', ')}`]);
  const { estimator } = estimatorFor(options);
  const arpo = { ...DEFAULT_ARPO_REPLAY, ...options.arpo };
  const buffer = options.algo === 'arpo' ? store.replayBuffer({ scope: `rollout:${runId}`, capacity: arpo.capacity }) : null;
  const summary: RecordedAdvantagesSummary = { runId, algo: options.algo, estimator, iterations: [] };
  for (const iteration of wanted) {
    const episodes = iterationEpisodes(store, runId, iteration);
    const computed = iterationAdvantages(episodes, iteration, run.envId, options, buffer, runId);
    const { result } = computed;
    const steps: StepAdvantageUpdate[] = [];
    const replayedRows = new Map<CollectedTrajectory, Map<number, number>>();
    computed.rows.forEach((row, i) => {
      const episodeId = computed.rowEpisode[i];
      if (episodeId === null) {
        const t = computed.trajectories.find((tr) => tr.trajId === row.trajId)!;
        const m = replayedRows.get(t) ?? new Map<number, number>();
        m.set(row.t, i);
        replayedRows.set(t, m);
        return;
      }
      steps.push({ episodeId, t: row.t, ...advantageAt(result, i) });
    });
    const added = [...replayedRows].map(([t, rowAt]) => episodeRecord(run.envId, t, (k) => (rowAt.has(k) ? advantageAt(result, rowAt.get(k)!) : null)));
    store.writeAdvantages(runId, iteration, { algo: options.algo, steps, replaced: computed.replaced, added, metrics: computed.metrics });
    summary.iterations.push({
      iteration,
      rows: computed.rows.length,
      groups: result.stats.groups,
      replayed: added.length,
      advantageMean: result.stats.advantageMean,
      advantageStd: result.stats.advantageStd,
      fracZeroStdGroups: result.stats.fracZeroStdGroups,
    });
  }
  return summary;
}

/** Row i's advantage, its parts and its anchor group, as the trainer records them. */
export function advantageAt(result: AdvantageResult, i: number): { advantage: number; episodeAdvantage: number; stepAdvantage: number; anchorGroup: string | null } {
  const anchor = result.anchorGroup[i] as number;
  return {
    advantage: result.advantage[i] as number,
    episodeAdvantage: result.episodeAdvantage[i] as number,
    stepAdvantage: result.stepAdvantage[i] as number,
    anchorGroup: anchor >= 0 ? String(anchor) : null,
  };
}

