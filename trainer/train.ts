/**
 * The training loop: (SFT warm start) → per iteration: collect G×N → estimate advantages → PPO
 * update → record (one transaction) → checkpoint. Resumable from any checkpoint: a run killed at
 * any moment continues from its last checkpoint, and iterations recorded after it are dropped.
 * @module
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { selectBackend, type BackendSelection } from '../agents/policy/backend.js';
import { loadCheckpoint, loadScorer, saveCheckpoint, saveScorer, type RunState } from '../agents/policy/checkpoint.js';
import { ActionScorer, type PolicyRow } from '../agents/policy/model.js';
import { AdamClip } from '../agents/policy/optimizer.js';
import { proposerFor } from '../agents/candidates.js';
import { ExpertAgent, hasExpert } from '../agents/experts.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import { LudusError, OptionsError } from '../envs/core/errors.js';
import { Rng, type RngState } from '../envs/core/rng.js';
import type { JsonObject } from '../envs/core/types.js';
import type { EpisodeRecord } from '../replay/types.js';
import { openStore, type RunStore } from '../replay/store.js';
import { ESTIMATORS, type AdvantageResult } from './advantages/index.js';
import { resolveTrainConfig, type TrainConfig } from './config.js';
import { envProviderFor, type EnvProvider } from './env-provider.js';
import { evaluate, type EvalSummary } from './evaluate.js';
import { trajectoryRows, type StepRecord, type StepRow } from './rows.js';
import { collectorFor, type Collector } from './collectors.js';
import { collectGroups, type CollectedTrajectory, type GroupSpec } from './rollout.js';
import { episodeRecord } from './records.js';
import { ppoUpdate, sftUpdate, type PpoRow } from './update.js';

export interface IterationSummary {
  iteration: number;
  iterations: number;
  metrics: Record<string, number>;
}

export interface TrainHooks {
  /** Progress lines (backend chosen, SFT, resume, checkpoints). */
  log?: (line: string) => void;
  /** After every recorded iteration. */
  onIteration?: (summary: IterationSummary) => void;
  /** After every update, with the policy as it now is (to measure it: exploitability, probes). */
  onPolicy?: (iteration: number, policy: ActionScorer) => void | Promise<void>;
  /** Checked between iterations: when it returns true the run checkpoints and stops as 'killed'. */
  shouldStop?: () => boolean;
}

export interface TrainResult {
  runId: number;
  runName: string;
  backend: BackendSelection;
  checkpointDir: string;
  /** RL iterations completed (fewer than configured when the env-step budget ran out). */
  iterations: number;
  /** Env steps collected by RL (demos and evaluation not counted). */
  envSteps: number;
  status: 'finished' | 'killed';
  lastMetrics: Record<string, number> | null;
  eval: EvalSummary | null;
}

const REFERENCE_DIR = 'reference';
const KEEP_CHECKPOINTS = 3;

function checkpointName(iteration: number): string {
  return `iter-${String(iteration).padStart(6, '0')}`;
}

/** The newest complete checkpoint in a run's checkpoint dir (run-state.json is written last). */
export async function latestCheckpoint(dir: string): Promise<string | null> {
  if (!existsSync(dir)) return null;
  const names = (await readdir(dir)).filter((n) => /^iter-\d{6}$/.test(n)).sort();
  for (let i = names.length - 1; i >= 0; i--) {
    const candidate = path.join(dir, names[i] as string);
    if (existsSync(path.join(candidate, 'run-state.json'))) return candidate;
  }
  return null;
}

async function pruneCheckpoints(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => /^iter-\d{6}$/.test(n)).sort();
  for (const old of names.slice(0, Math.max(0, names.length - KEEP_CHECKPOINTS))) {
    await rm(path.join(dir, old), { recursive: true, force: true });
  }
}

