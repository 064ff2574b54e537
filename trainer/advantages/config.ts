/**
 * Configuration shared by the advantage estimators: the option types, the one options bag the
 * training loop passes to whichever estimator it runs, and the validators behind each
 * `resolve…Config`. Every validator throws a `RangeError` with one exact sentence.
 *
 * The estimators share field names where they mean the same thing (`eps`, `mode`, `episodeStats`,
 * `singleton`, `invalidPenalty`), so one {@link AdvantageOptions} object configures any of them;
 * each estimator reads the fields it knows and ignores the others, but a key that no estimator
 * knows is rejected (a misspelt option must not silently fall back to its default).
 * @module
 */

/**
 * How group-relative scores are scaled (verl-agent's GiGPO `mode`):
 * `mean_std_norm`: (x − mean) / (std + eps); `mean_norm`: x − mean (GiGPO "w/o std", Dr.GRPO).
 */
export type NormMode = 'mean_std_norm' | 'mean_norm';

/**
 * What the episode-level statistics of a group are taken over.
 * `rows`: every step row of the group, so a trajectory of length L counts L times (verl-agent's
 * `compute_mean_std_cross_steps=True`, the code default). `trajectories`: one value per trajectory,
 * its `episodeReturn` (paper Eq. 3).
 */
export type EpisodeStats = 'rows' | 'trajectories';

/**
 * The advantage of a group with a single statistic value (one row in `rows` mode, one trajectory
 * in `trajectories` mode). `score`: mean := 0, std := 1, so the advantage is the raw score
 * (verl-agent GRPO, RLOO and the GiGPO episode term). `zero`: 0. `throw`: a `RangeError`
 * (EasyR1/ARPO asserts group size > 1).
 */
export type SingletonRule = 'score' | 'zero' | 'throw';

/** Which row field keys GiGPO's step-level (anchor-state) groups. */
export type AnchorKey = 'observation' | 'stateKey';

/** GRPO: group-normalized episode scores, one advantage per trajectory broadcast to its rows. */
export interface GrpoConfig {
  /** `mean_std_norm` (GRPO) or `mean_norm` (Dr.GRPO: no division by std). */
  mode: NormMode;
  /** Added to the std in the denominator. */
  eps: number;
  /** Statistics over step rows (verl-agent) or over trajectories (one value each). */
  episodeStats: EpisodeStats;
  /** What a group with a single statistic value gets. */
  singleton: SingletonRule;
  /** Subtracted from an invalid row's episode score only (not from other rows of its trajectory). */
  invalidPenalty: number;
}

/** RLOO: leave-one-out baseline, no std normalization. */
export interface RlooConfig {
  /** Leave-one-out over step rows (verl-agent) or over trajectories. */
  episodeStats: EpisodeStats;
  /** What a group with a single statistic value gets (no baseline exists). */
  singleton: SingletonRule;
  /** Subtracted from an invalid row's episode score only. */
  invalidPenalty: number;
}

/** GiGPO: episode-level GRPO term plus ω × a step-level term over anchor-state groups. */
export interface GigpoConfig {
  /** Normalization of both levels. */
  mode: NormMode;
  /** Added to the std in both levels' denominators. */
  eps: number;
  /** Episode-level statistics over step rows or over trajectories. */
  episodeStats: EpisodeStats;
  /** Episode-level singleton rule (the step-level singleton is always 0). */
  singleton: SingletonRule;
  /** Subtracted from an invalid row's episode score and from its own step return (not propagated). */
  invalidPenalty: number;
  /** Discount of the step returns G_t = Σ_k γ^(k−t) r_k, within each trajectory. */
  gamma: number;
  /** ω: weight of the step-level advantage in A = A^E + ω·A^S. */
  stepWeight: number;
  /** Step groups keyed by the raw observation text or by the env's state hash. */
  anchorKey: AnchorKey;
  /** Cluster similar (not just identical) anchor texts within a group. */
  enableSimilarity: boolean;
  /** Similarity ratio 2·LCS/(|a|+|b|) at or above which a text joins a cluster. */
  similarityThreshold: number;
}

/** The estimator names the training loop can choose from. */
export type AdvantageEstimatorName = 'grpo' | 'rloo' | 'gigpo';

/** The one options bag any estimator accepts: each reads the fields it knows. */
export type AdvantageOptions = Partial<GrpoConfig & RlooConfig & GigpoConfig>;

/** Every key of {@link AdvantageOptions}. */
export const ADVANTAGE_OPTION_KEYS = [
  'mode',
  'eps',
  'episodeStats',
  'singleton',
  'invalidPenalty',
  'gamma',
  'stepWeight',
  'anchorKey',
  'enableSimilarity',
  'similarityThreshold',
] as const satisfies readonly (keyof AdvantageOptions)[];

// Compile-time check that the list above names every option.
type MissingOptionKeys = Exclude<keyof AdvantageOptions, (typeof ADVANTAGE_OPTION_KEYS)[number]>;
const optionKeysAreComplete: MissingOptionKeys extends never ? true : never = true;
void optionKeysAreComplete;

const KNOWN_KEYS: ReadonlySet<string> = new Set(ADVANTAGE_OPTION_KEYS);

// ---------------------------------------------------------------------------------------------
// Validators used by the resolve…Config functions.

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.map((a) => `'${a}'`);
  const words = list.length === 2 ? list.join(' or ') : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
  throw new RangeError(`${name} must be ${words}, got ${show(value)}.`);
}

/** Throws on a key no estimator knows. */
export function rejectUnknownOptions(options: object): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) throw new RangeError(`Unknown advantage option '${key}'.`);
  }
}

export function checkMode(value: unknown): NormMode {
  return oneOf('mode', value, ['mean_std_norm', 'mean_norm'] as const);
}

export function checkEpisodeStats(value: unknown): EpisodeStats {
  return oneOf('episodeStats', value, ['rows', 'trajectories'] as const);
}

export function checkSingleton(value: unknown): SingletonRule {
  return oneOf('singleton', value, ['score', 'zero', 'throw'] as const);
}

export function checkAnchorKey(value: unknown): AnchorKey {
  return oneOf('anchorKey', value, ['observation', 'stateKey'] as const);
}

/** A finite number ≥ 0. */
export function checkNonNegative(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new RangeError(`${name} must be a finite number >= 0, got ${show(value)}.`);
}

/** A number in [lo, hi] (closed) or (lo, hi] when `openLow`. */
export function checkInterval(name: string, value: unknown, lo: number, hi: number, openLow = false): number {
  const ok = typeof value === 'number' && (openLow ? value > lo : value >= lo) && value <= hi;
  if (ok) return value;
  throw new RangeError(`${name} must be a number in ${openLow ? '(' : '['}${lo}, ${hi}], got ${show(value)}.`);
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new RangeError(`${name} must be true or false, got ${show(value)}.`);
}

/**
 * `defaults` overlaid with the keys of `options` whose value is not `undefined` (an explicit
 * `undefined` means "not set", so optional CLI flags can be passed straight through).
 */
export function withDefaults<T extends object>(defaults: Readonly<T>, options: object): T {
  rejectUnknownOptions(options);
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) merged[key] = value;
  return merged as T;
}
