/**
 * The LSPO agent: its speech comes from the speaker policy (the tfjs ActionScorer scoring the
 * domain's utterance pool), its other decisions from the domain's action agent (a rule bot for
 * werewolf votes and night actions).
 *
 * Modes:
 * - `propose` (latent-space construction): the speaker proposes N distinct utterances drawn from
 *   its distribution, and one of them is said, uniformly; every turn is reported to `onSpeech`;
 * - `sample`: says one utterance drawn from the speaker's distribution (how the agent plays);
 * - `greedy`: says the speaker's most likely utterance.
 * Each decision stream (a seat of a game) has its own seeded RNG, so a game's choices do not depend
 * on which other games share the batch.
 * @module
 */
import type { Agent, AgentInput, Decision } from '../../agents/agent.js';
import type { PolicyInput } from '../../agents/policy/featurizer.js';
import type { ActionScorer } from '../../agents/policy/model.js';
import { Rng } from '../../envs/core/rng.js';
import type { LspoDomain, SpeechRecord, SpeechTurn } from './domain.js';
import { pickUniformly, proposeWithoutReplacement, sampleIndex } from './proposals.js';

export type SpeakerMode = 'propose' | 'sample' | 'greedy';

export interface SpeakerAgentOptions {
  name?: string;
  domain: LspoDomain;
  speaker: ActionScorer;
  mode: SpeakerMode;
  /** N, in `propose` mode. */
  proposals?: number;
  seed: number;
  /** Takes the non-speech decisions (default: the domain's action agent). */
  actions?: Agent | null;
  /** Called with every speech turn, in `propose` mode. */
  onSpeech?: (record: SpeechRecord) => void;
}

/** The speaker's input at a speech turn: the observation, the history, and the pool as candidates. */
export function speakerInput(input: AgentInput, turn: SpeechTurn): PolicyInput {
  return { text: input.observation.text, history: input.history, candidates: turn.pool, ...(input.observation.goal === undefined ? {} : { goal: input.observation.goal }) };
}

export class SpeakerAgent implements Agent {
  readonly name: string;
  private readonly actions: Agent | null;
  private readonly rngs = new Map<string, Rng>();

  constructor(private readonly options: SpeakerAgentOptions) {
    this.name = options.name ?? 'lspo';
    this.actions = options.actions === undefined ? options.domain.actionAgent(options.seed) : options.actions;
    if (options.mode === 'propose' && !(Number.isInteger(options.proposals) && (options.proposals as number) >= 1)) {
      throw new RangeError(`propose mode needs proposals >= 1, got ${options.proposals}`);
    }
  }

  async act(inputs: readonly AgentInput[]): Promise<Decision[]> {
    const out: Decision[] = new Array(inputs.length);
    const speech: { i: number; turn: SpeechTurn; input: PolicyInput }[] = [];
    const other: number[] = [];
    inputs.forEach((input, i) => {
      const turn = this.options.domain.speechTurn(input);
      if (turn === null || turn.pool.length === 0) other.push(i);
      else speech.push({ i, turn, input: speakerInput(input, turn) });
    });
    if (other.length > 0) {
      if (this.actions === null) throw new RangeError(`The ${this.options.domain.envId} LSPO domain has no action agent, but a non-speech decision came up.`);
      const decided = await this.actions.act(other.map((i) => inputs[i] as AgentInput));
      other.forEach((i, j) => (out[i] = decided[j] as Decision));
    }
    if (speech.length > 0) {
      const { probs } = this.options.speaker.scoreBatch(speech.map((s) => s.input));
      speech.forEach((s, j) => {
        const input = inputs[s.i] as AgentInput;
        const p = probs[j] as Float64Array;
        const rng = this.rngOf(input.key);
        let said: number;
        if (this.options.mode === 'propose') {
          const proposals = proposeWithoutReplacement(p, this.options.proposals as number, rng);
          said = pickUniformly(proposals, rng);
          this.options.onSpeech?.({ ...s.turn, game: gameKeyOf(input.key), seat: input.seat ?? 0, input: s.input, proposals, said });
        } else if (this.options.mode === 'sample') {
          said = sampleIndex(p, rng);
        } else {
          said = argmax(p);
        }
        const action = s.turn.pool[said] as string;
        out[s.i] = { action, logp: Math.log(p[said] as number), probs: input.candidates.map((c) => { const k = s.turn.pool.indexOf(c); return k < 0 ? 0 : (p[k] as number); }) };
      });
    }
    return out;
  }

  end(keys: readonly string[]): void {
    for (const k of keys) this.rngs.delete(k);
    this.actions?.end?.(keys);
  }

  private rngOf(key: string): Rng {
    let rng = this.rngs.get(key);
    if (rng === undefined) {
      rng = new Rng(`${this.name}/${this.options.seed}/${key}`);
      this.rngs.set(key, rng);
    }
    return rng;
  }
}

/** The game part of a stream key (`<game>/seat<s>`). */
function gameKeyOf(key: string): string {
  const at = key.lastIndexOf('/seat');
  return at < 0 ? key : key.slice(0, at);
}

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}
