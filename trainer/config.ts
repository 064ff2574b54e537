/**
 * The training config: one zod schema with documented defaults, validated once before any work.
 * Defaults train GiGPO on household-v1 at the easy difficulty, in process, on the embedded store.
 * @module
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OptionsError } from '../envs/core/errors.js';
import { formatIssues } from '../envs/core/registry.js';

export const ALGOS = ['gigpo', 'grpo', 'rloo', 'sft'] as const;
export type Algo = (typeof ALGOS)[number];

const advantageSchema = z
  .object({
    /** `mean_std_norm` (GiGPO ALFWorld default) or `mean_norm` (no std division). */
    mode: z.enum(['mean_std_norm', 'mean_norm']).default('mean_std_norm'),
    /** γ for GiGPO's discounted step returns. */
    gamma: z.number().min(0).max(1).default(0.95),
    /** ω: weight of GiGPO's step advantage. */
    stepWeight: z.number().min(0).default(1),
    /** GiGPO step groups keyed by the raw observation (`observation`) or the env state hash (`stateKey`). */
    anchorKey: z.enum(['observation', 'stateKey']).default('observation'),
    /** Group similar (not only identical) anchors, with `similarityThreshold`. */
    enableSimilarity: z.boolean().default(false),
    similarityThreshold: z.number().gt(0).max(1).default(0.95),
    /** Episode statistics over step rows (verl-agent) or per trajectory (paper Eq. 3). */
    episodeStats: z.enum(['rows', 'trajectories']).default('rows'),
    /** ε in the std denominator. */
    eps: z.number().min(0).default(1e-6),
  })
  .strict();

const lossSchema = z
  .object({
    clipLow: z.number().min(0).lt(1).default(0.2),
    clipHigh: z.number().min(0).default(0.2),
    dualClip: z.number().gt(1).default(3),
    /** β of the k3 KL to the frozen reference (the policy at the start of RL). */
    klCoef: z.number().min(0).default(0.01),
    entropyCoef: z.number().min(0).default(0.001),
  })
  .strict();

const modelSchema = z
  .object({
    /** Hashed-feature dimension of the featurizer. */
    featureDim: z.number().int().min(64).max(1 << 20).default(4096),
    /** Encoder width. */
    hidden: z.number().int().min(4).max(4096).default(64),
    /** Width of the scoring MLP. */
    mlpHidden: z.number().int().min(4).max(4096).default(64),
  })
  .strict();