/** Decision rows for the policy: the input it saw and the index of the action it took. */
function policyRows(trajs: readonly CollectedTrajectory[]): PolicyRow[] {
  return trajs.flatMap((tr) =>
    tr.steps.map((s) => ({
      ...(s.observation.goal === undefined ? {} : { goal: s.observation.goal }),
      text: s.observation.text,
      history: s.history,
      candidates: s.record.candidates,
      chosen: s.record.candidates.indexOf(s.record.action),
    })),
  );
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Samples G groups: a train task each, and one env seed shared by the group's copies. */
function sampleGroups(rng: Rng, iteration: number, groups: number, split: string, splitSize: number): GroupSpec[] {
  return Array.from({ length: groups }, (_, g) => ({
    groupId: `i${iteration}g${g}`,
    task: { split, index: rng.int(splitSize) },
    seed: rng.int(2 ** 31),
  }));
}

async function collectDemos(provider: EnvProvider, config: TrainConfig, rng: Rng, splitSize: number): Promise<PolicyRow[]> {
  const groups = sampleGroups(rng, -1, config.demos, config.trainSplit, splitSize).map((g, i) => ({ ...g, groupId: `demo${i}` }));
  const { trajectories } = await collectGroups(provider, new ExpertAgent(config.env), groups, {
    groupSize: 1,
    historyLength: config.historyLength,
    retries: config.groupRetries,
    propose: proposerFor(config.env),
  });
  return policyRows(trajectories.filter((t) => t.success)).filter((r) => r.chosen >= 0);
}

/** Keys a resumed run may change; everything else comes from the checkpoint's saved config. */
const RESUME_OVERRIDES = ['iterations', 'db', 'backend', 'envUrl', 'token', 'resume', 'checkpointDir'] as const;

/** The config to run: the input, or for `resume` the checkpoint's saved config plus the allowed overrides. */
export async function resolveRunConfig(input: unknown): Promise<{ config: TrainConfig; resumeFrom: string | null }> {
  const given = resolveTrainConfig(input);
  const dir = given.checkpointDir;
  const found = dir === undefined ? null : await latestCheckpoint(dir);
  if (!given.resume) {
    if (found !== null) {
      throw new OptionsError('the training config', [`checkpointDir: ${dir} already holds checkpoints of a run; pass --resume to continue it, or choose another --checkpoint-dir`]);
    }
    return { config: given, resumeFrom: null };
  }
  if (found === null) throw new LudusError('CHECKPOINT_NOT_FOUND', `No checkpoint to resume in ${dir}: it has no complete iter-* folder. Start a new run without --resume.`);
  const state = JSON.parse(await readFile(path.join(found, 'run-state.json'), 'utf8')) as { config?: Record<string, unknown> };
  const raw = (input ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...(state.config ?? {}) };
  for (const key of RESUME_OVERRIDES) if (raw[key] !== undefined) merged[key] = raw[key];
  merged.resume = true;
  merged.checkpointDir = dir;
  return { config: resolveTrainConfig(merged), resumeFrom: found };
}

export async function train(input: unknown, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { config, resumeFrom } = await resolveRunConfig(input);
  const log = hooks.log ?? (() => undefined);
  const backend = await selectBackend({ prefer: config.backend, allowCpu: config.backend === 'cpu', warn: log });
  log(`backend: ${backend.name}${backend.addedKernels.length ? ` (registered kernels: ${backend.addedKernels.join(', ')})` : ''}`);

  const provider = envProviderFor(config);
  const store = openStore(config.db);
  let runId = -1;
  try {
    const summary = await provider.describe();
    const splitSize = summary.splits[config.trainSplit];
    if (splitSize === undefined) {
      throw new OptionsError('the training config', [`trainSplit: '${config.trainSplit}' is not a split of ${config.env} (splits: ${Object.keys(summary.splits).join(', ')})`]);
    }
    if ((config.init === 'sft' || config.algo === 'sft') && config.demos > 0 && !hasExpert(config.env)) {
      throw new OptionsError('the training config', [`init: ${config.env} has no expert for SFT demos; use --init scratch`]);
    }
    const collect = collectorFor(config, summary);
    if (summary.kind === 'multi' && config.evalEpisodes > 0) {
      throw new OptionsError('the training config', [`evalEpisodes: ${config.env} is a multi-agent env; evaluate it with ludus league or the env's own measure (e.g. exploitability), and set evalEpisodes to 0`]);
    }
    return await runTraining(config, resumeFrom, provider, store, splitSize, backend, hooks, (id) => (runId = id), collect);
  } catch (err) {
    if (runId >= 0 && store.isOpen) store.updateRunStatus(runId, 'failed', err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    store.close();
    await provider.close();
  }
}

/** Resume info kept in run-state.json. */
interface TrainRunState extends RunState {
  runId: number;
  runName: string;
  rngState: RngState;
  /** Env steps collected by RL so far (for maxEnvSteps). */
  envSteps: number;
}

async function runTraining(
  config: TrainConfig,
  resumeFrom: string | null,
  provider: EnvProvider,
  store: RunStore,
  splitSize: number,
  backend: BackendSelection,
  hooks: TrainHooks,
  setRunId: (id: number) => void,
  collect: Collector,
): Promise<TrainResult> {
  const log = hooks.log ?? (() => undefined);
  let scorer: ActionScorer;
  let reference: ActionScorer;
  let optimizer: AdamClip;
  let rng: Rng;
  let startIteration = 0;
  let envSteps = 0;
  let runId: number;
  let runName: string;
  let checkpointDir: string;

  if (resumeFrom !== null) {
    const loaded = await loadCheckpoint(resumeFrom, { trainable: true });
    const state = loaded.runState as TrainRunState | undefined;
    if (!state || typeof state.runId !== 'number' || !loaded.optimizer) {
      throw new LudusError('CHECKPOINT_NOT_FOUND', `${resumeFrom} is not a training checkpoint (no run state or optimizer). Point --checkpoint-dir at a run's checkpoint folder.`);
    }
    const run = store.getRun(state.runId);
    if (!run) throw new LudusError('CHECKPOINT_NOT_FOUND', `The checkpoint belongs to run ${state.runId}, which is not in ${config.db}. Use the same --db as the original run.`);
    scorer = loaded.scorer;
    optimizer = loaded.optimizer;
    reference = await loadScorer(path.join(config.checkpointDir as string, REFERENCE_DIR));
    rng = Rng.fromState(state.rngState);
    startIteration = state.iteration + 1;
    envSteps = typeof state.envSteps === 'number' ? state.envSteps : 0;
    runId = state.runId;
    runName = state.runName;
    checkpointDir = config.checkpointDir as string;
    const dropped = store.deleteIterationsFrom(runId, startIteration);
    store.updateRunStatus(runId, 'running');
    log(`resuming run ${runId} (${runName}) at iteration ${startIteration} from ${resumeFrom}${dropped ? `; dropped ${dropped} iteration(s) recorded after it` : ''}`);
  } else {
    rng = new Rng(`train:${config.seed}`);
    runName = config.name ?? `${config.env}__${config.algo}__${config.seed}__${Math.floor(Date.now() / 1000)}`;
    checkpointDir = config.checkpointDir ?? path.join('checkpoints', runName);
    runId = store.createRun({ kind: 'train', envId: config.env, name: runName, algo: config.algo, config: publicConfig(config, checkpointDir), backend: backend.name });
    scorer = ActionScorer.create({ featurizer: { dim: config.model.featureDim }, hidden: config.model.hidden, mlpHidden: config.model.mlpHidden, seed: config.seed }, { trainable: true });
    optimizer = new AdamClip({ lr: config.sftLr, maxGradNorm: config.maxGradNorm });
    if ((config.init === 'sft' || config.algo === 'sft') && config.demos > 0) {
      const demos = await collectDemos(provider, config, rng, splitSize);
      const sft = sftUpdate(scorer, optimizer, demos, { epochs: config.sftEpochs, minibatchSize: config.sftMinibatchSize, rng });
      log(`SFT warm start: ${config.demos} expert episodes, ${demos.length} decisions, loss ${sft.losses[0]?.toFixed(3)} → ${sft.loss.toFixed(3)} over ${config.sftEpochs} epochs`);
    }
    optimizer.dispose();
    optimizer = new AdamClip({ lr: config.lr, maxGradNorm: config.maxGradNorm });
    reference = scorer.clone({ trainable: false });
    await saveScorer(reference, path.join(checkpointDir, REFERENCE_DIR));
  }
  setRunId(runId);

  const saveAt = async (iteration: number) => {
    const dir = path.join(checkpointDir, checkpointName(iteration));
    const runState: TrainRunState = { iteration, runId, runName, rngState: rng.getState(), envSteps, config: publicConfig(config, checkpointDir) };
    await saveCheckpoint(dir, { scorer, optimizer, runState });
    store.addCheckpoint({ runId, iteration, path: dir });
    await pruneCheckpoints(checkpointDir);
  };

  const rlIterations = config.algo === 'sft' ? 0 : config.iterations;
  let lastMetrics: Record<string, number> | null = null;
  let status: 'finished' | 'killed' = 'finished';
  let lastSaved = startIteration - 1;
  let completed = rlIterations;
  if (startIteration === 0 && rlIterations === 0) await saveAt(0);

  for (let it = startIteration; it < rlIterations; it++) {
    const iterStart = performance.now();
    const groups = sampleGroups(rng, it, config.groups, config.trainSplit, splitSize);
    const rollout = await collect(provider, new PolicyAgent(scorer, { temperature: config.temperature, rng }), groups, {
      groupSize: config.groupSize,
      historyLength: config.historyLength,
      retries: config.groupRetries,
      propose: proposerFor(config.env),
      onRetry: (g, err, attempt) => log(`iteration ${it}: group ${g} lost its env (${err.code}); collecting it again (attempt ${attempt})`),
    });
    const trajs = rollout.trajectories;
    const rows: StepRow[] = trajs.flatMap((t) => trajectoryRows(t.groupId, t.trajId, trainingRecords(t, config.rewardMode)));
    const decisions = policyRows(trajs);
    // π_old: the current weights right after the rollout (at the training temperature 1).
    const old = scorer.policyLogProbs(decisions);
    const ref = reference.policyLogProbs(decisions);
    rows.forEach((r, i) => (r.logpOld = old.logp[i] as number));
    const adv: AdvantageResult = ESTIMATORS[config.algo as 'gigpo' | 'grpo' | 'rloo'](rows, advantageOptions(config));
    const ppoRows: PpoRow[] = decisions.map((input, i) => ({
      input,
      logpOld: old.logp[i] as number,
      logpRef: ref.logp[i] as number,
      advantage: adv.advantage[i] as number,
    }));
    const update = ppoUpdate(scorer, optimizer, ppoRows, config.loss, { epochs: config.epochs, minibatchSize: config.minibatchSize, rng }, `at iteration ${it}`);

    const metrics: Record<string, number> = {
      successRate: mean(trajs.map((t) => (t.success ? 1 : 0))),
      meanReturn: mean(trajs.map((t) => t.return)),
      loss: update.loss,
      kl: update.kl,
      entropy: update.entropy,
      clipFraction: update.clipFraction,
      stepsPerSecond: rollout.steps / (rollout.ms / 1000),
      'rollout/mean_length': mean(trajs.map((t) => t.steps.length)),
      'rollout/invalid_rate': rows.length ? rows.filter((r) => r.invalid).length / rows.length : 0,
      'rollout/retried_groups': rollout.retriedGroups,
      'losses/policy_loss': update.pgLoss,
      'losses/approx_kl': update.approxKl,
      'losses/grad_norm': update.gradNorm,
      'update/rows_per_second': update.rowsPerSecond,
      ...numericStats('advantage', adv.stats as unknown as Record<string, unknown>),
    };
    if (config.evalEvery > 0 && config.evalEpisodes > 0 && (it + 1) % config.evalEvery === 0) {
      const ev = await evaluate(provider, scorer, { split: config.evalSplit, episodes: config.evalEpisodes, seed: config.seed, historyLength: config.historyLength, retries: config.groupRetries });
      metrics[`eval/${config.evalSplit}/success_rate`] = ev.successRate;
    }
    metrics.wallTimeMs = performance.now() - iterStart;

    const episodes: EpisodeRecord[] = [];
    let rowIndex = 0;
    for (const t of trajs) {
      episodes.push(episodeRecord(config.env, t, adv, rowIndex));
      rowIndex += t.steps.length;
    }
    store.recordIteration(runId, it, metrics, episodes);
    lastMetrics = metrics;
    hooks.onIteration?.({ iteration: it, iterations: rlIterations, metrics });
    await hooks.onPolicy?.(it, scorer);

    envSteps += rollout.steps;
    const budgetSpent = config.maxEnvSteps > 0 && envSteps >= config.maxEnvSteps;
    const stop = hooks.shouldStop?.() ?? false;
    if ((it + 1) % config.checkpointEvery === 0 || it === rlIterations - 1 || stop || budgetSpent) {
      await saveAt(it);
      lastSaved = it;
    }
    if (budgetSpent) {
      log(`env-step budget spent: ${envSteps} ≥ ${config.maxEnvSteps} after iteration ${it}`);
      completed = it + 1;
      break;
    }
    if (stop) {
      status = 'killed';
      completed = it + 1;
      break;
    }
  }
  if (lastSaved < completed - 1 && status === 'finished' && completed > 0) await saveAt(completed - 1);

  let evalSummary: EvalSummary | null = null;
  if (config.evalEpisodes > 0 && status === 'finished') {
    evalSummary = await evaluate(provider, scorer, { split: config.evalSplit, episodes: config.evalEpisodes, seed: config.seed, historyLength: config.historyLength, retries: config.groupRetries });
    log(`eval on ${config.evalSplit}: success ${(evalSummary.successRate * 100).toFixed(1)}% over ${evalSummary.episodes} episodes`);
  }
  store.updateRunStatus(runId, status);
  scorer.dispose();
  reference.dispose();
  optimizer.dispose();
  return { runId, runName, backend, checkpointDir, iterations: completed, envSteps, status, lastMetrics, eval: evalSummary };
}

/** A trajectory's step records with the reward the estimators should see (see `rewardMode`). */
export function trainingRecords(t: CollectedTrajectory, rewardMode: TrainConfig['rewardMode']): StepRecord[] {
  if (rewardMode === 'env') return t.steps.map((s) => s.record);
  const last = t.steps.length - 1;
  return t.steps.map((s, k) => ({ ...s.record, reward: k === last && t.success ? 1 : 0 }));
}

/** The config as recorded (store, run-state): without the auth token, with the resolved checkpoint dir. */
function publicConfig(config: TrainConfig, checkpointDir: string): JsonObject {
  const { token: _token, ...rest } = config;
  return JSON.parse(JSON.stringify({ ...rest, checkpointDir, resume: false })) as JsonObject;
}

function advantageOptions(config: TrainConfig) {
  const a = config.advantage;
  if (config.algo === 'gigpo') return { ...a };
  if (config.algo === 'grpo') return { mode: a.mode, eps: a.eps, episodeStats: a.episodeStats };
  return { episodeStats: a.episodeStats };
}

function numericStats(prefix: string, stats: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats)) {
    if (typeof v === 'number' && Number.isFinite(v)) out[`${prefix}/${k}`] = v;
    else if (v !== null && typeof v === 'object') Object.assign(out, numericStats(`${prefix}/${k}`, v as Record<string, unknown>));
  }
  return out;
}
