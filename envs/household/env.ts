/**
 * HouseholdEnv: the household-v1 Env, a thin adapter over the pure game functions. It resolves
 * the task, builds the world, keeps the current state and its admissible list, and shapes
 * observations and infos. The time limit and the invalid-action policy are `make`'s wrappers.
 * @module
 */
import { EnvClosedError, EpisodeOverError, OptionsError, ResetNeededError } from '../core/errors.js';
import { formatIssues } from '../core/registry.js';
import { Rng } from '../core/rng.js';
import type { Env, EnvState, Observation, ResetOptions, ResetResult, StepInfo, StepResult, TaskInfo } from '../core/types.js';
import { admissibleCommands, type Admissible } from './admissible.js';
import { introText } from './feedback.js';
import { stepGame } from './game.js';
import { evaluateGoal, rewardComponents } from './goal-check.js';
import { householdOptionsSchema, type HouseholdOptions, type HouseholdOptionsInput } from './options.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, validateSnapshot, type HouseholdSnapshot } from './snapshot.js';
import { resolveTaskRef } from './splits.js';
import { stateKeyOf, type GameState } from './state.js';
import { drawTaskIndex, getTask } from './tasks.js';
import { buildInitialState } from './world-gen.js';
import { AlfworldGames } from './alfworld/games.js';

export const HOUSEHOLD_ENV_ID = 'household-v1';

interface Episode {
  task: TaskInfo & { type: string };
  seed: number;
  game: GameState;
  admissible: Admissible;
  stateKey: string;
  text: string;
}

export class HouseholdEnv implements Env {
  readonly options: HouseholdOptions;
  private episode: Episode | null = null;
  /** Seeds resets that come without a seed (deterministic per env instance). */
  private seeds = new Rng('household-v1/seeds');
  private closed = false;
  /** ALFWorld's games, when `games` is set (the directory is checked here, games read per split on first use). */
  readonly games: AlfworldGames | null;

  constructor(options: HouseholdOptionsInput = {}) {
    const parsed = householdOptionsSchema.safeParse(options);
    if (!parsed.success) throw new OptionsError(HOUSEHOLD_ENV_ID, formatIssues(parsed.error));
    this.options = parsed.data;
    this.games = parsed.data.games === undefined ? null : AlfworldGames.open(parsed.data.games.dir);
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (this.closed) throw new EnvClosedError();
    const { seed: given, task: ref } = options ?? {};
    if (given !== undefined && (typeof given !== 'number' || !Number.isFinite(given))) {
      throw new OptionsError(`${HOUSEHOLD_ENV_ID} reset`, [`seed must be a finite number, got ${JSON.stringify(given)}`]);
    }
    const seed = given ?? this.seeds.nextUint32();
    if (this.games !== null) {
      const g = this.games.resolve(ref ?? null, new Rng(`household-v1/draw/${seed}`));
      const game = JSON.parse(JSON.stringify(g.state)) as GameState;
      const text = introText(game);
      this.episode = { task: { id: g.id, split: g.split, index: g.index, type: g.type, game: g.path }, seed, game, admissible: admissibleCommands(game), stateKey: stateKeyOf(game), text };
      return { observation: this.observe(text), info: this.info(rewardComponents(game, evaluateGoal(game)), false) };
    }
    const { split, index } =
      ref !== undefined && ref !== null
        ? resolveTaskRef(ref)
        : { split: 'train' as const, index: drawTaskIndex(new Rng(`household-v1/draw/${seed}`), 'train', this.options.taskTypes) };
    const task = getTask(split, index);
    const game = buildInitialState(task, seed, this.options.difficulty);
    const text = introText(game);
    this.episode = {
      task: { id: task.id, split, index, type: task.type },
      seed,
      game,
      admissible: admissibleCommands(game),
      stateKey: stateKeyOf(game),
      text,
    };
    const status = evaluateGoal(game);
    return { observation: this.observe(text), info: this.info(rewardComponents(game, status), false) };
  }

  async step(action: string): Promise<StepResult> {
    if (this.closed) throw new EnvClosedError();
    const ep = this.episode;
    if (!ep) throw new ResetNeededError();
    if (ep.game.dyn.done) throw new EpisodeOverError();
    const result = stepGame(ep.game, action, ep.admissible);
    if (result.state !== ep.game) {
      ep.game = result.state;
      ep.admissible = admissibleCommands(result.state);
      ep.stateKey = stateKeyOf(result.state);
    }
    ep.text = result.text;
    const info = this.info(result.rewardComponents, result.success);
    if (result.invalid) info.invalid = result.invalid;
    if (result.canonical !== undefined && result.canonical !== action) info.canonicalAction = result.canonical;
    return { observation: this.observe(result.text), reward: result.reward, terminated: result.success, truncated: false, info };
  }

  async snapshot(): Promise<EnvState> {
    if (this.closed) throw new EnvClosedError();
    const ep = this.episode;
    if (!ep) throw new ResetNeededError();
    const snap: HouseholdSnapshot = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      task: ep.task,
      seed: ep.seed,
      text: ep.text,
      game: ep.game,
      seeds: this.seeds.getState(),
    };
    return JSON.parse(JSON.stringify(snap)) as EnvState;
  }

  async restore(state: EnvState): Promise<void> {
    if (this.closed) throw new EnvClosedError();
    const snap = validateSnapshot(JSON.parse(JSON.stringify(state ?? null)));
    this.seeds = Rng.fromState(snap.seeds);
    this.episode = {
      task: snap.task,
      seed: snap.seed,
      game: snap.game,
      admissible: admissibleCommands(snap.game),
      stateKey: stateKeyOf(snap.game),
      text: snap.text,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.episode = null;
  }

  /** The current game state (read-only; for tests and oracle tools). Null before reset. */
  get gameState(): Readonly<GameState> | null {
    return this.episode?.game ?? null;
  }

  private observe(text: string): Observation {
    const ep = this.episode as Episode;
    return { text, actions: ep.admissible.texts.slice(), anchor: text, goal: ep.game.goal.text };
  }

  private info(components: Record<string, number>, success: boolean): StepInfo {
    const ep = this.episode as Episode;
    return { success, rewardComponents: components, stateKey: ep.stateKey, task: { ...ep.task } };
  }
}
