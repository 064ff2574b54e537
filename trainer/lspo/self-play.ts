/**
 * Stage 1a: self-play games in which every seat is the LSPO agent in `propose` mode — at each
 * speech turn the speaker proposes N utterances and one is said uniformly — collecting every
 * speech turn with its proposals. Games run `concurrency` at a time, batched.
 * @module
 */
import type { ActionScorer } from '../../agents/policy/model.js';
import { runGames, type GameRecord } from '../../agents/run-game.js';
import { makeMulti } from '../../envs/core/registry.js';
import type { LspoDomain, SpeechRecord } from './domain.js';
import { SpeakerAgent } from './speaker-agent.js';

export interface SelfPlayOptions {
  games: number;
  concurrency: number;
  proposals: number;
  seed: number;
  /** Keep the records of the first this many games (for the store). */
  keepGames?: number;
  /** Prefix of the game keys. */
  keyPrefix?: string;
  signal?: AbortSignal;
}

export interface SelfPlayResult {
  speech: SpeechRecord[];
  /** The first `keepGames` games. */
  games: GameRecord[];
  played: number;
  /** Games that failed (an env or agent error); they are left out. */
  failed: number;
  /** Env steps over all games. */
  steps: number;
}

export async function selfPlay(domain: LspoDomain, speaker: ActionScorer, options: SelfPlayOptions): Promise<SelfPlayResult> {
  const speech: SpeechRecord[] = [];
  const agent = new SpeakerAgent({ name: 'lspo:propose', domain, speaker, mode: 'propose', proposals: options.proposals, seed: options.seed, onSpeech: (r) => speech.push(r) });
  const kept: GameRecord[] = [];
  let played = 0;
  let failed = 0;
  let steps = 0;
  const prefix = options.keyPrefix ?? `lspo/${options.seed}`;
  const failedKeys = new Set<string>();
  for (let start = 0; start < options.games && options.signal?.aborted !== true; start += options.concurrency) {
    const n = Math.min(options.concurrency, options.games - start);
    const envs = Array.from({ length: n }, () => makeMulti(domain.envId));
    try {
      const outcomes = await runGames(envs, () => agent, {
        propose: domain.propose,
        reset: envs.map((_, i) => domain.resetOptions(start + i, options.seed)),
        keys: envs.map((_, i) => `${prefix}/g${start + i}`),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      outcomes.forEach((o, i) => {
        if (!o.ok) {
          failed++;
          failedKeys.add(`${prefix}/g${start + i}`);
          return;
        }
        played++;
        steps += o.game.log.length;
        if (kept.length < (options.keepGames ?? 0)) kept.push(o.game);
      });
    } finally {
      await Promise.all(envs.map((e) => e.close()));
    }
  }
  // A failed game's speech turns are dropped with it.
  return { speech: failedKeys.size === 0 ? speech : speech.filter((r) => !failedKeys.has(r.game)), games: kept, played, failed, steps };
}
