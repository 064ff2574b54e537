/**
 * Row <-> record conversion for the store. Steps are kept compact, because a store write is bound
 * by bytes:
 * - each distinct action string is stored once per episode (`episodes.action_vocab`); a step's
 *   candidates and observation actions are uint16 LE indices into it (<= 65,536 per episode);
 * - the observation's actions only when they differ from the candidates, the anchor only when it
 *   differs from the text, the goal once per episode; empty objects are NULL;
 * - probs are float32 LE (7 significant digits — display precision; `logp` stays a double);
 * - a language model's tokens are JSON with the prompt as a delta on the step before's
 *   (replay/turn-tokens-codec.ts).
 * `decode*(encode*(x))` gives back `x` (absent optional fields as null / `{}`, probs rounded to
 * float32).
 * @module
 */
import type { InvalidAction, InvalidActionPolicy, JsonObject, Observation, StepResult } from '../envs/core/types.js';
import type {
  EpisodeRecord,
  EpisodeStep,
  EpisodeSummary,
  IterationInfo,
  IterationMetrics,
  RunInfo,
  RunKind,
  RunStatus,
  StoredStep,
} from './types.js';
import type { PromptMessage } from '../agents/turn-tokens.js';
import { decodeTurnTokens, encodeTurnTokens } from './turn-tokens-codec.js';

/** Positional values of `INSERT INTO steps`, in column order ({@link STEP_COLUMNS}). */
export type StepValues = [
  episodeId: number,
  t: number,
  obsText: string,
  obsAnchor: string | null,
  obsActions: Buffer | null,
  obsExtra: string | null,
  candidates: Buffer,
  action: string,
  logp: number | null,
  probs: Buffer | null,
  reward: number,
  rewardComponents: string | null,
  terminated: number,
  truncated: number,
  invalidCode: string | null,
  invalidDetail: string | null,
  advantage: number | null,
  episodeAdvantage: number | null,
  stepAdvantage: number | null,
  anchorGroup: string | null,
  stateKey: string | null,
  info: string | null,
  tokens: string | null,
];

export const STEP_COLUMNS = [
  'episode_id',
  't',
  'obs_text',
  'obs_anchor',
  'obs_actions',
  'obs_extra',
  'candidates',
  'action',
  'logp',
  'probs',
  'reward',
  'reward_components',
  'terminated',
  'truncated',
  'invalid_code',
  'invalid_detail',
  'advantage',
  'episode_advantage',
  'step_advantage',
  'anchor_group',
  'state_key',
  'info',
  'tokens',
] as const;

export interface StepRow {
  t: number;
  obs_text: string;
  obs_anchor: string | null;
  obs_actions: Buffer | null;
  obs_extra: string | null;
  candidates: Buffer;
  action: string;
  logp: number | null;
  probs: Buffer | null;
  reward: number;
  reward_components: string | null;
  terminated: number;
  truncated: number;
  invalid_code: string | null;
  invalid_detail: string | null;
  advantage: number | null;
  episode_advantage: number | null;
  step_advantage: number | null;
  anchor_group: string | null;
  state_key: string | null;
  info: string | null;
  /** Schema ≥ 5 (NULL when read from an older file). */
  tokens: string | null;
}

export interface EpisodeRow {
  id: number;
  run_id: number;
  iteration: number | null;
  env_id: string;
  task_id: string;
  task_type: string | null;
  split: string | null;
  task_index: number | null;
  seed: number | null;
  group_id: string | null;
  traj_id: string | null;
  seat: number | null;
  replayed: number;
  episode_return: number;
  success: number;
  length: number;
  terminated: number;
  truncated: number;
  invalid_action_policy: string;
  goal: string | null;
  action_vocab?: string;
  final_observation?: string | null;
  info: string | null;
  started_at: number;
  finished_at: number;
}

export interface RunRow {
  id: number;
  name: string;
  kind: string;
  algo: string | null;
  env_id: string;
  config: string;
  backend: string | null;
  status: string;
  error: string | null;
  last_iteration: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  pid: number | null;
  host: string | null;
  heartbeat_at: number | null;
}

