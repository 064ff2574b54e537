/**
 * The training config: one zod schema with documented defaults, validated once before any work.
 * Defaults train GiGPO on household-v1 at the easy difficulty, in process, on the embedded store.
 * The advantage and loss options default per algorithm (trainer/algorithms.ts) and then to the
 * estimators' and the loss's own defaults, which are stated once, where they are used.
 * @module
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OptionsError } from '../envs/core/errors.js';
import { formatIssues } from '../envs/core/registry.js';
import { META_STRATEGIES } from '../league/training/meta-strategy.js';

export const ALGOS = ['gigpo', 'grpo', 'rloo', 'arpo', 'refuel', 'sft'] as const;
export type Algo = (typeof ALGOS)[number];

/**
 * Advantage options. Every field is optional: what is not given comes from the algorithm's
 * defaults (ARPO: statistics per trajectory), then from the estimator's own defaults
 * (DEFAULT_GIGPO_CONFIG, DEFAULT_GRPO_CONFIG, DEFAULT_RLOO_CONFIG in trainer/advantages/).
 */
const advantageSchema = z
  .object({
    /** `mean_std_norm` (GiGPO ALFWorld default) or `mean_norm` (no std division). */
    mode: z.enum(['mean_std_norm', 'mean_norm']),
    /** γ for GiGPO's discounted step returns. */
    gamma: z.number().min(0).max(1),
    /** ω: weight of GiGPO's step advantage. */
    stepWeight: z.number().min(0),
    /** GiGPO step groups keyed by the raw observation (`observation`) or the env state hash (`stateKey`). */
    anchorKey: z.enum(['observation', 'stateKey']),
    /** Group similar (not only identical) anchors, with `similarityThreshold`. */
    enableSimilarity: z.boolean(),
    similarityThreshold: z.number().gt(0).max(1),
    /** Episode statistics over step rows (verl-agent) or per trajectory (paper Eq. 3). */
    episodeStats: z.enum(['rows', 'trajectories']),
    /** What a group with a single value gets: its raw score, 0, or an error. */
    singleton: z.enum(['score', 'zero', 'throw']),
    /** Subtracted from an invalid row's score. */
    invalidPenalty: z.number().min(0),
    /** ε in the std denominator. */
    eps: z.number().min(0),
  })
  .partial()
  .strict();

/** PPO loss options; what is not given comes from the algorithm's defaults, then DEFAULT_PPO_LOSS_CONFIG. */
const lossSchema = z
  .object({
    clipLow: z.number().min(0).lt(1),
    clipHigh: z.number().min(0),
    dualClip: z.number().gt(1),
    /** β of the k3 KL to the frozen reference (the policy at the start of RL). */
    klCoef: z.number().min(0),
    entropyCoef: z.number().min(0),
  })
  .partial()
  .strict();

const modelSchema = z
  .object({
    /** Hashed-feature dimension of the featurizer. */
    featureDim: z.number().int().min(64).max(1 << 20).default(4096),
    /** Encoder width. */
    hidden: z.number().int().min(4).max(4096).default(64),
    /** Width of the scoring MLP. */
    mlpHidden: z.number().int().min(4).max(4096).default(64),
    /**
     * How the policy holds the episode: `bag` (recent steps as fields plus pooled memory of every
     * step of the last `historyLength`) or `window` (only the last `historyLength` steps, one field each).
     */
    memory: z.enum(['bag', 'window']).default('bag'),
    /** `bag`: the most recent steps that also get a field of their own. */
    recentSteps: z.number().int().min(0).max(16).default(2),
    /** Goal-masked copies of candidates and observations (featurizer.ts `goalMatch`). */
    goalMatch: z.boolean().default(true),
    /** What the observation says about the numbers a candidate names (featurizer.ts `entityContext`; werewolf: the seats). */
    entityContext: z.boolean().default(false),
  })
  .strict();

/** ARPO (docs/algorithms.md, "ARPO"): a per-task buffer of successes replayed into all-failure groups. */
const arpoSchema = z
  .object({
    /** The advantage estimator under the replay: GRPO (ARPO's own) or GiGPO. */
    estimator: z.enum(['grpo', 'gigpo']).default('grpo'),
    /** Inject replayed successes (off: the same algorithm without the buffer, the ablation). */
    replay: z.boolean().default(true),
    /** Successful trajectories kept per task (FIFO). */
    capacity: z.number().int().min(1).max(1024).default(8),
    /** A fresh trajectory whose training return exceeds this is stored as a success. */
    successThreshold: z.number().default(0.1),
    /** A group is all-failure when the population std of its returns is below `failStd` and their mean below `failMean`. */
    failStd: z.number().min(0).default(0.05),
    failMean: z.number().default(0.2),
  })
  .strict();

