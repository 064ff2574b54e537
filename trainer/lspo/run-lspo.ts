/**
 * The LSPO loop (latent space policy optimisation; reference in docs/lspo.md). Each iteration:
 *
 *   1. latent space   self-play with N proposals per speech turn, one said uniformly;
 *                     embed every proposal (fixed featurizer) and k-means them per role
 *   2. solve          external-sampling MCCFR in the abstracted game → latent policy σ per role
 *   3. expand/align   the speaker proposes again at every speech turn; proposals map to their
 *                     nearest cluster; pairs labelled by σ; DPO against the frozen pre-update speaker
 *
 * then measures the speaker and records the iteration (metrics, clusters, latent policy, a few
 * games) in the store. The next iteration's self-play uses the aligned speaker, so its proposals —
 * and the clusters built from them — change.
 * @module
 */
import { currentBackend, selectBackend } from '../../agents/policy/backend.js';
import { saveScorer } from '../../agents/policy/checkpoint.js';
import { ActionScorer } from '../../agents/policy/model.js';
import { gameToRecords } from '../../replay/episode-records.js';
import type { RunStore } from '../../replay/store.js';
import type { JsonObject } from '../../envs/core/types.js';
import { exploitability } from '../cfr/evaluation.js';
import { alignmentGap, alignmentPairs } from './alignment-pairs.js';
import { resolveLspoConfig, type LspoConfig, type LspoConfigInput } from './config.js';
import { lspoDomainFor } from './domains/index.js';
import type { LspoDomain } from './domain.js';
import { trainDpo } from './dpo-update.js';
import { buildLatentSpace, type LatentSpace } from './latent-space.js';
import { solveLatentPolicy, type LatentPolicy } from './latent-policy.js';
import { recordLatentIteration } from './latent-records.js';
import { selfPlay } from './self-play.js';
import { TextEmbedder } from './text-embedding.js';

export interface StageTimes {
  selfPlayMs: number;
  clusterMs: number;
  solveMs: number;
  pairsMs: number;
  dpoMs: number;
  measureMs: number;
  totalMs: number;
}

export interface LspoIteration {
  iteration: number;
  space: LatentSpace;
  latent: LatentPolicy;
  /** Flat numbers: speech turns, clusters per role, latent exploitability (two-player games), DPO stats, the domain's measures. */
  metrics: Record<string, number>;
  times: StageTimes;
}

export interface LspoHooks {
  /** Record the run here (kind 'train', algo 'lspo'). */
  store?: RunStore;
  runName?: string;
  /** Save the speaker after each iteration to `<dir>/iteration-<i>`. */
  checkpointDir?: string;
  /** Before the first iteration, with the initial speaker (clone it to keep it). */
  onStart?: (speaker: ActionScorer, config: LspoConfig) => void | Promise<void>;
  /** After each iteration, with the speaker as it is now (clone it to keep it). */
  onIteration?: (iteration: LspoIteration, speaker: ActionScorer) => void | Promise<void>;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Use this domain instead of the registered one (tests). */
  domain?: LspoDomain;
}

export interface LspoResult {
  config: LspoConfig;
  runId: number | null;
  backend: string;
  speaker: ActionScorer;
  /** The domain's measures of the initial speaker (iteration 0). */
  initial: Record<string, number>;
  iterations: LspoIteration[];
}

