/**
 * Record types of the run store: what goes in (`*Record`, `*Input`) and what comes out (`Stored*`,
 * `*Info`). Everything is plain JSON; ids are integers assigned by the store; timestamps are
 * milliseconds since the Unix epoch.
 *
 * A step row is (observation the agent saw, the candidates it chose from, the action it took) plus
 * what the env answered (reward, terminated, truncated, info) — `t = 0` is the action taken on the
 * reset observation. The observation after the last step is kept on the episode
 * (`finalObservation`).
 * @module
 */
import type { InvalidAction, InvalidActionPolicy, JsonObject, JsonValue, Observation } from '../envs/core/types.js';
import type { TurnTokens } from '../agents/turn-tokens.js';

export type RunKind = 'train' | 'play' | 'eval';
/**
 * A run's status. 'crashed' is never stored: it is what a 'running' run whose process is gone
 * reads as (see replay/run-liveness.ts).
 */
export type RunStatus = 'running' | 'finished' | 'failed' | 'killed' | 'crashed';

/** The statuses a writer sets. */
export type StoredRunStatus = Exclude<RunStatus, 'crashed'>;

/** `createRun` input. */
export interface RunInput {
  kind: RunKind;
  envId: string;
  /** Defaults to `${envId}__${kind}__${unix seconds}` (CleanRL-style run name). */
  name?: string;
  /** 'gigpo', 'grpo', 'rloo', 'arpo', 'refuel', 'sft', ... (null for play). */
  algo?: string | null;
  /** The resolved config, logged once. */
  config?: JsonObject;
  /** The tfjs backend the run uses ('tensorflow', 'wasm', 'cpu', ...). */
  backend?: string | null;
}

export interface RunInfo {
  id: number;
  name: string;
  kind: RunKind;
  algo: string | null;
  envId: string;
  config: JsonObject;
  backend: string | null;
  status: RunStatus;
  error: string | null;
  /** The highest iteration recorded so far (null before the first one). */
  lastIteration: number | null;
  createdAt: number;
  /** Bumped by every write to the run (a heartbeat: a 'running' run that stopped updating died). */
  updatedAt: number;
  /** Set when the status leaves 'running'. */
  finishedAt: number | null;
  /** The process recording the run (null for runs written before liveness was tracked). */
  pid: number | null;
  /** The host name of that process. */
  host: string | null;
  /** When that process last said it is alive (ms since epoch). */
  heartbeatAt: number | null;
  /** For a 'crashed' run, why it is taken for dead ("its process 1234 on box is gone"); else null. */
  crashReason: string | null;
}

/**
 * One iteration's metrics. The named fields also go to typed columns (for curves and sorting);
 * any other key is kept too (namespaced keys such as `losses/policy_loss` are welcome).
 * Non-finite values are stored as null (SQLite has no NaN).
 */
export interface IterationMetrics {
  successRate?: number;
  meanReturn?: number;
  loss?: number;
  kl?: number;
  entropy?: number;
  clipFraction?: number;
  stepsPerSecond?: number;
  /** Wall time of the whole iteration (collect + update), ms. */
  wallTimeMs?: number;
  [key: string]: number | undefined;
}

export interface IterationInfo {
  runId: number;
  iteration: number;
  successRate: number | null;
  meanReturn: number | null;
  loss: number | null;
  kl: number | null;
  entropy: number | null;
  clipFraction: number | null;
  stepsPerSecond: number | null;
  wallTimeMs: number | null;
  /** Every metric as given (non-finite ones as null). */
  metrics: Record<string, number | null>;
  createdAt: number;
}

/** One step to record. Optional fields default to null (or `{}`). */
export interface EpisodeStep {
  /** Step index within the episode: 0 for the action taken on the reset observation. */
  t: number;
  /** The observation the agent saw when it chose the action. */
  observation: Observation;
  /** What the policy chose from (its softmax support); usually `observation.actions`. */
  candidates: string[];
  action: string;
  /** log π(action | observation) at sampling time. */
  logp?: number | null;
  /** The policy's probabilities over `candidates`, same order. */
  probs?: number[] | null;
  reward: number;
  /** `info.rewardComponents` of the step. */
  rewardComponents?: Record<string, number>;
  terminated: boolean;
  truncated: boolean;
  /** `info.invalid` when the env did not accept the action. */
  invalid?: InvalidAction | null;
  /** The advantage the loss used (episode part + step part for GiGPO). */
  advantage?: number | null;
  /** GiGPO episode-level part (or the whole GRPO/RLOO advantage). */
  episodeAdvantage?: number | null;
  /** GiGPO step-level part. */
  stepAdvantage?: number | null;
  /**
   * GiGPO anchor-group key: equal for the steps of one episode group (same run, iteration and
   * `groupId`) that share an anchor state. Any short string (an index, a hash of the anchor).
   */
  anchorGroup?: string | null;
  /** `info.stateKey`. */
  stateKey?: string | null;
  /**
   * The rest of the step's info. Fields with a column of their own (rewardComponents, stateKey,
   * invalid) or kept on the episode (task, invalidActionPolicy, success) need not be repeated:
   * {@link stepFromResult} strips them.
   */
  info?: JsonObject;
  /** What the agent reported about this decision (`Decision.meta`: an LLM's raw reply, token usage, latency). */
  decision?: JsonObject | null;
  /** A language model's prompt, completion, token ids and log-probs for this turn (`Decision.tokens`). */
  tokens?: TurnTokens | null;
}

