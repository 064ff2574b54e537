/**
 * The training loop, in the order CleanRL's ppo.py reads: `startRun` (fresh: SFT warm start and a
 * frozen reference; or resumed from a checkpoint), then per iteration
 *
 *   collect → batch → score (π_old, π_ref) → estimate → update → record (one transaction) → checkpoint
 *
 * where collect, estimate and the loss come from the algorithm's entry in ALGORITHMS
 * (trainer/algorithms.ts) and every stage after collection reads and fills one Batch
 * (trainer/batch.ts). Resumable from any checkpoint: a run killed at any moment continues from its
 * last checkpoint, and iterations recorded after it are dropped (the checkpoint folder and the
 * resume rules: trainer/run-checkpoints.ts).
 * @module
 */
import path from 'node:path';
import { selectBackend, type BackendSelection } from '../agents/policy/backend.js';
import type { RunState } from '../agents/policy/checkpoint.js';
import type { ActionScorer } from '../agents/policy/model.js';
import { proposerFor } from '../agents/candidates.js';
import { builtinAgentNames, makeBuiltinAgent } from '../agents/builtin-agents.js';
import { ExpertAgent, hasExpert } from '../agents/experts.js';
import { OptionsError } from '../envs/core/errors.js';
import { Rng, type RngState } from '../envs/core/rng.js';
import type { EnvSummary } from '../envs/core/spec.js';
import type { JsonObject } from '../envs/core/types.js';
import type { ReplayBuffer } from '../replay/replay-buffer.js';
import { openStore, type RunStore } from '../replay/store.js';
import { ALGORITHMS, advantageOptions, lossOptions, type Algorithm } from './algorithms.js';
import { toBatch } from './batch.js';
import { sampleGroups, trainPoolSize, type CollectContext } from './collect.js';
import { selectTasks, type TaskSelection } from './task-selection.js';
import { collectorFor } from './collectors.js';
import { evalSplitOf, type TrainConfig } from './config.js';
import { envProviderFor, type EnvProvider } from './env-provider.js';
import { TrainerError } from './errors.js';
import { evaluatePolicy, type EvalSummary } from './evaluate.js';
import { advantageMetrics, evalMetric, METRIC, rolloutMetrics } from './metrics.js';
import { batchRecords } from './records.js';
import { createPolicy, loadPolicy } from './policies.js';
import type { CollectedTrajectory } from './rollout.js';
import { checkpointName, pruneCheckpoints, resolveRunConfig } from './run-checkpoints.js';
import { ScorerPolicy } from './scorer-policy.js';
import type { TrainablePolicy } from './trainable-policy.js';
import type { Batch } from './batch.js';
import { builtinAgentNames as botNames } from '../agents/builtin-agents.js';
import { TrainingLeague, type TrainingLeagueState } from '../league/training/training-league.js';
import { LEARNER } from '../league/training/payoff-table.js';
import { TrainLeagueStore } from '../replay/train-league-store.js';
import { CheckpointOpponents, gameScores, leagueCollector } from './league-collector.js';
import { rowWeights, skippedShare } from './row-weights.js';

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
  /** After every update, with the scorer as it now is (to measure it: exploitability, probes); scorer runs only. */
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
  /** The train-split tasks the run trained on when `selectTasks` chose them; null: the whole pool. */
  taskPool: number[] | null;
}

