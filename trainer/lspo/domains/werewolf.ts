/**
 * The LSPO domain of werewolf-v1. Speech turns are the discussion turns (the observation lists
 * `say[<speech>]`); the speaker's pool is werewolf's speech proposer (agents/werewolf/
 * speech-candidates.ts): claims written in the grammar the bots read — neutral lines, role claims,
 * accusations with vote intentions, defences, support for a claimed seer, true and false seer
 * reveals. Roles are the four werewolf roles; information sets and embedding texts come from
 * werewolf-speech.ts; night actions and votes are `bot:basic`'s; the abstracted game is
 * werewolf-game.ts.
 * @module
 */
import type { AgentInput } from '../../../agents/agent.js';
import { makeWerewolfBot } from '../../../agents/werewolf/bots.js';
import { viewOf } from '../../../agents/werewolf/seat-view.js';
import { werewolfSpeechProposer } from '../../../agents/werewolf/speech-candidates.js';
import { Rng } from '../../../envs/core/rng.js';
import { SPEECH_PLACEHOLDER, WEREWOLF_SPLITS } from '../../../envs/werewolf/index.js';
import type { LspoDomain, SpeechTurn } from '../domain.js';
import { werewolfLatentGame } from './werewolf-game.js';
import { speechEmbedTexts, speechOfAction, werewolfInfoSet } from './werewolf-speech.js';

/** The rule bot that takes the LSPO agent's night actions and votes (and the abstracted game's). */
export const WEREWOLF_ACTION_BOT = 'basic' as const;

export const werewolfDomain: LspoDomain = {
  envId: 'werewolf-v1',
  description: '7-seat werewolf: four roles, discussion turns as speech, night actions and votes by bot:basic',
  propose: werewolfSpeechProposer,
  speechTurn(input: AgentInput): SpeechTurn | null {
    if (!input.observation.actions.includes(SPEECH_PLACEHOLDER)) return null;
    const pool = input.candidates.filter((c) => c.startsWith('say['));
    if (pool.length === 0) return null;
    const view = viewOf(input.observation.text);
    return { role: view.role ?? 'unknown', infoSet: werewolfInfoSet(view), pool, embedTexts: speechEmbedTexts(view, pool.map(speechOfAction)) };
  },
  actionAgent: (seed) => makeWerewolfBot(WEREWOLF_ACTION_BOT, seed),
  resetOptions: (index, seed) => {
    const s = seed * 1_000_003 + index;
    return { task: { split: 'train', index: new Rng(`lspo/werewolf/selfplay/${s}`).int(WEREWOLF_SPLITS.train) }, seed: s };
  },
  abstractGame: (space, embedder, config) => werewolfLatentGame(space, embedder, { deals: 1024, seed: config.seed, brain: WEREWOLF_ACTION_BOT }),
  defaults: { games: 300, clusters: 6, solverIterations: 150, concurrency: 100, scorer: { entityContext: true } },
};
