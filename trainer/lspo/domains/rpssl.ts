/**
 * The LSPO domain of rpssl-v1, the toy with a known answer. One role ('player'), one information
 * set (the game is a single simultaneous move), utterances embedded as they are. The abstracted
 * game is the matrix game between the latent strategies: the payoff of cluster i against cluster j
 * is the mean payoff of their utterances' moves, each utterance weighted by how often it was
 * proposed. `measure` reads the speaker's exact distribution over moves at both seats and its
 * exploitability in the real game (0 exactly at the uniform equilibrium).
 * @module
 */
import { rpsslSpeechProposer, RPSSL_UTTERANCES } from '../../../agents/rpssl/utterances.js';
import type { ActionScorer } from '../../../agents/policy/model.js';
import { RpsslEnv, RPSSL_SPEECH_PLACEHOLDER } from '../../../envs/rpssl/env.js';
import { MOVES, moveOfSpeech, payoff, payoffMatrix, SPOKEN_MOVES, type SpokenMove } from '../../../envs/rpssl/rules.js';
import { exploitability } from '../../cfr/evaluation.js';
import { matrixGame } from '../../cfr/matrix-game.js';
import type { LspoDomain, SpeechTurn } from '../domain.js';
import { roleSpace } from '../latent-space.js';

export const RPSSL_ROLE = 'player';

/** The text inside `say[...]`. */
export function speechText(action: string): string {
  const m = /^say\[([\s\S]*)\]$/.exec(action.trim());
  return m === null ? action : (m[1] as string);
}

/** The speaker's distribution over the six spoken moves (five moves and 'none') for one seat's view. */
export function moveDistribution(probs: ArrayLike<number>, pool: readonly string[]): number[] {
  const out = new Array<number>(SPOKEN_MOVES.length).fill(0);
  pool.forEach((a, i) => {
    const k = SPOKEN_MOVES.indexOf(moveOfSpeech(speechText(a)));
    out[k] = (out[k] as number) + (probs[i] as number);
  });
  return out;
}

const POOL = RPSSL_UTTERANCES.map((u) => `say[${u}]`);

export const rpsslDomain: LspoDomain = {
  envId: 'rpssl-v1',
  description: 'rock-paper-scissors-Spock-lizard with words: one role, one information set; exploitability measured exactly',
  propose: rpsslSpeechProposer,
  speechTurn(input): SpeechTurn | null {
    const pool = input.candidates.filter((c) => c.startsWith('say[') && c !== RPSSL_SPEECH_PLACEHOLDER);
    if (pool.length === 0) return null;
    return { role: RPSSL_ROLE, infoSet: RPSSL_ROLE, pool, embedTexts: pool.map(speechText) };
  },
  actionAgent: () => null,
  resetOptions: (index) => ({ seed: index }),
  abstractGame(space) {
    const clusters = roleSpace(space, RPSSL_ROLE).clusters;
    const moveCounts = clusters.map((c) => {
      const counts = new Map<SpokenMove, number>();
      for (const m of c.members) {
        const move = moveOfSpeech(speechText(m.utterance));
        counts.set(move, (counts.get(move) ?? 0) + m.count);
      }
      return counts;
    });
    const payoffs = moveCounts.map((a) =>
      moveCounts.map((b) => {
        let total = 0;
        let weight = 0;
        for (const [ma, ca] of a) for (const [mb, cb] of b) {
          total += ca * cb * payoff(ma, mb);
          weight += ca * cb;
        }
        return weight === 0 ? 0 : total / weight;
      }),
    );
    const ids = clusters.map((c) => String(c.id));
    return matrixGame(payoffs, { rowActions: ids, columnActions: ids, keys: [RPSSL_ROLE, RPSSL_ROLE] });
  },
  defaults: { games: 200, clusters: 5, solverIterations: 20000, concurrency: 100, scorer: { dim: 1024, hidden: 16, mlpHidden: 16, historyLength: 0 } },
  async measure(speaker: ActionScorer) {
    const env = new RpsslEnv();
    const reset = await env.reset();
    const dists = [0, 1].map((seat) => {
      const { probs } = speaker.scoreBatch([{ text: reset.observations[seat]!.text, history: [], candidates: POOL }]);
      return moveDistribution(probs[0] as Float64Array, POOL);
    });
    const game = matrixGame(payoffMatrix(), { rowActions: SPOKEN_MOVES, columnActions: SPOKEN_MOVES, keys: ['first', 'second'] });
    const out: Record<string, number> = {
      exploitability: exploitability(game, new Map([['first', dists[0] as number[]], ['second', dists[1] as number[]]])),
    };
    MOVES.forEach((m, k) => (out[`p_${m}`] = ((dists[0]![k] as number) + (dists[1]![k] as number)) / 2));
    return out;
  },
};