const REFERENCE_DIR = 'reference';
/** The demonstrator's successful episodes (what SFT trains on; a new LM's tokenizer reads them too). */
async function collectDemos(provider: EnvProvider, config: TrainConfig, env: EnvSummary, rng: Rng, splitSize: number): Promise<CollectedTrajectory[]> {
  const groups = sampleGroups(rng, -1, config.demos, config.trainSplit, splitSize).map((g, i) => ({ ...g, groupId: `demo${i}` }));
  const demonstrator = config.demoAgent === 'expert' ? new ExpertAgent(config.env) : makeBuiltinAgent(config.env, config.demoAgent, config.seed);
  const { trajectories } = await collectorFor(config, env)(provider, demonstrator, groups, {
    groupSize: 1,
    historyLength: config.historyLength,
    retries: config.groupRetries,
    propose: proposerFor(config.env),
  });
  return trajectories.filter((t) => t.success);
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
    const env = await provider.describe();
    if (env.splits[config.trainSplit] === undefined) {
      throw new OptionsError('the training config', [`trainSplit: '${config.trainSplit}' is not a split of ${config.env} (splits: ${Object.keys(env.splits).join(', ')})`]);
    }
    if ((config.init === 'sft' || config.algo === 'sft') && config.demos > 0 && config.demoAgent === 'expert' && !hasExpert(config.env)) {
      throw new OptionsError('the training config', [`init: ${config.env} has no expert for SFT demos; use --init scratch, or --demo-agent with one of ${builtinAgentNames(config.env).join(', ')}`]);
    }
    if (config.demoAgent !== 'expert' && !builtinAgentNames(config.env).includes(config.demoAgent)) {
      throw new OptionsError('the training config', [`demoAgent: ${config.env} has no built-in agent '${config.demoAgent}' (it has ${builtinAgentNames(config.env).join(', ')})`]);
    }
    if (env.kind === 'multi' && config.evalEpisodes > 0) {
      throw new OptionsError('the training config', [`evalEpisodes: ${config.env} is a multi-agent env; evaluate it with ludus league or the env's own measure (e.g. exploitability), and set evalEpisodes to 0`]);
    }
    if (env.kind === 'multi' && config.selectTasks > 0) {
      throw new OptionsError('the training config', [`selectTasks: ${config.env} is a multi-agent env; task selection keeps single-agent tasks the policy solved, so set selectTasks to 0`]);
    }
    const algorithm: Algorithm = ALGORITHMS[config.algo];
    algorithm.check?.(env, config);
    if (config.league.enabled) checkLeague(config, env);
    const run = await startRun(config, resumeFrom, provider, store, env, backend, log, (id) => {
      runId = id; // a failure from here on (SFT, task selection, an iteration) marks the run failed
    });
    return await runIterations(run, algorithm, provider, store, env, backend, hooks);
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
  /** The selected tasks (`selectTasks`), so a resumed run trains on the same ones. */
  selection?: TaskSelection | null;
  /** `--league`: the league's members, ratings and payoff table, so a resumed run meets the same opponents. */
  league?: JsonObject | null;
}

/** A run in progress: what the loop reads and advances. */
interface Run {
  config: TrainConfig;
  runId: number;
  runName: string;
  checkpointDir: string;
  /** What is trained (the scorer or the LM), with its optimizer. */
  policy: TrainablePolicy;
  /** The frozen policy at the start of RL (for the KL term). */
  reference: TrainablePolicy;
  rng: Rng;
  startIteration: number;
  /** Env steps collected by RL so far. */
  envSteps: number;
  /** The tasks `selectTasks` kept (null: selection off). */
  selection: TaskSelection | null;
  /** `--league`: the population the policy plays (null: league off). */
  league: TrainingLeague | null;
}

