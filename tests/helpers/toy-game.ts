/**
 * A tiny deterministic multi-agent game for testing the core, the conformance kit, the server's
 * seats and the trainer without a real game. Seats take turns adding 1 or 2 to a counter; the seat
 * that reaches the target wins; then every seat votes yes/no at once (a simultaneous phase), and
 * the game ends. Each seat holds a private token (from the seed) that only it may see.
 *
 * `broken` makes it break one rule of the contract, to prove each conformance check can fail.
 */
import { z } from 'zod';
import { InvalidStateError } from '../../envs/core/errors.js';
import { isRegistered, register } from '../../envs/core/registry.js';
import { Rng } from '../../envs/core/rng.js';
import { stateHash } from '../../envs/core/state-hash.js';
import type { EnvState, GameInfo, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, Observation, ResetOptions, SeatInfo } from '../../envs/core/types.js';

export const TOY_GAME_ID = 'toy-count-v0';

export type ToyGameBreakage = 'leaks-secret' | 'nondeterministic' | 'rejects-listed' | 'ignores-turn' | 'no-actors' | 'bad-restore' | 'not-json';

interface ToyGameState {
  tokens: string[];
  counter: number;
  turn: number;
  phase: 'count' | 'vote' | 'over';
  votes: Record<string, string>;
  winner: number;
}

export class ToyCountGame implements MultiAgentEnv {
  private state: ToyGameState | null = null;

  constructor(
    readonly options: { seats: number; target: number },
    private readonly broken?: ToyGameBreakage,
  ) {}

  get seats(): number {
    return this.options.seats;
  }

  async reset(options: ResetOptions = {}): Promise<MultiAgentResetResult> {
    const rng = new Rng(`toy-count:${options.seed ?? 0}`);
    const tokens = Array.from({ length: this.seats }, (_, s) => `token-${s}-${rng.int(2 ** 30).toString(16)}`);
    this.state = { tokens, counter: 0, turn: rng.int(this.seats), phase: 'count', votes: {}, winner: -1 };
    return { observations: this.observations(), infos: this.infos(), info: this.info(), actors: this.actors() };
  }

  actors(): number[] {
    const s = this.state;
    if (s === null || s.phase === 'over') return [];
    if (this.broken === 'no-actors') return [];
    if (s.phase === 'count') return [s.turn];
    return Array.from({ length: this.seats }, (_, i) => i).filter((i) => s.votes[i] === undefined);
  }

  async step(actionsBySeat: Record<number, string>): Promise<MultiAgentStepResult> {
    const s = this.live();
    const infos = this.infos();
    const acting = this.broken === 'ignores-turn' ? Object.keys(actionsBySeat).map(Number) : this.actors();
    for (const seat of acting) {
      const action = actionsBySeat[seat];
      if (action === undefined) continue;
      const legal = this.legal(seat);
      if (this.broken === 'rejects-listed' && action === 'add 2') {
        (infos[seat] as SeatInfo).invalid = { code: 'NOT_ADMISSIBLE', message: 'no', suggestions: [] };
        continue;
      }
      if (!legal.includes(action) && !(this.broken === 'ignores-turn' && /^add [12]$/.test(action))) {
        (infos[seat] as SeatInfo).invalid = { code: 'UNKNOWN_VERB', message: `say one of: ${legal.join(', ')}`, suggestions: legal };
        continue;
      }
      if (s.phase === 'count') {
        s.counter += action === 'add 1' ? 1 : 2;
        if (s.counter >= this.options.target) {
          s.phase = 'vote';
          s.winner = seat;
        } else {
          s.turn = (seat + 1) % this.seats;
        }
      } else {
        s.votes[seat] = action;
      }
    }
    if (s.phase === 'vote' && Object.keys(s.votes).length === this.seats) s.phase = 'over';
    const over = s.phase === 'over';
    const rewards: Record<number, number> = {};
    for (let i = 0; i < this.seats; i++) rewards[i] = over && i === s.winner ? 1 : 0;
    const after = this.infos();
    for (const [seat, info] of Object.entries(infos)) if (info.invalid) (after[Number(seat)] as SeatInfo).invalid = info.invalid;
    const info = this.info();
    if (this.broken === 'not-json') (info as Record<string, unknown>).when = new Date(0);
    return { observations: this.observations(), rewards, infos: after, terminated: over, truncated: false, info, actors: this.actors() };
  }

  async snapshot(): Promise<EnvState> {
    return structuredClone(this.live()) as unknown as EnvState;
  }

  async restore(state: EnvState): Promise<void> {
    if (this.broken === 'bad-restore') return;
    const s = state as unknown as ToyGameState;
    if (!s || typeof s !== 'object' || !Array.isArray(s.tokens) || typeof s.counter !== 'number') throw new InvalidStateError('Not a toy-count snapshot.');
    this.state = structuredClone(s);
  }

  async close(): Promise<void> {
    this.state = null;
  }

  private live(): ToyGameState {
    if (this.state === null) throw new InvalidStateError('Call reset() first.');
    return this.state;
  }

  private legal(seat: number): string[] {
    const s = this.live();
    if (s.phase === 'count') return s.turn === seat ? ['add 1', 'add 2'] : [];
    if (s.phase === 'vote') return s.votes[seat] === undefined ? ['yes', 'no'] : [];
    return [];
  }

  private observations(): Record<number, Observation> {
    const s = this.live();
    const out: Record<number, Observation> = {};
    for (let seat = 0; seat < this.seats; seat++) {
      let text = `You are seat ${seat}. Your token: ${s.tokens[seat]}. Counter: ${s.counter}/${this.options.target}.`;
      if (s.phase === 'count') text += ` Seat ${s.turn} adds.`;
      if (s.phase === 'vote') text += ` Seat ${s.winner} reached the target; everyone votes.`;
      if (s.phase === 'over') text += ` Seat ${s.winner} won.`;
      if (this.broken === 'leaks-secret') text += ` (The next seat's token is ${s.tokens[(seat + 1) % this.seats]}.)`;
      if (this.broken === 'nondeterministic') text += ` (${Math.random()})`;
      out[seat] = { text, actions: this.legal(seat), anchor: text, seat };
    }
    return out;
  }

  private infos(): Record<number, SeatInfo> {
    const s = this.live();
    const out: Record<number, SeatInfo> = {};
    for (let seat = 0; seat < this.seats; seat++) {
      out[seat] = { rewardComponents: { counter: s.counter }, ...(s.phase === 'over' ? { success: seat === s.winner } : {}) };
    }
    return out;
  }

  private info(): GameInfo {
    const s = this.live();
    return {
      rewardComponents: {},
      stateKey: stateHash({ counter: s.counter, turn: s.turn, phase: s.phase, votes: s.votes, tokens: s.tokens }),
      secrets: Object.fromEntries(s.tokens.map((t, i) => [i, [t]])),
    };
  }
}

export function registerToyGame(): void {
  if (isRegistered(TOY_GAME_ID)) return;
  register({
    id: TOY_GAME_ID,
    kind: 'multi',
    description: 'Count to the target in turns, then vote (test game)',
    seats: { count: 3, agents: ['random'] },
    capabilities: { snapshot: 'native' },
    entryPoint: (o: { seats: number; target: number }) => new ToyCountGame(o),
    options: z.object({ seats: z.number().int().min(2).max(8).default(3), target: z.number().int().min(1).max(100).default(7) }).strict(),
    maxEpisodeSteps: 30,
    splits: { train: 10 },
  });
}