/** REFUEL (docs/algorithms.md, "REFUEL"): branched pairs, squared regression of log-ratio gaps onto η·ΔR. */
const refuelSchema = z
  .object({
    /** η: the regression target is η·(R¹ − R²). Keep η·|ΔR| within a few nats. */
    eta: z.number().gt(0).default(1),
    /** Where the pairs branch (trainer/refuel-branch.ts): `uniform` turn, the most `uncertain` roll-in step, or a replayed stored `success`. */
    branch: z.enum(['uniform', 'uncertain', 'success']).default('uniform'),
    /** `branch: success`: stored successes kept per task. */
    capacity: z.number().int().min(1).max(1024).default(8),
  })
  .strict();

/**
 * Population training (`--league`, multi-agent envs only; docs/training.md, "Training with a
 * league"): the policy holds one side of each game (a team, or one seat when the env has no
 * teams) and the other side is a league member drawn by the meta-strategy: a rule bot, or a
 * checkpoint the policy left every `every` iterations.
 */
const leagueSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** How opponents are drawn from the payoff table: pfsp (the ones not yet beaten), nash (PSRO's meta-solver), uniform. */
    meta: z.enum(META_STRATEGIES).default('pfsp'),
    /** A checkpoint of the policy joins the league every K iterations. */
    every: z.number().int().min(1).default(5),
    /** The rule bots in the league (comma-separated names; default: every bot of the env; 'none': only the policy's checkpoints, from the initial one). */
    bots: z.string().optional(),
    /** The learner's record is discounted by this each iteration (it changes as it learns). */
    decay: z.number().gt(0).max(1).default(0.8),
    /** PFSP's exponent: a member the learner scores p against is weighted (1 − p)^power. */
    pfspPower: z.number().min(0).default(2),
  })
  .strict();

/**
 * The language-model policy (`policy: 'lm'`, docs/lm.md): its shape, its tokenizer, how it writes
 * actions, and the learning rates and SFT epochs it uses instead of `lr`, `sftLr`, `sftEpochs`
 * (which are the scorer's).
 */
const lmSchema = z
  .object({
    dModel: z.number().int().min(8).max(4096).default(128),
    layers: z.number().int().min(1).max(64).default(4),
    heads: z.number().int().min(1).max(64).default(4),
    dFf: z.number().int().min(8).max(16384).default(384),
    /** Most tokens one forward pass reads; longer prompts are cut from the front (with a warning). */
    context: z.number().int().min(64).max(65536).default(1024),
    /** The tokenizer's vocabulary at most (256 bytes + merges + 4 chat tokens; a small corpus may give fewer). */
    vocabSize: z.number().int().min(261).max(65536).default(1024),
    /** Episodes of a random agent the tokenizer also reads (all of them when there are no demos). */
    tokenizerEpisodes: z.number().int().min(0).max(100000).default(64),
    /** Most tokens per action. */
    maxTokens: z.number().int().min(1).max(1024).default(32),
    /**
     * List the env's admissible actions after the current observation. The action is still free
     * text; the list only tells the model what the env accepts (verl-agent's prompts do the same).
     */
    listActions: z.boolean().default(false),
    /**
     * Observation/action steps of history in the transcript, the most recent (0: every step the
     * rollout keeps, `historyLength`). With the whole episode in the transcript, each step's prompt
     * extends the last one: the agent reuses its KV cache and the trainer reads an episode in one pass.
     */
    historyWindow: z.number().int().min(0).max(1024).default(0),
    /**
     * Decode only prefixes of the admissible actions (each as the tokenizer spells it, then
     * end-of-turn), in rollouts and evaluations: no invalid action, but no longer free text — an
     * option measured as its own row in docs/lm.md, off by default.
     */
    constrain: z.boolean().default(false),
    /** Nucleus sampling in rollouts (1: none). */
    topP: z.number().gt(0).max(1).default(1),
    /** Tokens per optimizer step (sequences are grouped up to this many). */
    minibatchTokens: z.number().int().min(64).default(4096),
    /** Learning rate of the RL updates. */
    lr: z.number().gt(0).default(3e-4),
    /** Learning rate of the SFT warm start. */
    sftLr: z.number().gt(0).default(2e-3),
    /** Passes over the demonstrations. */
    sftEpochs: z.number().int().min(1).default(6),
  })
  .strict();

