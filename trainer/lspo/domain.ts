/**
 * What LSPO needs to know about a game beyond the Env contract: which decisions are speech turns,
 * the speaker's role and information set there, how utterances are normalised before they are
 * embedded, who takes the non-speech actions, and the abstracted game over a latent space.
 * `LSPO_DOMAINS` (domains.ts) lists one per supported env.
 * @module
 */
import type { Agent, AgentInput } from '../../agents/agent.js';
import type { CandidateProposer } from '../../agents/candidates.js';
import type { ActionScorer } from '../../agents/policy/model.js';
import type { PolicyInput } from '../../agents/policy/featurizer.js';
import type { ResetOptions } from '../../envs/core/types.js';
import type { ExtensiveGame } from '../cfr/game.js';
import type { LatentSpace } from './latent-space.js';
import type { TextEmbedder } from './text-embedding.js';
import type { LspoConfig, LspoDefaults } from './config.js';

/** One speech turn as LSPO reads it. */
export interface SpeechTurn {
  /** The speaker's role: latent spaces and latent policies are per role. */
  role: string;
  /** The speaker's information set in the abstracted game (where its latent policy is read). */
  infoSet: string;
  /** The utterances the speaker may say now (actions, e.g. `say[...]`), a subset of the candidates. */
  pool: string[];
  /** The text each pool utterance is embedded by (the domain's normalised form). */
  embedTexts: string[];
}

/** A speech turn of a self-play game, with what the speaker proposed and said. */
export interface SpeechRecord extends SpeechTurn {
  /** The game's key and the seat. */
  game: string;
  seat: number;
  /** What the speaker's policy scores: the observation, the history, and `candidates` = the pool. */
  input: PolicyInput;
  /** Indices into the pool: the N proposals, and the one said. */
  proposals: number[];
  said: number;
}

export interface LspoDomain {
  readonly envId: string;
  /** One line for docs and `ludus lspo --help`. */
  readonly description: string;
  /** Proposes the candidates of every decision (speech pools included). */
  readonly propose: CandidateProposer;
  /** The speech turn of an input, or null when the input is another kind of decision. */
  speechTurn(input: AgentInput): SpeechTurn | null;
  /** Who takes the seat's non-speech actions (votes, night actions); null when every decision is speech. */
  actionAgent(seed: number): Agent | null;
  /** Reset options of self-play game `index` of a collection seeded `seed`. */
  resetOptions(index: number, seed: number): ResetOptions;
  /** The abstracted game: speech replaced by the latent strategies of `space`. */
  abstractGame(space: LatentSpace, embedder: TextEmbedder, config: LspoConfig): ExtensiveGame<unknown>;
  /** Defaults this domain prefers over the general ones (games, clusters, solver iterations, ...). */
  readonly defaults?: LspoDefaults;
  /** Extra measurements of a speaker, by name (the toy: its exact exploitability). */
  measure?(speaker: ActionScorer): Promise<Record<string, number>>;
}