export const trainConfigSchema = z
  .object({
    /** Env id to train on. */
    env: z.string().min(1).default('household-v1'),
    /** Options passed to `make` (or `session.open`) for every env (default: DEFAULT_ENV_OPTIONS of the env). */
    envOptions: z.record(z.string(), z.unknown()).optional(),
    /** Multi-agent envs: the seats the trained policy holds ('all': self-play with shared weights). */
    seats: z.union([z.literal('all'), z.array(z.number().int().min(0)).min(1)]).default('all'),
    /** Multi-agent envs: the built-in agent in the seats the policy does not hold (default: the env's first bot). */
    opponent: z.string().min(1).optional(),
    /** Env server URLs; empty = in-process envs. Groups are spread over the servers. */
    envUrl: z.array(z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')).default([]),
    /** Auth token for the env servers. */
    token: z.string().optional(),
    algo: z.enum(ALGOS).default('gigpo'),
    /** RL iterations (collect → estimate → update). */
    iterations: z.number().int().min(0).default(20),
    /** G: tasks per iteration (one group each). */
    groups: z.number().int().min(1).default(8),
    /** N: copies per group (same task and seed). */
    groupSize: z.number().int().min(1).default(8),
    /** Stop RL once this many env steps were collected (0 = run all iterations). Equal budgets make methods comparable. */
    maxEnvSteps: z.number().int().min(0).default(0),
    /** Time limit per training episode (steps). */
    maxSteps: z.number().int().min(1).default(30),
    /** Task split to train on. */
    trainSplit: z.string().default('train'),
    /** Seeds task sampling, env seeds, action sampling and the initial weights. */
    seed: z.number().int().min(0).default(0),
    /**
     * What the estimators see as the reward: `env`, the env's own reward (household: 1 on success;
     * shop: WebShop's score); `success`, 1 on a successful last step and 0 otherwise (verl-agent's
     * training reward for WebShop: the score only counts when it is exactly 1).
     */
    rewardMode: z.enum(['env', 'success']).default('env'),
    /** Rollout softmax temperature. */
    temperature: z.number().gt(0).default(1),
    /** (observation, action) pairs of history the policy sees. */
    historyLength: z.number().int().min(0).max(16).default(2),
    advantage: advantageSchema.default(advantageSchema.parse({})),
    loss: lossSchema.default(lossSchema.parse({})),
    model: modelSchema.default(modelSchema.parse({})),
    lr: z.number().gt(0).default(1e-3),
    maxGradNorm: z.number().min(0).default(1),
    /** PPO epochs over each iteration's rows. */
    epochs: z.number().int().min(1).default(2),
    minibatchSize: z.number().int().min(1).default(256),
    /** Warm start: `sft` trains on expert demonstrations before RL; `scratch` starts from random weights. */
    init: z.enum(['scratch', 'sft']).default('sft'),
    /** Expert episodes for the SFT warm start (and for `--algo sft`). */
    demos: z.number().int().min(0).default(64),
    /** Passes over the demonstrations. */
    sftEpochs: z.number().int().min(1).default(40),
    sftLr: z.number().gt(0).default(3e-3),
    sftMinibatchSize: z.number().int().min(1).default(64),
    /** Evaluate every k iterations on `evalSplit` (0 = only at the end). */
    evalEvery: z.number().int().min(0).default(0),
    evalSplit: z.string().default('valid_seen'),
    evalEpisodes: z.number().int().min(0).default(0),
    /** Retries of a group whose env connection dropped mid-rollout. */
    groupRetries: z.number().int().min(0).default(2),
    /** SQLite store. */
    db: z.string().min(1).default('./ludus.db'),
    /** Where checkpoints go; default `./checkpoints/<run name>`. */
    checkpointDir: z.string().optional(),
    /**
     * Continue the run whose checkpoints are in `checkpointDir` from its newest checkpoint, with
     * the config saved there (only `iterations`, `db`, `backend`, `envUrl` and `token` may change).
     */
    resume: z.boolean().default(false),
    /** Checkpoint every k iterations (and always at the end). */
    checkpointEvery: z.number().int().min(1).default(5),
    /** tfjs backend: `auto` tries tensorflow-gpu → tensorflow → wasm (cpu only when forced). */
    backend: z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    /** Run name (default `<env>__<algo>__<seed>__<unix time>`). */
    name: z.string().optional(),
  })
  .strict();

/** Env options a run uses when the config gives none: the quickstart trains household on easy. */
export const DEFAULT_ENV_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = { 'household-v1': { difficulty: 'easy' } };

export type TrainConfig = Omit<z.infer<typeof trainConfigSchema>, 'envOptions'> & { envOptions: Record<string, unknown> };
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/** Validates a config (defaults applied); a bad field throws OptionsError naming it. */
export function resolveTrainConfig(input: unknown = {}): TrainConfig {
  const parsed = trainConfigSchema.safeParse(input ?? {});
  if (!parsed.success) throw new OptionsError('the training config', formatIssues(parsed.error));
  const c: TrainConfig = { ...parsed.data, envOptions: parsed.data.envOptions ?? { ...DEFAULT_ENV_OPTIONS[parsed.data.env] } };
  if (c.resume && c.checkpointDir === undefined) throw new OptionsError('the training config', ['resume: needs checkpointDir (--checkpoint-dir), the folder of the run to continue']);
  if (c.algo === 'sft' && c.demos === 0) throw new OptionsError('the training config', ['demos: --algo sft needs demos > 0']);
  return c;
}

/** Reads a JSON config file; flags given on the command line override its fields. */
export function loadConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new OptionsError(`--config ${path}`, [`cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the top level must be an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new OptionsError(`--config ${path}`, [`not valid JSON: ${(err as Error).message}`]);
  }
}
