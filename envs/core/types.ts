/**
 * The Env contract shared by every environment, wrapper, transport and trainer.
 *
 * Everything that crosses this interface is plain JSON, so the same values travel unchanged over
 * the WebSocket protocol (envs/server, envs/client) and into the SQLite store (replay/).
 *
 * `terminated` and `truncated` are kept apart as in Gymnasium: `terminated` means the task itself
 * ended (success, failure, or an invalid action under the `terminate` policy) and the return after
 * it is zero; `truncated` means the episode was cut by the time limit, which is outside the task,
 * so a value-based learner may still bootstrap from the last observation.
 * @module
 */

/** Any value that survives `JSON.parse(JSON.stringify(x))` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What an agent sees after reset or after a step. */
export interface Observation {
  /** What a text agent reads: the env's feedback for the last action (and, after reset, the intro). */
  text: string;
  /** The admissible actions now. May be empty where actions are free-form. */
  actions: string[];
  /** GiGPO anchor key: the raw current observation, without history. */
  anchor: string;
  /** The task's goal in words, when the env has one. */
  goal?: string;
  html?: string;
  axtree?: string;
  /** base64 PNG. */
  screenshot?: string;
  url?: string;
  /** Multi-agent envs: the seat this observation belongs to. */
  seat?: number;
}

/** Machine-readable reasons an action was not accepted. Stable; new codes may be added. */
export type InvalidActionCode =
  | 'PARSE_ERROR'
  | 'UNKNOWN_VERB'
  | 'UNKNOWN_OBJECT'
  | 'NOT_ADMISSIBLE'
  | 'NOT_YOUR_TURN'
  | 'EMPTY_ACTION';

export interface InvalidAction {
  code: InvalidActionCode;
  message: string;
  /** The closest admissible actions, best first. */
  suggestions: string[];
}

export type InvalidActionPolicy = 'noop' | 'penalty' | 'terminate';

/** Side information of a step or reset. Plain JSON. */
export interface StepInfo {
  /** Set on every step; true only on a successful last step. */
  success?: boolean;
  /** A named vector: what the reward is made of (sub-goal progress, penalties, ...). */
  rewardComponents: Record<string, number>;
  /** A hash of the true env state, for anchor ablations. Equal states give equal keys. */
  stateKey: string;
  /** Present when the action was not accepted. Never an exception. */
  invalid?: InvalidAction;
  /** The canonical form of the accepted action, when the env rewrote an alias. */
  canonicalAction?: string;
  /** Added by the invalid-action wrapper on every step and reset: the policy in force. */
  invalidActionPolicy?: InvalidActionPolicy;
  /** Added by the time-limit wrapper: steps taken in this episode. */
  elapsedSteps?: number;
  /** The task this episode plays (set on reset, repeated on every step). */
  task?: TaskInfo;
  [key: string]: unknown;
}

/** Names a task: by split and index, or by its id. A bare string is a task id. */
export type TaskRef = { split: string; index: number } | { id: string } | string;

/** A resolved task, as reported in `info.task`. */
export interface TaskInfo {
  id: string;
  split: string;
  index: number;
  /** Env-specific task family (household: the task type). */
  type?: string;
  [key: string]: unknown;
}

export interface ResetOptions {
  /** Seeds every random choice of the episode. Same seed + task + actions ⇒ same trajectory. */
  seed?: number;
  /** Which task to play. When absent, a train task is drawn from the seed. */
  task?: TaskRef;
}

export interface ResetResult {
  observation: Observation;
  info: StepInfo;
}

export interface StepResult {
  observation: Observation;
  reward: number;
  /** The task ended (success, failure, or termination for an invalid action). */
  terminated: boolean;
  /** The time limit cut the episode. */
  truncated: boolean;
  info: StepInfo;
}

/** The env's complete state as plain JSON: `restore(snapshot())` forks the episode exactly. */
export type EnvState = JsonValue;

/** The single-agent environment interface. All methods may be called in any order; misuse throws a typed error. */
export interface Env {
  /** Set by `make`: the spec the env was built from. */
  readonly id?: string;
  reset(options?: ResetOptions): Promise<ResetResult>;
  step(action: string): Promise<StepResult>;
  snapshot(): Promise<EnvState>;
  restore(state: EnvState): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Named task splits and their sizes. */
export type TaskSplits = Record<string, number>;

// ---------------------------------------------------------------------------------------------
// Multi-agent (werewolf): seats, private observations, simultaneous actions.

export interface MultiAgentResetResult {
  /** Private observation per seat. */
  observations: Record<number, Observation>;
  info: StepInfo;
  /** The seats that must act now. */
  actors: number[];
}

export interface MultiAgentStepResult {
  observations: Record<number, Observation>;
  rewards: Record<number, number>;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
  actors: number[];
}

export interface MultiAgentEnv {
  readonly id?: string;
  readonly seats: number;
  reset(options?: ResetOptions): Promise<MultiAgentResetResult>;
  /** The seats that must act now. */
  actors(): number[];
  step(actionsBySeat: Record<number, string>): Promise<MultiAgentStepResult>;
  snapshot(): Promise<EnvState>;
  restore(state: EnvState): Promise<void>;
  close(): Promise<void>;
}