export interface IterationRow {
  run_id: number;
  iteration: number;
  success_rate: number | null;
  mean_return: number | null;
  loss: number | null;
  kl: number | null;
  entropy: number | null;
  clip_fraction: number | null;
  steps_per_second: number | null;
  wall_time_ms: number | null;
  metrics: string;
  created_at: number;
}

// ---------------------------------------------------------------------------------------------
// Steps

/** The goal an episode keeps once: the first observation's. */
export function episodeGoal(episode: EpisodeRecord): string | null {
  return episode.steps[0]?.observation.goal ?? episode.finalObservation?.goal ?? null;
}

/** Each distinct action string of an episode once; steps refer to them by index. */
export class ActionVocab {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  /** uint16 LE indices of `actions`, adding new strings to the vocabulary. */
  encode(actions: readonly string[]): Buffer {
    const buf = Buffer.allocUnsafe(actions.length * 2);
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]!;
      let k = this.index.get(action);
      if (k === undefined) {
        if (typeof action !== 'string') throw new TypeError(`actions must be strings; got ${typeof action}`);
        k = this.list.length;
        if (k > 0xffff) throw new RangeError('an episode may hold at most 65,536 distinct action strings');
        this.list.push(action);
        this.index.set(action, k);
      }
      buf.writeUInt16LE(k, i * 2);
    }
    return buf;
  }
}

export function decodeActions(buf: Buffer, vocab: readonly string[]): string[] {
  const n = buf.length >>> 1;
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = vocab[buf.readUInt16LE(i * 2)]!;
  return out;
}

export function encodeProbs(probs: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(probs.length * 4);
  for (let i = 0; i < probs.length; i++) buf.writeFloatLE(probs[i]!, i * 4);
  return buf;
}