export async function runLspo(input: LspoConfigInput, hooks: LspoHooks = {}): Promise<LspoResult> {
  const domain = hooks.domain ?? lspoDomainFor(input.envId);
  const config = resolveLspoConfig(input, domain.defaults);
  const log = hooks.log ?? (() => {});
  const backend = currentBackend() ?? (await selectBackend({ warn: log }));
  const speaker = ActionScorer.create({
    seed: config.seed,
    hidden: config.scorer.hidden,
    mlpHidden: config.scorer.mlpHidden,
    featurizer: { dim: config.scorer.dim, historyLength: config.scorer.historyLength, entityContext: config.scorer.entityContext },
  });
  const embedder = new TextEmbedder({ dim: config.embeddingDim });
  const store = hooks.store;
  const runId = store?.createRun({ kind: 'train', envId: config.envId, algo: 'lspo', config: config as unknown as JsonObject, backend: backend.name, ...(hooks.runName === undefined ? {} : { name: hooks.runName }) }) ?? null;
  const iterations: LspoIteration[] = [];
  try {
    await hooks.onStart?.(speaker, config);
    const initial = (await domain.measure?.(speaker)) ?? {};
    if (store !== undefined && runId !== null) store.recordIteration(runId, 0, prefixed('speaker', initial), []);
    for (let it = 1; it <= config.iterations && hooks.signal?.aborted !== true; it++) {
      const t0 = performance.now();
      const seed = config.seed * 1000 + it;

      // 1. Latent space: self-play with N proposals per speech turn, then per-role k-means.
      const play = await selfPlay(domain, speaker, { games: config.games, concurrency: config.concurrency, proposals: config.proposals, seed, keepGames: config.recordGames, keyPrefix: `lspo/it${it}`, ...(hooks.signal === undefined ? {} : { signal: hooks.signal }) });
      const t1 = performance.now();
      const samples = play.speech.flatMap((r) => r.proposals.map((i) => ({ role: r.role, utterance: r.pool[i] as string, embedText: r.embedTexts[i] as string })));
      const space = buildLatentSpace(samples, embedder, { k: config.clusters, seed, restarts: config.kmeansRestarts, maxPoints: config.maxClusterPoints });
      const t2 = performance.now();

      // 2. The latent policy: MCCFR in the abstracted game.
      const game = domain.abstractGame(space, embedder, config);
      const latent = solveLatentPolicy(game, { iterations: config.solverIterations, seed });
      const t3 = performance.now();

      // 3. Expansion and alignment: new proposals → clusters → pairs → DPO against the pre-update speaker.
      const gapBefore = alignmentGap(play.speech, speaker, space, latent, embedder, config.explore);
      const pairs = alignmentPairs(play.speech, speaker, space, latent, embedder, { proposals: config.alignProposals, maxPairsPerTurn: config.maxPairsPerTurn, reward: config.reward, labels: config.labels, explore: config.explore, seed });
      const t4 = performance.now();
      const dpo = trainDpo(speaker, pairs.pairs, { beta: config.beta, epochs: config.dpoEpochs, batchSize: config.dpoBatchSize, learningRate: config.learningRate, maxGradNorm: config.maxGradNorm, seed });
      const gapAfter = alignmentGap(play.speech, speaker, space, latent, embedder, config.explore);
      const t5 = performance.now();

      const measured = (await domain.measure?.(speaker)) ?? {};
      const t6 = performance.now();
      const times: StageTimes = { selfPlayMs: t1 - t0, clusterMs: t2 - t1, solveMs: t3 - t2, pairsMs: t4 - t3, dpoMs: t5 - t4, measureMs: t6 - t5, totalMs: t6 - t0 };
      const metrics: Record<string, number> = {
        'selfplay/games': play.played,
        'selfplay/failed': play.failed,
        'selfplay/speech_turns': play.speech.length,
        'latent/proposals': samples.length,
        ...Object.fromEntries(Object.entries(space.roles).map(([role, rs]) => [`latent/clusters/${role}`, rs.clusters.length])),
        'latent/info_sets': latent.infoSets,
        ...(game.players === 2 ? { 'latent/exploitability': exploitability(game, latent.policy) } : {}),
        'align/pairs': pairs.pairs.length,
        'align/turns_with_pairs': pairs.turnsWithPairs,
        'align/mean_gap': pairs.meanGap,
        'align/mean_distance': pairs.meanDistance,
        'align/gap_before': gapBefore,
        'align/gap_after': gapAfter,
        'dpo/steps': dpo.steps,
        'dpo/first_loss': dpo.firstLoss,
        'dpo/last_loss': dpo.lastLoss,
        'dpo/accuracy': dpo.accuracy,
        'dpo/margin': dpo.margin,
        ...prefixed('speaker', measured),
        ...prefixed('time', { ...times }),
      };
      const iteration: LspoIteration = { iteration: it, space, latent, metrics, times };
      iterations.push(iteration);
      if (store !== undefined && runId !== null) {
        const episodes = play.games.flatMap((g) => gameToRecords(g, { info: { agent: 'lspo:propose' } }));
        store.recordIteration(runId, it, { loss: dpo.lastLoss, wallTimeMs: times.totalMs, ...metrics }, episodes);
        recordLatentIteration(store, runId, it, space, latent);
      }
      if (hooks.checkpointDir !== undefined) await saveScorer(speaker, `${hooks.checkpointDir}/iteration-${it}`);
      await hooks.onIteration?.(iteration, speaker);
    }
    if (store !== undefined && runId !== null) store.updateRunStatus(runId, hooks.signal?.aborted === true ? 'killed' : 'finished');
    return { config, runId, backend: backend.name, speaker, initial, iterations };
  } catch (err) {
    if (store !== undefined && runId !== null) store.updateRunStatus(runId, 'failed', err instanceof Error ? err.message : String(err));
    speaker.dispose();
    throw err;
  }
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}/${k}`, v]));
}