/** A fresh run (SFT warm start, reference saved) or a resumed one (from its newest checkpoint). */
async function startRun(
  config: TrainConfig,
  resumeFrom: string | null,
  provider: EnvProvider,
  store: RunStore,
  env: EnvSummary,
  backend: BackendSelection,
  log: (line: string) => void,
  onRun: (runId: number) => void,
): Promise<Run> {
  if (resumeFrom !== null) {
    const loaded = await loadPolicy(resumeFrom, config, { trainable: true, log });
    const state = loaded.runState as TrainRunState | undefined;
    if (!state || typeof state.runId !== 'number' || !loaded.policy.canUpdate) {
      loaded.policy.dispose();
      throw new TrainerError('CHECKPOINT_NOT_FOUND', `${resumeFrom} is not a training checkpoint (no run state or optimizer). Point --checkpoint-dir at a run's checkpoint folder.`);
    }
    const run = store.getRun(state.runId);
    if (!run) throw new TrainerError('CHECKPOINT_NOT_FOUND', `The checkpoint belongs to run ${state.runId}, which is not in ${config.db}. Use the same --db as the original run.`);
    onRun(state.runId);
    const startIteration = state.iteration + 1;
    if (config.league.enabled && (state.league === undefined || state.league === null)) {
      loaded.policy.dispose();
      throw new TrainerError('CHECKPOINT_NOT_FOUND', `${resumeFrom} was saved by a run without --league, so it keeps no league to resume; resume it without --league.`);
    }
    const dropped = store.deleteIterationsFrom(state.runId, startIteration);
    if (config.league.enabled) new TrainLeagueStore(store).deleteFrom(state.runId, startIteration);
    store.updateRunStatus(state.runId, 'running');
    log(`resuming run ${state.runId} (${state.runName}) at iteration ${startIteration} from ${resumeFrom}${dropped ? `; dropped ${dropped} iteration(s) recorded after it` : ''}`);
    return {
      config,
      runId: state.runId,
      runName: state.runName,
      checkpointDir: config.checkpointDir as string,
      policy: loaded.policy,
      reference: (await loadPolicy(path.join(config.checkpointDir as string, REFERENCE_DIR), config, { trainable: false, log })).policy,
      rng: Rng.fromState(state.rngState),
      startIteration,
      envSteps: typeof state.envSteps === 'number' ? state.envSteps : 0,
      selection: state.selection ?? null,
      league: config.league.enabled ? TrainingLeague.fromState(state.league as unknown as TrainingLeagueState, { pfspPower: config.league.pfspPower }) : null,
    };
  }
  const rng = new Rng(`train:${config.seed}`);
  const runName = config.name ?? `${config.env}__${config.algo}__${config.seed}__${Math.floor(Date.now() / 1000)}`;
  const checkpointDir = config.checkpointDir ?? path.join('checkpoints', runName);
  const runId = store.createRun({ kind: 'train', envId: config.env, name: runName, algo: config.algo, config: publicConfig(config, checkpointDir), backend: backend.name });
  onRun(runId);
  // The demonstrations come first (a new LM's tokenizer reads them); the scorer's weights come from
  // its seed, so making it after them changes nothing.
  const withSft = (config.init === 'sft' || config.algo === 'sft') && config.demos > 0;
  const demos = withSft ? await collectDemos(provider, config, env, rng, trainPoolSize(env, config)) : [];
  const policy = await createPolicy(config, { provider, env, demos, log });
  if (withSft) {
    const lm = config.policy === 'lm';
    const epochs = lm ? config.lm.sftEpochs : config.sftEpochs;
    const sft = policy.sft(demos, { epochs, minibatchSize: config.sftMinibatchSize, rng, lr: lm ? config.lm.sftLr : config.sftLr, maxGradNorm: config.maxGradNorm });
    log(`SFT warm start: ${config.demos} ${config.demoAgent} episodes, ${sft.decisions} decisions, loss ${sft.losses[0]?.toFixed(3)} → ${sft.loss.toFixed(3)} over ${epochs} epochs`);
  }
  const reference = policy.cloneFrozen();
  await reference.save(path.join(checkpointDir, REFERENCE_DIR));
  let selection: TaskSelection | null = null;
  if (config.selectTasks > 0 && ALGORITHMS[config.algo].collect !== null) {
    const agent = policy.makeAgent({ temperature: config.temperature, rng });
    selection = await selectTasks(provider, agent, config, env, trainPoolSize(env, config), rng);
    log(`task selection: ${selection.tasks.length} of ${selection.tried} tasks solved at least once in ${selection.attempts} attempts (${selection.envSteps} env steps)`);
  }
  return {
    config,
    runId,
    runName,
    checkpointDir,
    policy,
    reference,
    rng,
    startIteration: 0,
    envSteps: 0,
    selection,
    league: config.league.enabled ? TrainingLeague.create(leagueBots(config), { meta: config.league.meta, pfspPower: config.league.pfspPower }) : null,
  };
}

