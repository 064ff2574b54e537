/**
 * The werewolf rule bots as one Agent class over a per-level `BotBrain`. The agent is batched (one
 * `act` call decides for every seat it holds, in every game), keeps one memory per decision stream
 * (`AgentInput.key`: a seat of a game) — the seat's view, read incrementally from its own
 * observations, a seeded RNG, and the brain's notes — and drops it in `end(keys)`.
 *
 * Bots read only their own observation (never the omniscient info), so a bot holding a seat over
 * the wire plays exactly as it does in process. Each stream's RNG is seeded from the agent's seed
 * and the stream key, so a game's decisions do not depend on which other games share the batch.
 * @module
 */
import { Rng } from '../../envs/core/rng.js';
import { SPEECH_PLACEHOLDER } from '../../envs/werewolf/index.js';
import type { Agent, AgentInput, Decision } from '../agent.js';
import { newSeatView, readObservation, type SeatView } from './seat-view.js';

export type BotLevel = 'random' | 'naive' | 'basic' | 'strong';
export const BOT_LEVELS: readonly BotLevel[] = ['random', 'naive', 'basic', 'strong'];

/** What a brain decides from: the seat's view, what it may do, its RNG and its own notes. */
export interface Turn {
  view: SeatView;
  /** The admissible actions (for speech, the placeholder only). */
  actions: readonly string[];
  rng: Rng;
  /** The brain's memory for this stream (plain values). */
  notes: Record<string, unknown>;
  /** The observation as the seat got it (the proposer reads it). */
  input: AgentInput;
}

export type NightVerb = 'kill' | 'check' | 'protect';

export interface BotBrain {
  readonly level: BotLevel;
  /** The target of a night action, one of `targets`. */
  night(turn: Turn, verb: NightVerb, targets: readonly number[]): number;
  /** A speech (free text; the claim grammar is what other bots understand). */
  speak(turn: Turn): string;
  /** 0 (observe) … 4 (urgent). */
  bid(turn: Turn): number;
  /** A living player to exile (one of `targets`), or null to abstain. */
  vote(turn: Turn, targets: readonly number[]): number | null;
}

interface Stream {
  view: SeatView;
  rng: Rng;
  notes: Record<string, unknown>;
}

const TARGETED = /^(kill|check|protect|vote)\[(\d+|none)\]$/;

export class WerewolfBot implements Agent {
  readonly name: string;
  private readonly streams = new Map<string, Stream>();

  constructor(
    readonly brain: BotBrain,
    readonly seed: number = 0,
  ) {
    this.name = `bot:${brain.level}`;
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    return inputs.map((input) => ({ action: this.decide(input), logp: null, probs: null }));
  }

  end(keys: readonly string[]): void {
    for (const key of keys) this.streams.delete(key);
  }

  /** Streams held now (for tests and memory accounting). */
  get liveStreams(): number {
    return this.streams.size;
  }

  private stream(input: AgentInput): Stream {
    let s = this.streams.get(input.key);
    if (s === undefined) {
      s = { view: newSeatView(), rng: new Rng(`${this.name}/${this.seed}/${input.key}`), notes: {} };
      this.streams.set(input.key, s);
    }
    return s;
  }

  private decide(input: AgentInput): string {
    const s = this.stream(input);
    readObservation(s.view, input.observation.text, input.observation.anchor);
    const actions = input.observation.actions;
    const turn: Turn = { view: s.view, actions, rng: s.rng, notes: s.notes, input };
    if (actions.length === 0) return '';
    if (actions.includes(SPEECH_PLACEHOLDER)) return `say[${this.brain.speak(turn)}]`;
    const first = actions[0]!;
    if (first.startsWith('bid[')) {
      const bid = this.brain.bid(turn);
      const action = `bid[${bid}]`;
      return actions.includes(action) ? action : first;
    }
    const verb = first.slice(0, first.indexOf('['));
    const targets: number[] = [];
    for (const a of actions) {
      const m = TARGETED.exec(a);
      if (m && m[2] !== 'none') targets.push(Number(m[2]));
    }
    let action: string;
    if (verb === 'vote') {
      const t = this.brain.vote(turn, targets);
      action = `vote[${t === null ? 'none' : t}]`;
    } else {
      action = `${verb}[${this.brain.night(turn, verb as NightVerb, targets)}]`;
    }
    // A brain's slip must not become a refused action: fall back to the first admissible one.
    return actions.includes(action) ? action : first;
  }
}
