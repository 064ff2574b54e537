/**
 * The single-agent episode loop: `runEpisode(env, agent)` and its batched form
 * `runEpisodes(envs, agent)`, which steps many envs together with one `act` call per step for all
 * live episodes (one forward pass of a policy, one fan-out of an HTTP agent).
 *
 * Every episode records what the agent saw (observation, info, candidates, history), what it
 * decided and what the env answered, so the same record serves training rows, the store and the
 * viewer. An env that fails mid-episode can be isolated (its episode, or its whole group, is
 * reported as failed and the others go on) instead of failing the batch.
 * @module
 */
import type { Env, InvalidActionPolicy, Observation, ResetOptions, ResetResult, StepInfo, StepResult, TaskInfo } from '../envs/core/types.js';
import type { Agent, AgentInput, Decision, HistoryStep } from './agent.js';
import { admissibleCandidates, type CandidateProposer } from './candidates.js';
import { FailureIsolation, resetOptionsAt } from './failure-isolation.js';

export interface EpisodeStep {
  /** What the agent saw. */
  observation: Observation;
  info: StepInfo;
  /** What it chose from. */
  candidates: string[];
  /** The history it was given with `observation`. */
  history: HistoryStep[];
  decision: Decision;
  /** What the env answered. */
  result: StepResult;
}

export interface Episode {
  envId: string;
  /** The decision stream's key (what the agent saw as `AgentInput.key`). */
  key: string;
  resetOptions: ResetOptions;
  reset: ResetResult;
  task: TaskInfo | null;
  steps: EpisodeStep[];
  finalObservation: Observation;
  return: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  /** Stopped by the caller's signal before the env ended it. */
  stopped: boolean;
  invalidActionPolicy: InvalidActionPolicy;
  startedAt: number;
  finishedAt: number;
}

export type EpisodeOutcome = { ok: true; episode: Episode } | { ok: false; error: unknown };

export interface RunEpisodeOptions {
  /** Reset options (seed, task). */
  reset?: ResetOptions;
  /** Turns an observation into the candidates the agent picks from (default: the admissible actions). */
  propose?: CandidateProposer;
  /** History steps given to the agent (most recent kept). Default: all of them. */
  historyLength?: number;
  /** Stop after this many steps even if the env has no time limit (the episode is `stopped`). */
  maxSteps?: number;
  /** Checked after each decision: once aborted, the episode stops before the next env step. */
  signal?: AbortSignal;
  /** The decision stream key (default: `${envId}#0`). */
  key?: string;
  /** Called after every step. */
  onStep?: (step: EpisodeStep, episode: Episode) => void;
}

export interface RunEpisodesOptions extends Omit<RunEpisodeOptions, 'reset' | 'key' | 'onStep'> {
  /** One reset options object per env, or one for all. */
  reset?: ResetOptions | readonly ResetOptions[];
  /** The key of env i's stream (default `${envId}#i`). */
  keys?: readonly string[];
  /**
   * Errors to isolate instead of rethrowing: the failing env's episode (and every episode of the
   * same group, see `groupOf`) is reported `{ ok: false }` and the rest go on.
   */
  isolate?: (error: unknown) => boolean;
  /** Env i's group: episodes of one group fail together. Default: each env alone. */
  groupOf?: (index: number) => string;
  onStep?: (index: number, step: EpisodeStep, episode: Episode) => void;
}

interface Live {
  index: number;
  env: Env;
  episode: Episode;
  observation: Observation;
  info: StepInfo;
  candidates: string[];
  history: HistoryStep[];
}

/** Plays one episode of `env` with `agent`. Errors propagate. */
export async function runEpisode(env: Env, agent: Agent, options: RunEpisodeOptions = {}): Promise<Episode> {
  const { reset, key, onStep, ...rest } = options;
  const [outcome] = await runEpisodes([env], agent, {
    ...rest,
    ...(reset === undefined ? {} : { reset }),
    ...(key === undefined ? {} : { keys: [key] }),
    ...(onStep === undefined ? {} : { onStep: (_i: number, step: EpisodeStep, episode: Episode) => onStep(step, episode) }),
  });
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.episode;
}