/** The iterations: collect → batch → score → estimate → update → record → checkpoint. */
async function runIterations(
  run: Run,
  algorithm: Algorithm,
  provider: EnvProvider,
  store: RunStore,
  env: EnvSummary,
  backend: BackendSelection,
  hooks: TrainHooks,
): Promise<TrainResult> {
  const { config, policy, rng } = run;
  const log = hooks.log ?? (() => undefined);
  const loss = lossOptions(config);
  const reference = algorithm.loss === 'ppo' && loss.klCoef > 0 ? run.reference : null;
  const wantsBuffer = typeof algorithm.replayBuffer === 'function' ? algorithm.replayBuffer(config) : algorithm.replayBuffer === true;
  const replayBuffer: ReplayBuffer | null = wantsBuffer ? store.replayBuffer({ scope: `run:${run.runId}`, capacity: algorithm.replayCapacity?.(config) ?? config.arpo.capacity }) : null;

  const saveAt = async (iteration: number) => {
    const dir = path.join(run.checkpointDir, checkpointName(iteration));
    const runState: TrainRunState = {
      iteration,
      runId: run.runId,
      runName: run.runName,
      rngState: rng.getState(),
      envSteps: run.envSteps,
      selection: run.selection,
      league: (run.league?.state() ?? null) as unknown as JsonObject | null,
      config: publicConfig(config, run.checkpointDir),
    };
    await policy.save(dir, { withOptimizer: true, runState });
    store.addCheckpoint({ runId: run.runId, iteration, path: dir });
    await pruneCheckpoints(run.checkpointDir);
  };

  const leagueStore = run.league === null ? null : new TrainLeagueStore(store);
  const opponents = new CheckpointOpponents();
  const recordLeague = (iteration: number) => {
    const league = run.league as TrainingLeague;
    (leagueStore as TrainLeagueStore).recordIteration(run.runId, iteration, {
      members: league.allMembers(),
      ratings: league.allRatings().map(({ name, rating }) => ({ member: name, ...rating })),
      payoffs: league.payoffs.toJSON() as unknown as JsonObject,
      distribution: Object.fromEntries(league.distribution().map(({ member, probability }) => [member.name, probability])),
    });
  };

  const rlIterations = algorithm.collect === null ? 0 : config.iterations;
  if (run.league !== null && run.startIteration === 0 && run.league.allMembers().length === 0) {
    // A league without bots starts from the initial policy (fictitious self-play over the iterates).
    const dir = path.resolve(run.checkpointDir, 'league', 'init');
    await policy.save(dir, { withOptimizer: false });
    run.league.addCheckpoint('init', dir, -1);
  }
  let lastMetrics: Record<string, number> | null = null;
  let status: 'finished' | 'killed' = 'finished';
  let lastSaved = run.startIteration - 1;
  let completed = rlIterations;
  if (run.startIteration === 0 && rlIterations === 0) await saveAt(0);

  for (let it = run.startIteration; it < rlIterations; it++) {
    const iterStart = performance.now();
    const ctx: CollectContext = {
      iteration: it,
      runId: run.runId,
      config,
      provider,
      env,
      ...(policy instanceof ScorerPolicy ? { scorer: policy.scorer } : {}),
      agent: policy.makeAgent({ temperature: config.temperature, rng }),
      rng,
      replayBuffer,
      taskPool: run.selection?.tasks ?? null,
      log,
    };
    if (run.league !== null) {
      ctx.collector = leagueCollector(config, env, opponents, { league: run.league, rng, iteration: it, log, onUnloadable: () => undefined });
    }
    const collection = await (algorithm.collect as NonNullable<Algorithm['collect']>)(ctx);
    await ctx.agent.close?.();
    const batch = toBatch(collection, config.rewardMode, { decisions: policy.kind === 'scorer' });
    policy.scoreBatch(batch, reference);
    algorithm.estimate(batch, config);
    if (algorithm.loss === 'ppo') {
      batch.weights = rowWeights(batch.rowTrajectory, batch.trajectories.map((t) => t.groupId), batch.returns, { skipGroups: config.skipGroups, aggregation: config.lossAggregation });
    }
    const update = policy.update(algorithm.loss, batch, loss, { epochs: config.epochs, minibatchSize: config.minibatchSize, rng }, `at iteration ${it}`);
    run.envSteps += collection.envSteps;

    const metrics: Record<string, number> = {
      ...rolloutMetrics(batch, collection),
      [METRIC.envSteps]: run.envSteps,
      [METRIC.loss]: update.loss,
      [METRIC.gradNorm]: update.gradNorm,
      ...(algorithm.loss === 'ppo'
        ? {
            [METRIC.policyLoss]: update.stats.pgLoss ?? 0,
            [METRIC.kl]: update.stats.kl ?? 0,
            [METRIC.entropy]: update.stats.entropy ?? 0,
            [METRIC.clipFraction]: update.stats.clipFrac ?? 0,
            [METRIC.approxKl]: update.stats.approxKl ?? 0,
          }
        : { [METRIC.refuelResidual]: update.stats.residual ?? 0 }),
      [METRIC.skippedRows]: skippedShare(batch.weights),
      [METRIC.updateMs]: update.ms,
      [METRIC.updateRowsPerSecond]: update.rowsPerSecond,
      ...(policy.kind === 'lm' ? lmMetrics(batch, update.stats) : {}),
      ...advantageMetrics(batch.estimate?.stats ?? null),
      ...(run.selection === null ? {} : { [METRIC.selectedTasks]: run.selection.tasks.length, [METRIC.selectionEnvSteps]: run.selection.envSteps }),
    };
    if (config.evalEvery > 0 && config.evalEpisodes > 0 && (it + 1) % config.evalEvery === 0) {
      const ev = await evaluatePolicy(provider, policy, { split: evalSplitOf(config, env.splits), episodes: config.evalEpisodes, seed: config.seed, historyLength: config.historyLength, retries: config.groupRetries });
      metrics[evalMetric(evalSplitOf(config, env.splits), 'success_rate')] = ev.successRate;
      metrics[evalMetric(evalSplitOf(config, env.splits), 'loop_rate')] = ev.loopRate;
      if (policy.kind === 'lm') metrics[evalMetric(evalSplitOf(config, env.splits), 'invalid_rate')] = ev.invalidRate;
    }
    if (run.league !== null) {
      const league = run.league;
      const scores = gameScores(collection.trajectories);
      metrics['league/score'] = scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
      league.endIteration(config.league.decay);
      if ((it + 1) % config.league.every === 0) {
        const dir = path.resolve(run.checkpointDir, 'league', `it${it}`);
        await policy.save(dir, { withOptimizer: false });
        league.addCheckpoint(`it${it}`, dir, it);
        log(`league: checkpoint it${it} joins (${league.active().length} members drawable)`);
      }
      metrics['league/members'] = league.active().length;
      metrics['league/learner_mu'] = league.rating(LEARNER).mu;
      metrics['league/learner_ordinal'] = league.rating(LEARNER).ordinal;
      recordLeague(it);
    }
    metrics[METRIC.iterationMs] = performance.now() - iterStart;

    store.recordIteration(run.runId, it, metrics, batchRecords(config.env, batch));
    lastMetrics = metrics;
    hooks.onIteration?.({ iteration: it, iterations: rlIterations, metrics });
    if (policy instanceof ScorerPolicy) await hooks.onPolicy?.(it, policy.scorer);

    const budgetSpent = config.maxEnvSteps > 0 && run.envSteps >= config.maxEnvSteps;
    const stop = hooks.shouldStop?.() ?? false;
    if ((it + 1) % config.checkpointEvery === 0 || it === rlIterations - 1 || stop || budgetSpent) {
      await saveAt(it);
      lastSaved = it;
    }
    if (budgetSpent) {
      log(`env-step budget spent: ${run.envSteps} ≥ ${config.maxEnvSteps} after iteration ${it}`);
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
    evalSummary = await evaluatePolicy(provider, policy, { split: evalSplitOf(config, env.splits), episodes: config.evalEpisodes, seed: config.seed, historyLength: config.historyLength, retries: config.groupRetries });
    log(`eval on ${evalSplitOf(config, env.splits)}: success ${(evalSummary.successRate * 100).toFixed(1)}% over ${evalSummary.episodes} episodes`);
  }
  store.updateRunStatus(run.runId, status);
  opponents.dispose();
  policy.dispose();
  run.reference.dispose();
  return { runId: run.runId, runName: run.runName, backend, checkpointDir: run.checkpointDir, iterations: completed, envSteps: run.envSteps, status, lastMetrics, eval: evalSummary, taskPool: run.selection?.tasks ?? null };
}

/** The config as recorded (store, run-state): without the auth token, with the resolved checkpoint dir. */
function publicConfig(config: TrainConfig, checkpointDir: string): JsonObject {
  const { token: _token, ...rest } = config;
  // The advantage and loss options as the run uses them (algorithm defaults filled in), so the
  // recorded config says everything and a resumed run uses the same.
  const used = { advantage: advantageOptions(config), loss: withoutKlClamp(lossOptions(config)) };
  return JSON.parse(JSON.stringify({ ...rest, ...used, checkpointDir, resume: false })) as JsonObject;
}

/** The loss options the config schema accepts (the clamp of the k3 KL is not a config option). */
function withoutKlClamp(loss: ReturnType<typeof lossOptions>): Omit<ReturnType<typeof lossOptions>, 'klClamp'> {
  const { klClamp: _clamp, ...rest } = loss;
  return rest;
}

/** What the LM's iteration adds: tokens trained on and their speed, completion lengths, cut prompts. */
function lmMetrics(batch: Batch, stats: Record<string, number>): Record<string, number> {
  const steps = batch.trajectories.flatMap((t) => (t.replayed === true ? [] : t.steps));
  const written = steps.filter((s) => s.tokens?.ids != null);
  const cut = steps.filter((s) => typeof s.meta?.droppedTurns === 'number').length;
  return {
    [METRIC.updateTokensPerSecond]: stats.tokensPerSecond ?? 0,
    [METRIC.trainedTokens]: stats.trainedTokens ?? 0,
    [METRIC.completionTokens]: written.length === 0 ? 0 : written.reduce((n, s) => n + (s.tokens?.ids?.length ?? 0), 0) / written.length,
    [METRIC.cutPromptRate]: steps.length === 0 ? 0 : cut / steps.length,
  };
}

/** `--league` needs a multi-agent env, the scorer policy and an algorithm that collects groups of games. */
function checkLeague(config: TrainConfig, env: EnvSummary): void {
  if (env.kind !== 'multi') {
    throw new TrainerError('LEAGUE_NEEDS_MULTI_AGENT', `--league: ${config.env} is a single-agent env, so there is no opponent to draw from a league; train it without --league (a league is for multi-agent envs such as werewolf-v1 or kuhn-poker-v1).`);
  }
  if (config.policy !== 'scorer') throw new TrainerError('LEAGUE_NEEDS_MULTI_AGENT', '--league: league opponents are scorer checkpoints; train with --policy scorer (the default).');
  if (config.algo === 'refuel' || config.algo === 'sft') throw new TrainerError('LEAGUE_NEEDS_MULTI_AGENT', `--league: --algo ${config.algo} does not collect groups of games against opponents; use gigpo, grpo, rloo or arpo.`);
  leagueBots(config);
}

/** The league's rule bots: `league.bots`, else every bot of the env. */
function leagueBots(config: TrainConfig): string[] {
  const all = botNames(config.env);
  if (config.league.bots === undefined) return all.filter((n) => n.startsWith('bot:'));
  if (config.league.bots.trim() === 'none') return [];
  const wanted = [...new Set(config.league.bots.split(',').map((n) => n.trim()).filter((n) => n !== ''))];
  const unknown = wanted.filter((n) => !all.includes(n));
  if (unknown.length > 0) throw new OptionsError('the training config', [`league.bots: ${config.env} has no built-in agent ${unknown.map((n) => `'${n}'`).join(', ')} (it has ${all.join(', ')})`]);
  return wanted;
}