export function decodeProbs(buf: Buffer): number[] {
  const n = buf.length >>> 2;
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** The step's row values; `episodeId` (index 0) is set by the caller once the episode row exists. */
/**
 * @param previousPrompt the prompt of the step before's tokens (the tokens column keeps a delta on
 *   it: replay/turn-tokens-codec.ts); null on the first step or after a step without tokens
 */
export function encodeStep(step: EpisodeStep, goal: string | null, vocab: ActionVocab, episodeId = 0, previousPrompt: readonly PromptMessage[] | null = null): StepValues {
  const obs = step.observation;
  const candidates = step.candidates;
  const invalid = step.invalid ?? null;
  return [
    episodeId,
    step.t,
    obs.text,
    obs.anchor === obs.text ? null : obs.anchor,
    sameStrings(obs.actions, candidates) ? null : vocab.encode(obs.actions),
    encodeObservationExtra(obs, goal),
    vocab.encode(candidates),
    step.action,
    finiteOrNull(step.logp),
    step.probs == null ? null : encodeProbs(step.probs),
    step.reward,
    nonEmptyJson(step.rewardComponents),
    step.terminated ? 1 : 0,
    step.truncated ? 1 : 0,
    invalid === null ? null : invalid.code,
    invalid === null ? null : JSON.stringify({ message: invalid.message, suggestions: invalid.suggestions }),
    finiteOrNull(step.advantage),
    finiteOrNull(step.episodeAdvantage),
    finiteOrNull(step.stepAdvantage),
    step.anchorGroup ?? null,
    step.stateKey ?? null,
    nonEmptyJson(step.decision == null ? step.info : { ...step.info, [DECISION_KEY]: step.decision }),
    step.tokens == null ? null : encodeTurnTokens(step.tokens, previousPrompt, `step ${step.t}`),
  ];
}

/** @param previousPrompt the decoded prompt of the step before's tokens (null when it had none) */
export function decodeStep(row: StepRow, goal: string | null, vocab: readonly string[], previousPrompt: readonly PromptMessage[] | null = null): StoredStep {
  const candidates = decodeActions(row.candidates, vocab);
  return {
    t: row.t,
    observation: decodeObservation(row, candidates, goal, vocab),
    candidates,
    action: row.action,
    logp: row.logp,
    probs: row.probs === null ? null : decodeProbs(row.probs),
    reward: row.reward,
    rewardComponents: row.reward_components === null ? {} : (JSON.parse(row.reward_components) as Record<string, number>),
    terminated: row.terminated === 1,
    truncated: row.truncated === 1,
    invalid:
      row.invalid_code === null
        ? null
        : ({ code: row.invalid_code, ...(JSON.parse(row.invalid_detail ?? '{}') as object) } as InvalidAction),
    advantage: row.advantage,
    episodeAdvantage: row.episode_advantage,
    stepAdvantage: row.step_advantage,
    anchorGroup: row.anchor_group,
    stateKey: row.state_key,
    ...decodeInfo(row.info),
    tokens: row.tokens == null ? null : decodeTurnTokens(row.tokens, previousPrompt),
  };
}

/** An episode's step rows, in order, decoded (each step's token prompt rebuilt from the one before). */
export function decodeSteps(rows: readonly StepRow[], goal: string | null, vocab: readonly string[]): StoredStep[] {
  let previous: PromptMessage[] | null = null;
  return rows.map((row) => {
    const step = decodeStep(row, goal, vocab, previous);
    previous = step.tokens?.prompt ?? null;
    return step;
  });
}

/**
 * The key under which a step's `decision` (the agent's `Decision.meta`: an LLM's reply, tokens,
 * latency) rides in the `info` JSON column. `$` keeps it apart from env info keys; decoding takes
 * it out again, so `StoredStep.info` is exactly the env's info (what `--verify` compares).
 */
export const DECISION_KEY = '$decision';

function decodeInfo(text: string | null): { info: JsonObject; decision: JsonObject | null } {
  if (text === null) return { info: {}, decision: null };
  const info = JSON.parse(text) as JsonObject;
  const decision = info[DECISION_KEY];
  if (decision === undefined) return { info, decision: null };
  delete info[DECISION_KEY];
  return { info, decision: decision as JsonObject };
}

/**
 * Observation fields other than text / actions / anchor, and the goal when it differs from the
 * episode's (`goal: null` in the JSON marks a step without a goal in an episode that has one).
 */
function encodeObservationExtra(obs: Observation, goal: string | null): string | null {
  let extra: Record<string, unknown> | null = null;
  for (const key in obs) {
    if (key === 'text' || key === 'actions' || key === 'anchor' || key === 'goal') continue;
    const value = (obs as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    (extra ??= {})[key] = value;
  }
  const stepGoal = obs.goal ?? null;
  if (stepGoal !== goal) (extra ??= {}).goal = stepGoal;
  return extra === null ? null : JSON.stringify(extra);
}

function decodeObservation(row: StepRow, candidates: string[], goal: string | null, vocab: readonly string[]): Observation {
  const obs: Observation = {
    text: row.obs_text,
    actions: row.obs_actions === null ? candidates.slice() : decodeActions(row.obs_actions, vocab),
    anchor: row.obs_anchor ?? row.obs_text,
  };
  if (goal !== null) obs.goal = goal;
  if (row.obs_extra !== null) {
    const extra = JSON.parse(row.obs_extra) as Record<string, unknown>;
    for (const key in extra) {
      if (key === 'goal' && extra.goal === null) delete obs.goal;
      else (obs as unknown as Record<string, unknown>)[key] = extra[key];
    }
  }
  return obs;
}

// ---------------------------------------------------------------------------------------------
// Episodes, runs, iterations

export function decodeEpisodeSummary(row: EpisodeRow): EpisodeSummary {
  return {
    id: row.id,
    runId: row.run_id,
    iteration: row.iteration,
    envId: row.env_id,
    taskId: row.task_id,
    taskType: row.task_type,
    split: row.split,
    taskIndex: row.task_index,
    seed: row.seed,
    groupId: row.group_id,
    trajId: row.traj_id,
    seat: row.seat,
    replayed: row.replayed === 1,
    return: row.episode_return,
    success: row.success === 1,
    length: row.length,
    terminated: row.terminated === 1,
    truncated: row.truncated === 1,
    invalidActionPolicy: row.invalid_action_policy as InvalidActionPolicy,
    goal: row.goal,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    info: row.info === null ? {} : (JSON.parse(row.info) as JsonObject),
  };
}

export function decodeRun(row: RunRow): RunInfo {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as RunKind,
    algo: row.algo,
    envId: row.env_id,
    config: JSON.parse(row.config) as JsonObject,
    backend: row.backend,
    status: row.status as RunStatus,
    error: row.error,
    lastIteration: row.last_iteration,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    pid: row.pid ?? null,
    host: row.host ?? null,
    heartbeatAt: row.heartbeat_at ?? null,
    crashReason: null,
  };
}

/** The metrics with their own column, in column order. */
export const TYPED_METRICS = [
  'successRate',
  'meanReturn',
  'loss',
  'kl',
  'entropy',
  'clipFraction',
  'stepsPerSecond',
  'wallTimeMs',
] as const satisfies readonly (keyof IterationMetrics)[];

/**
 * The trainer's names (`<section>/<snake_case>`, trainer/metrics.ts) of the metrics with a column:
 * a typed column takes its own key, or else this one.
 */
export const TYPED_METRIC_ALIASES: Readonly<Record<(typeof TYPED_METRICS)[number], string>> = {
  successRate: 'charts/success_rate',
  meanReturn: 'charts/mean_return',
  loss: 'losses/loss',
  kl: 'losses/kl',
  entropy: 'losses/entropy',
  clipFraction: 'losses/clipfrac',
  stepsPerSecond: 'charts/steps_per_second',
  wallTimeMs: 'time/iteration_ms',
};

export function encodeMetrics(metrics: IterationMetrics): { typed: (number | null)[]; json: string } {
  const all: Record<string, number | null> = {};
  for (const key in metrics) {
    const value = metrics[key];
    if (value === undefined) continue;
    all[key] = finiteOrNull(value);
  }
  return { typed: TYPED_METRICS.map((k) => all[k] ?? all[TYPED_METRIC_ALIASES[k]] ?? null), json: JSON.stringify(all) };
}

export function decodeIteration(row: IterationRow): IterationInfo {
  return {
    runId: row.run_id,
    iteration: row.iteration,
    successRate: row.success_rate,
    meanReturn: row.mean_return,
    loss: row.loss,
    kl: row.kl,
    entropy: row.entropy,
    clipFraction: row.clip_fraction,
    stepsPerSecond: row.steps_per_second,
    wallTimeMs: row.wall_time_ms,
    metrics: JSON.parse(row.metrics) as Record<string, number | null>,
    createdAt: row.created_at,
  };
}

// ---------------------------------------------------------------------------------------------
// From env results

/** StepInfo keys that have a column of their own or live on the episode. */
const INFO_KEYS_KEPT_ELSEWHERE = new Set(['rewardComponents', 'stateKey', 'invalid', 'success', 'task', 'invalidActionPolicy']);

/**
 * Builds a step record from what the agent saw and what the env answered, moving the info fields
 * that have columns (rewardComponents, stateKey, invalid) out of `info` and dropping the ones kept
 * on the episode (success, task, invalidActionPolicy).
 * @example
 * const result = await env.step(action);
 * steps.push(stepFromResult(steps.length, observation, action, result, { candidates, logp }));
 */
export function stepFromResult(
  t: number,
  observation: Observation,
  action: string,
  result: StepResult,
  extra: Partial<Omit<EpisodeStep, 't' | 'observation' | 'action' | 'reward' | 'terminated' | 'truncated'>> = {},
): EpisodeStep {
  const info: JsonObject = {};
  for (const key in result.info) {
    if (INFO_KEYS_KEPT_ELSEWHERE.has(key)) continue;
    const value = result.info[key];
    if (value !== undefined) info[key] = value as JsonObject[string];
  }
  return {
    t,
    observation,
    candidates: observation.actions,
    action,
    reward: result.reward,
    rewardComponents: result.info.rewardComponents,
    terminated: result.terminated,
    truncated: result.truncated,
    invalid: result.info.invalid ?? null,
    stateKey: result.info.stateKey ?? null,
    info,
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------

export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

export function nonEmptyJson(value: object | null | undefined): string | null {
  if (value == null) return null;
  for (const _ in value) return JSON.stringify(value);
  return null;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
