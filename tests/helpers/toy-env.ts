/**
 * A tiny deterministic env for testing the core, the server and the client without household-v1.
 * The agent must say the secret number (0..9) drawn from the seed; `hint` says higher/lower.
 */
import { z } from 'zod';
import { Rng, type RngState } from '../../envs/core/rng.js';
import { stateHash } from '../../envs/core/state-hash.js';
import { isRegistered, register } from '../../envs/core/registry.js';
import { InvalidStateError } from '../../envs/core/errors.js';
import type { Env, EnvState, Observation, ResetOptions, ResetResult, StepResult } from '../../envs/core/types.js';

export const TOY_ENV_ID = 'toy-guess-v0';

interface ToyState {
  secret: number;
  guesses: number[];
  rng: RngState;
  done: boolean;
}

export class ToyGuessEnv implements Env {
  private state: ToyState = { secret: 0, guesses: [], rng: [1, 2, 3, 4], done: false };
  closed = false;

  constructor(readonly options: { maxNumber: number }) {}

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    const rng = new Rng(options.seed ?? 0);
    const secret = rng.int(this.options.maxNumber + 1);
    this.state = { secret, guesses: [], rng: rng.getState(), done: false };
    return { observation: this.observe(`Guess a number from 0 to ${this.options.maxNumber}.`), info: this.info() };
  }

  async step(action: string): Promise<StepResult> {
    const m = /^guess (\d+)$/.exec(action.trim().toLowerCase());
    if (!m || Number(m[1]) > this.options.maxNumber) {
      return {
        observation: this.observe('Nothing happens.'),
        reward: 0,
        terminated: false,
        truncated: false,
        info: { ...this.info(), invalid: { code: 'NOT_ADMISSIBLE', message: `'${action}' is not a guess`, suggestions: ['guess 0'] } },
      };
    }
    const n = Number(m[1]);
    this.state.guesses.push(n);
    const win = n === this.state.secret;
    const text = win ? 'Correct!' : n < this.state.secret ? 'Higher.' : 'Lower.';
    return { observation: this.observe(text), reward: win ? 1 : 0, terminated: win, truncated: false, info: { ...this.info(), success: win } };
  }

  async snapshot(): Promise<EnvState> {
    return structuredClone(this.state) as unknown as EnvState;
  }

  async restore(state: EnvState): Promise<void> {
    const s = state as unknown as ToyState;
    if (!s || typeof s !== 'object' || typeof s.secret !== 'number') throw new InvalidStateError('Not a toy-guess snapshot.');
    this.state = structuredClone(s);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private observe(text: string): Observation {
    const actions = Array.from({ length: this.options.maxNumber + 1 }, (_, i) => `guess ${i}`);
    return { text, actions, anchor: text, goal: 'Guess the secret number.' };
  }

  private info() {
    return { rewardComponents: { correct: this.state.guesses.includes(this.state.secret) ? 1 : 0 }, stateKey: stateHash(this.state) };
  }
}

/** Registers `toy-guess-v0` once (safe to call from many test files). */
export function registerToyEnv(): string {
  if (!isRegistered(TOY_ENV_ID)) {
    register({
      id: TOY_ENV_ID,
      description: 'Guess the secret number (test env)',
      kind: 'single',
      capabilities: { snapshot: 'native' },
      entryPoint: (o: { maxNumber: number }) => new ToyGuessEnv(o),
      options: z.object({ maxNumber: z.number().int().min(1).max(1000).default(9) }).strict(),
      maxEpisodeSteps: 20,
      splits: { train: 10 },
    });
  }
  return TOY_ENV_ID;
}
