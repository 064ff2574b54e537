/**
 * LSPO options: defaults, validation (zod, once), and the domain's preferred defaults in between:
 * `resolveLspoConfig(input, domain)` = general defaults ← domain defaults ← what the user gave.
 * @module
 */
import { z } from 'zod';
import { formatIssues } from '../../envs/core/registry.js';
import { LspoError } from './errors.js';

export const lspoConfigSchema = z
  .object({
    /** The env to play (an LSPO domain must exist for it). */
    envId: z.string().min(1),
    /** Outer iterations: latent space → solve → align. */
    iterations: z.number().int().min(1).max(100),
    /** Seeds games, proposals, k-means, the solver, pairs and the initial weights. */
    seed: z.number().int().min(0),
    /** Self-play games per iteration (stage 1). */
    games: z.number().int().min(1),
    /** Games played at once (batched policy forward passes). */
    concurrency: z.number().int().min(1).max(4096),
    /** N: candidates the speaker proposes per speech turn; one is said, uniformly. */
    proposals: z.number().int().min(1).max(64),
    /** k: clusters (latent strategies) per role. */
    clusters: z.number().int().min(1).max(256),
    /** k-means runs from different seeds; the lowest inertia is kept. */
    kmeansRestarts: z.number().int().min(1).max(100),
    /** At most this many distinct utterances per role are clustered (a seeded sample); all are then assigned. */
    maxClusterPoints: z.number().int().min(10),
    /** Dimensions of the fixed text featurizer. */
    embeddingDim: z.number().int().min(8).max(65536),
    /** External-sampling MCCFR iterations in the abstracted game (each traverses every player once). */
    solverIterations: z.number().int().min(1),
    /** Stage 3: candidates drawn again from the speaker at each recorded speech turn, mapped to clusters. */
    alignProposals: z.number().int().min(2).max(64),
    /** Preference pairs kept per speech turn (a seeded sample of the pairs in different clusters). */
    maxPairsPerTurn: z.number().int().min(1),
    /**
     * The reward behind a preference: 'ratio' = log σ(z) − log π_ref(z) (moves the speaker's mass on
     * each latent strategy to the latent policy's), 'probability' = log σ(z) (prefers the favoured
     * strategies outright).
     */
    reward: z.enum(['ratio', 'probability']),
    /** 'soft': each pair carries the Bradley–Terry probability of its reward gap; 'hard': the label is 1. */
    labels: z.enum(['soft', 'hard']),
    /** ε: the latent policy is mixed with the uniform one before it labels pairs, so no latent strategy dies out. */
    explore: z.number().min(0).max(1),
    /** DPO β: the optimum is π ∝ π_ref · exp(reward / β). */
    beta: z.number().positive().finite(),
    dpoEpochs: z.number().int().min(1),
    dpoBatchSize: z.number().int().min(1),
    learningRate: z.number().positive().finite(),
    maxGradNorm: z.number().min(0),
    /** The speaker's policy network. */
    scorer: z
      .object({
        dim: z.number().int().min(16),
        hidden: z.number().int().min(1),
        mlpHidden: z.number().int().min(1),
        historyLength: z.number().int().min(0),
        /** What the observation says about the numbers a candidate names (the featurizer's `entityContext`; werewolf: the seats) — the features `ludus train` gives the self-play baseline. */
        entityContext: z.boolean(),
      })
      .strict(),
    /** Self-play games recorded in the store per iteration (0: none). */
    recordGames: z.number().int().min(0),
  })
  .strict();

export type LspoConfig = z.infer<typeof lspoConfigSchema>;
/** What a domain may preset (every field optional, the scorer field by field). */
export type LspoDefaults = Partial<Omit<LspoConfig, 'scorer' | 'envId'>> & { scorer?: Partial<LspoConfig['scorer']> };
export type LspoConfigInput = LspoDefaults & { envId: string };

export const DEFAULT_LSPO_CONFIG: Readonly<Omit<LspoConfig, 'envId'>> = {
  iterations: 3,
  seed: 0,
  games: 200,
  concurrency: 64,
  proposals: 4,
  clusters: 6,
  kmeansRestarts: 10,
  maxClusterPoints: 2000,
  embeddingDim: 512,
  solverIterations: 2000,
  alignProposals: 4,
  maxPairsPerTurn: 6,
  reward: 'ratio',
  labels: 'soft',
  explore: 0.05,
  beta: 1,
  dpoEpochs: 4,
  dpoBatchSize: 64,
  learningRate: 3e-3,
  maxGradNorm: 1,
  scorer: { dim: 4096, hidden: 32, mlpHidden: 32, historyLength: 2, entityContext: false },
  recordGames: 4,
};

/** General defaults, then the domain's, then the input; validated once. */
export function resolveLspoConfig(input: LspoConfigInput, domainDefaults: LspoDefaults = {}): LspoConfig {
  const merged = {
    ...DEFAULT_LSPO_CONFIG,
    ...domainDefaults,
    ...stripUndefined(input),
    scorer: { ...DEFAULT_LSPO_CONFIG.scorer, ...(domainDefaults.scorer ?? {}), ...stripUndefined(input.scorer ?? {}) },
  };
  const parsed = lspoConfigSchema.safeParse(merged);
  if (!parsed.success) throw new LspoError('LSPO_CONFIG_INVALID', `Invalid LSPO options: ${formatIssues(parsed.error).join('; ')}.`);
  return parsed.data;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