export const trainConfigSchema = z
  .object({
    /** Env id to train on. */
    env: z.string().min(1).default('household-v1'),
    /** Options passed to `make` (or `session.open`) for every env (default: DEFAULT_ENV_OPTIONS of the env). */
    envOptions: z.record(z.string(), z.unknown()).optional(),
    /**
     * Multi-agent envs: the seats the trained policy holds — 'all' (self-play with shared
     * weights), seat numbers, or 'team:NAME' (one side's seats in each deal, e.g. team:wolves).
     */
    seats: z.union([z.literal('all'), z.string().regex(/^team:[a-z_]+$/, "a team is 'team:NAME', e.g. team:wolves"), z.array(z.number().int().min(0)).min(1)]).default('all'),
    /**
     * Multi-agent envs: the built-in agent in the seats the policy does not hold (default: the
     * env's first bot). Several, comma-separated ('bot:basic,bot:strong'), train against a mix:
     * each game group meets one of them, drawn from its deal (every copy of a group the same).
     */
    opponent: z.string().min(1).optional(),
    /**
     * Env server URLs; empty = in-process envs. Groups are spread over the servers. `dns+ws://HOST:PORT`
     * (every address of HOST: a headless Service's ready pods) and `srv+ws://NAME` (SRV records) are
     * looked up again every 10 s, so a scaled fleet is used without a restart (trainer/env-discovery.ts).
     */
    envUrl: z.array(z.string().regex(/^((dns|srv)\+)?wss?:\/\//, 'must be a ws://, wss://, dns+ws:// or srv+ws:// URL')).default([]),
    /** Auth token for the env servers. */
    token: z.string().optional(),
    /** Env servers: a request (or a step frame) unanswered this long fails its groups with TIMEOUT, collected again elsewhere. 0 disables. Default 60000. */
    requestTimeoutMs: z.number().int().min(0).max(2_147_483_647).optional(),
    /** Env servers: give up a WebSocket handshake after this long (TIMEOUT; the next server is tried). Default 10000. */
    connectTimeoutMs: z.number().int().min(1).max(2_147_483_647).optional(),
    /**
     * Rollouts on env servers: step the groups in this many waves, so the servers step one wave
     * while the policy chooses for another (trainer/rollout.ts `waves`; docs/fleet.md). Default 1.
     */
    rolloutWaves: z.number().int().min(1).max(64).default(1),
    algo: z.enum(ALGOS).default('gigpo'),
    /** What is trained: `scorer` (picks one of the admissible actions; the default) or `lm` (a language model writing its action as text). */
    policy: z.enum(['scorer', 'lm']).default('scorer'),
    lm: lmSchema.default(lmSchema.parse({})),
    /** RL iterations (collect → estimate → update). */
    iterations: z.number().int().min(0).default(20),
    /** G: tasks per iteration (one group each). */
    groups: z.number().int().min(1).default(8),
    /** N: copies per group (same task and seed). REFUEL: N/2 branched pairs per task. */
    groupSize: z.number().int().min(1).default(8),
    /** Stop RL once this many env steps were collected (0 = run all iterations). Equal budgets make methods comparable. */
    maxEnvSteps: z.number().int().min(0).default(0),
    /** Time limit per training episode (steps). */
    maxSteps: z.number().int().min(1).default(30),
    /** Task split to train on. */
    trainSplit: z.string().default('train'),
    /**
     * Sample tasks from the first K tasks of `trainSplit` only (0 = the whole split): a fixed pool
     * that iterations revisit, as ARPO trains on 128 (or 32) tasks many times over.
     */
    trainTasks: z.number().int().min(0).default(0),
    /**
     * ARPO's task selection: before RL, the starting policy plays each task of the train pool this
     * many times (sampling), and only the tasks it solved at least once are trained on (0 = off;
     * ARPO: 16). Single-agent envs only.
     */
    selectTasks: z.number().int().min(0).max(256).default(0),
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
    /**
     * (observation, action) pairs of history the policy sees (the whole episode so far with the
     * default 64). Sets the featurizer of a new policy and the history rollouts keep.
     */
    historyLength: z.number().int().min(0).max(1024).default(64),
    advantage: advantageSchema.default({}),
    loss: lossSchema.default({}),
    /**
     * PPO-loss algorithms: `uniform` leaves out of the loss every row of an episode group whose
     * trajectories all returned the same (all success or all failure); `none` keeps them
     * (trainer/row-weights.ts). Scorer policy only.
     */
    skipGroups: z.enum(['none', 'uniform']).default('none'),
    /** PPO-loss algorithms: each row counts alike (`row`, the token-mean) or each trajectory alike (`trajectory`, seq-mean). Scorer policy only. */
    lossAggregation: z.enum(['row', 'trajectory']).default('row'),
    model: modelSchema.default(modelSchema.parse({})),
    arpo: arpoSchema.default(arpoSchema.parse({})),
    refuel: refuelSchema.default(refuelSchema.parse({})),
    league: leagueSchema.default(leagueSchema.parse({})),
    lr: z.number().gt(0).default(1e-3),
    maxGradNorm: z.number().min(0).default(1),
    /** PPO epochs over each iteration's rows. */
    epochs: z.number().int().min(1).default(2),
    minibatchSize: z.number().int().min(1).default(256),
    /** Warm start: `sft` trains on expert demonstrations before RL; `scratch` starts from random weights. */
    init: z.enum(['scratch', 'sft']).default('sft'),
    /** Expert episodes for the SFT warm start (and for `--algo sft`). */
    demos: z.number().int().min(0).default(512),
    /**
     * Who plays the demonstrations: 'expert' (the env's expert planner), or a built-in agent
     * ('bot:basic'), which in a multi-agent env holds the policy's seats against the opponent.
     * Only episodes the demonstrator won are kept.
     */
    demoAgent: z.string().min(1).default('expert'),
    /** Passes over the demonstrations. */
    sftEpochs: z.number().int().min(1).default(10),
    sftLr: z.number().gt(0).default(3e-3),
    sftMinibatchSize: z.number().int().min(1).default(64),
    /** Evaluate every k iterations on `evalSplit` (0 = only at the end). */
    evalEvery: z.number().int().min(0).default(0),
    /** Split evaluated on (default: valid_seen when the env has it, else its first split other than trainSplit). */
    evalSplit: z.string().optional(),
    evalEpisodes: z.number().int().min(0).default(0),
    /** Retries of a group whose env connection dropped mid-rollout. */
    groupRetries: z.number().int().min(0).default(2),
    /** SQLite store. */
    db: z.string().min(1).default('./ludus.db'),
    /** Where checkpoints go; default `./checkpoints/<run name>`. */
    checkpointDir: z.string().optional(),
    /**
     * Continue the run whose checkpoints are in `checkpointDir` from its newest checkpoint, with
     * the config saved there (only `iterations`, `db`, `backend`, `envUrl`, `token`, the client timeouts and `rolloutWaves` may change).
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
  if (c.model.memory === 'window' && c.historyLength > 16) {
    throw new OptionsError('the training config', [
      `historyLength: ${c.historyLength} with model.memory 'window' would give each of ${c.historyLength} steps a field of its own; keep historyLength <= 16, or use model.memory 'bag' (the default), which pools any number of steps`,
    ]);
  }
  if (c.policy === 'lm' && (c.skipGroups !== 'none' || c.lossAggregation !== 'row')) {
    throw new OptionsError('the training config', [`skipGroups/lossAggregation: only the scorer policy weighs its rows; with policy 'lm' keep skipGroups 'none' and lossAggregation 'row'`]);
  }
  if (c.algo === 'refuel' && c.groupSize < 2) throw new OptionsError('the training config', ['groupSize: REFUEL draws pairs of continuations, so it needs groupSize >= 2 (N/2 pairs per task)']);
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

/** The split evaluation plays: the config's, else valid_seen when the env has it, else its first split other than the train split. */
export function evalSplitOf(config: Pick<TrainConfig, 'evalSplit' | 'trainSplit'>, splits: Readonly<Record<string, number>>): string {
  if (config.evalSplit !== undefined) return config.evalSplit;
  if (splits.valid_seen !== undefined) return 'valid_seen';
  return Object.keys(splits).find((s) => s !== config.trainSplit) ?? config.trainSplit;
}