/** One episode to record, with its steps in order. */
export interface EpisodeRecord {
  envId: string;
  taskId: string;
  /** Env-specific task family (household: the task type). */
  taskType?: string | null;
  split?: string | null;
  taskIndex?: number | null;
  seed?: number | null;
  /** The episode group (the copies started from one task and seed in one iteration). */
  groupId?: string | null;
  /** The trajectory within its group / batch. */
  trajId?: string | null;
  /** Multi-agent envs: the seat this trajectory belongs to. */
  seat?: number | null;
  /** ARPO: this trajectory was replayed from the buffer, not freshly collected. */
  replayed?: boolean;
  return: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  invalidActionPolicy: InvalidActionPolicy;
  startedAt: number;
  finishedAt: number;
  /** The observation after the last step. */
  finalObservation?: Observation | null;
  /** Anything else worth keeping about the episode (task details, agent name, ...). */
  info?: JsonObject;
  steps: EpisodeStep[];
}

export interface EpisodeSummary {
  id: number;
  runId: number;
  iteration: number | null;
  envId: string;
  taskId: string;
  taskType: string | null;
  split: string | null;
  taskIndex: number | null;
  seed: number | null;
  groupId: string | null;
  trajId: string | null;
  seat: number | null;
  replayed: boolean;
  return: number;
  success: boolean;
  /** Number of steps. */
  length: number;
  terminated: boolean;
  truncated: boolean;
  invalidActionPolicy: InvalidActionPolicy;
  /** The goal of the first observation (kept once per episode). */
  goal: string | null;
  startedAt: number;
  finishedAt: number;
  info: JsonObject;
}

/** A step as read back: every field present, absent ones as null (or `{}`). */
export interface StoredStep {
  t: number;
  observation: Observation;
  candidates: string[];
  action: string;
  logp: number | null;
  probs: number[] | null;
  reward: number;
  rewardComponents: Record<string, number>;
  terminated: boolean;
  truncated: boolean;
  invalid: InvalidAction | null;
  advantage: number | null;
  episodeAdvantage: number | null;
  stepAdvantage: number | null;
  anchorGroup: string | null;
  stateKey: string | null;
  info: JsonObject;
  /** `Decision.meta` of the agent that chose the action; null when it reported none. */
  decision: JsonObject | null;
  /** `Decision.tokens` of a language model; null for agents that gave none. */
  tokens: TurnTokens | null;
}

export interface StoredEpisode extends EpisodeSummary {
  finalObservation: Observation | null;
  steps: StoredStep[];
}

export interface EpisodeFilter {
  runId?: number;
  envId?: string;
  taskId?: string;
  taskType?: string;
  split?: string;
  success?: boolean;
  /** An iteration index, or null for episodes recorded outside iterations (play). */
  iteration?: number | null;
  groupId?: string;
}

export interface Pagination {
  /** Page size, 1..1000 (default 50). */
  limit?: number;
  /** Rows to skip (simple paging; prefer `cursor` on big stores). */
  offset?: number;
  /** Keyset paging: the `nextCursor` of the previous page. */
  cursor?: number | null;
  /** By episode id (default 'asc': oldest first). */
  order?: 'asc' | 'desc';
}

export interface EpisodePage {
  episodes: EpisodeSummary[];
  /** Pass as `cursor` to get the next page; null when this page is the last. */
  nextCursor: number | null;
}

/** Names a GiGPO anchor group directly. */
export interface AnchorGroupKey {
  runId: number;
  iteration: number;
  groupId: string;
  anchorGroup: string;
}

/** A step of one trajectory of the group that shares the anchor state. */
export interface AnchorGroupMember {
  episodeId: number;
  trajId: string | null;
  t: number;
  action: string;
  reward: number;
  advantage: number | null;
  stepAdvantage: number | null;
}

export interface AnchorGroup extends AnchorGroupKey {
  /** Ordered by trajectory, then t. A state can recur within one trajectory. */
  members: AnchorGroupMember[];
}

export interface CheckpointInput {
  runId: number;
  iteration: number;
  /** Where the weights + optimizer + run state were written. */
  path: string;
  meta?: JsonObject;
}

export interface CheckpointInfo {
  id: number;
  runId: number;
  iteration: number;
  path: string;
  meta: JsonObject;
  createdAt: number;
}

/** A trajectory offered to the ARPO replay buffer (the trainer stores only successes). */
export interface ReplayInput {
  envId: string;
  taskId: string;
  return: number;
  /** Whatever the trainer needs to replay it (steps, candidates, actions, task, seed, ...). */
  trajectory: JsonValue;
  /** Provenance. */
  runId?: number | null;
  episodeId?: number | null;
}

export interface ReplayEntry {
  id: number;
  /** The buffer it lives in: '' is the shared one; runs may keep their own. */
  scope: string;
  envId: string;
  taskId: string;
  return: number;
  trajectory: JsonValue;
  runId: number | null;
  episodeId: number | null;
  createdAt: number;
}

/** One step's advantages, as `ludus advantages` writes them back. */
export interface StepAdvantageUpdate {
  episodeId: number;
  t: number;
  advantage: number | null;
  episodeAdvantage: number | null;
  stepAdvantage: number | null;
  anchorGroup: string | null;
}

/** `RunStore.writeAdvantages`: an iteration's recomputed advantages. */
export interface AdvantageWrite {
  /** The run's algo from now on ('gigpo', 'grpo', 'rloo', 'arpo'). */
  algo: string;
  steps: StepAdvantageUpdate[];
  /** Episodes left out of the estimate because a replayed one took their place (ARPO). */
  replaced: { episodeId: number; by: string }[];
  /** Replayed episodes to record in the iteration (ARPO). */
  added: EpisodeRecord[];
  /** Merged into the iteration's metrics (`advantage/...`, `arpo/...`). */
  metrics: Record<string, number>;
}
