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
  | 'NO_ACTION'
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
// Multi-agent (kuhn poker, werewolf): seats, private observations, simultaneous actions.
//
// The model is PettingZoo's parallel API with an explicit acting set ("parallel with actors"):
// every step returns an observation for every seat, and `actors` names the seats that must act
// now. A turn-based game has one actor at a time; a simultaneous vote has many. `step` takes the
// actions of any subset of the actors: a seat that acted validly leaves `actors`, a seat that has
// not acted yet (or acted invalidly) stays in it, and the env resolves the turn once every actor
// has acted. So simultaneous moves may arrive one by one or all at once, and a turn-based game is
// the special case of one actor. Acting for a seat that is not an actor is answered with
// `NOT_YOUR_TURN` in that seat's info, never with an exception.

/** Per-seat side information of a reset or step. Plain JSON. */
export interface SeatInfo {
  /** This seat's reward decomposition (team win, survived, ...). */
  rewardComponents: Record<string, number>;
  /** Present when this seat's action was not accepted (including `NOT_YOUR_TURN`, `NO_ACTION`). */
  invalid?: InvalidAction;
  /** The canonical form of this seat's accepted action. */
  canonicalAction?: string;
  /** Set at the end of the game: whether this seat's side won. */
  success?: boolean;
  [key: string]: unknown;
}

/**
 * Omniscient side information of a multi-agent step: the true state key, the task, the time
 * limit's count, and `secrets` (per seat, strings only that seat may ever see; the conformance
 * privacy check asserts none of them appears in another seat's observation). It goes to the
 * trainer, the store and the viewer — never to a seat holder over the wire.
 */
export interface GameInfo extends StepInfo {
  /** Private strings per seat (own card, own role, a seer's results). */
  secrets?: Record<number, string[]>;
  /** Why the game ended early, when it did ('aborted', 'invalid action', ...). */
  endReason?: string;
  /**
   * The team of each seat in this game, for games with sides dealt from the seed (werewolf:
   * 'wolves' / 'village'). A trainer can hold one side's seats whatever seats they are.
   */
  teams?: Record<number, string>;
}

export interface MultiAgentResetResult {
  /** Private observation per seat (every seat, acting or not). */
  observations: Record<number, Observation>;
  infos: Record<number, SeatInfo>;
  info: GameInfo;
  /** The seats that must act now. */
  actors: number[];
}

export interface MultiAgentStepResult {
  observations: Record<number, Observation>;
  /** Reward of every seat for this step (0 where nothing happened to it). */
  rewards: Record<number, number>;
  infos: Record<number, SeatInfo>;
  /** The game ended by its rules (or by an invalid action under `terminate`). */
  terminated: boolean;
  /** The time limit cut the game. */
  truncated: boolean;
  info: GameInfo;
  /** The seats that must act next (empty once the game is over). */
  actors: number[];
}

/**
 * Actions by seat. `null` marks an actor that missed its turn (a server's per-turn deadline); the
 * `TurnEnforcing` wrapper of `makeMulti` turns it into `NO_ACTION` in that seat's info, so a raw env
 * built by `makeMulti` only ever receives strings, for seats that are actors.
 */
export type SeatActions = Record<number, string | null>;

export interface MultiAgentEnv {
  readonly id?: string;
  /** How many seats the game has: seats are 0..seats-1. */
  readonly seats: number;
  reset(options?: ResetOptions): Promise<MultiAgentResetResult>;
  /** The seats that must act now (empty before reset and after the game ended). */
  actors(): number[];
  /** Actions by seat, for any subset of the actors (see {@link SeatActions}). */
  step(actionsBySeat: SeatActions): Promise<MultiAgentStepResult>;
  snapshot(): Promise<EnvState>;
  restore(state: EnvState): Promise<void>;
  close(): Promise<void>;
}

/** Either kind of env; `kind` on the spec says which. */
export type AnyEnv = Env | MultiAgentEnv;