/** Plays one episode in each env, stepping all of them together (one `act` call per step). */
export async function runEpisodes(envs: readonly Env[], agent: Agent, options: RunEpisodesOptions = {}): Promise<EpisodeOutcome[]> {
  const propose = options.propose ?? admissibleCandidates;
  const historyLength = options.historyLength ?? Infinity;
  const maxSteps = options.maxSteps ?? Infinity;
  const failures = new FailureIsolation(options.isolate, options.groupOf);
  const outcomes: (EpisodeOutcome | undefined)[] = new Array(envs.length);
  const resetFor = (i: number): ResetOptions => resetOptionsAt(options.reset, i);
  const fail = (i: number, error: unknown) => failures.fail(i, error);
  const keyOf = (i: number, envId: string) => options.keys?.[i] ?? `${envId}#${i}`;

  const lives: Live[] = [];
  await Promise.all(
    envs.map(async (env, index) => {
      const resetOptions = resetFor(index);
      let reset: ResetResult;
      try {
        reset = await env.reset(resetOptions);
      } catch (err) {
        fail(index, err);
        return;
      }
      const now = Date.now();
      const envId = env.id ?? 'env';
      lives[index] = {
        index,
        env,
        observation: reset.observation,
        info: reset.info,
        candidates: propose(reset.observation),
        history: [],
        episode: {
          envId,
          key: keyOf(index, envId),
          resetOptions,
          reset,
          task: (reset.info.task as TaskInfo | undefined) ?? null,
          steps: [],
          finalObservation: reset.observation,
          return: 0,
          success: false,
          terminated: false,
          truncated: false,
          stopped: false,
          invalidActionPolicy: reset.info.invalidActionPolicy ?? 'noop',
          startedAt: now,
          finishedAt: now,
        },
      };
    }),
  );

  const stillRunning = (l: Live): boolean => !failures.failed(l.index) && !isOver(l.episode);
  const isLive = (l: Live | undefined): l is Live => l !== undefined && stillRunning(l);
  let live = lives.filter(isLive);
  while (live.length > 0) {
    for (const l of live) {
      if (l.episode.steps.length >= maxSteps) {
        l.episode.stopped = true;
        l.episode.finishedAt = Date.now();
      }
    }
    const capped = live.filter((l) => !stillRunning(l)).map((l) => l.episode.key);
    if (capped.length > 0) agent.end?.(capped);
    live = live.filter(isLive);
    if (live.length === 0) break;
    const inputs: AgentInput[] = live.map((l) => ({
      key: l.episode.key,
      envId: l.episode.envId,
      observation: l.observation,
      info: l.info,
      candidates: l.candidates,
      history: l.history,
    }));
    const decisions = await agent.act(inputs);
    if (decisions.length !== live.length) {
      throw new RangeError(`Agent '${agent.name}' returned ${decisions.length} decisions for ${live.length} inputs.`);
    }
    const stopNow = options.signal?.aborted === true;
    await Promise.all(
      live.map(async (l, i) => {
        const decision = decisions[i] as Decision;
        if (stopNow) {
          l.episode.stopped = true;
          l.episode.finishedAt = Date.now();
          return;
        }
        let result: StepResult;
        try {
          result = await l.env.step(decision.action);
        } catch (err) {
          fail(l.index, err);
          return;
        }
        const step: EpisodeStep = {
          observation: l.observation,
          info: l.info,
          candidates: l.candidates,
          history: l.history.slice(),
          decision,
          result,
        };
        l.episode.steps.push(step);
        l.history.push({ observation: l.observation.text, action: decision.action });
        if (l.history.length > historyLength) l.history.shift();
        l.observation = result.observation;
        l.info = result.info;
        l.candidates = propose(result.observation);
        l.episode.return += result.reward;
        l.episode.finalObservation = result.observation;
        if (result.terminated || result.truncated) {
          l.episode.terminated = result.terminated;
          l.episode.truncated = result.truncated;
          l.episode.success = result.info.success === true;
          l.episode.finishedAt = Date.now();
        }
        options.onStep?.(l.index, step, l.episode);
      }),
    );
    const ended = live.filter((l) => !stillRunning(l)).map((l) => l.episode.key);
    if (ended.length > 0) agent.end?.(ended);
    live = live.filter(isLive);
  }

  for (let i = 0; i < envs.length; i++) {
    const l = lives[i];
    if (failures.failed(i) || l === undefined) outcomes[i] = { ok: false, error: failures.errorOf(i) };
    else outcomes[i] = { ok: true, episode: l.episode };
  }
  const failedKeys = lives.filter((l): l is Live => l !== undefined && failures.failed(l.index)).map((l) => l.episode.key);
  if (failedKeys.length > 0) agent.end?.(failedKeys);
  return outcomes as EpisodeOutcome[];
}

function isOver(e: Episode): boolean {
  return e.terminated || e.truncated || e.stopped;
}
