/**
 * EnvSpec: how an env is registered. `make` reads it to validate options and build the wrapper stack.
 *
 * A spec says what kind of env it builds (`kind: 'single'` — one agent, `step(action)`; or
 * `kind: 'multi'` — seats, `step(actionsBySeat)`) and declares its capabilities, so groups, REFUEL
 * branching, `replay --verify` and the viewer know what they may ask of it without trying.
 * @module
 */
import { z } from 'zod';
import type { Env, InvalidActionPolicy, MultiAgentEnv, TaskSplits } from './types.js';

/**
 * How an env forks an episode:
 * - `native`: `snapshot()` returns the whole state as plain JSON and `restore` loads it;
 * - `replay`: `make` wraps the env so a snapshot is (reset options, actions so far) and `restore`
 *   resets and re-plays them — for envs whose state cannot be serialised (a browser);
 * - `none`: the env cannot fork; `snapshot`/`restore` throw `SNAPSHOT_UNSUPPORTED`.
 */
export type SnapshotCapability = 'native' | 'replay' | 'none';

export interface EnvCapabilities {
  snapshot: SnapshotCapability;
  /** Observations may carry `screenshot` (base64 PNG). */
  screenshots?: boolean;
}

interface SpecBase<Options extends object> {
  /** Versioned id, `name-vN` (optionally `namespace/name-vN`). */
  id: string;
  /** One line for `ludus envs`. */
  description: string;
  /**
   * Zod schema of the env's own options, with defaults. Unknown keys are rejected.
   * Omit it for an env without options.
   */
  options?: z.ZodType<Options>;
  /** Time limit (steps) applied by `make` unless overridden. Omit for none. */
  maxEpisodeSteps?: number;
  /** What happens on an invalid action: `noop` (default), `penalty`, or `terminate`. */
  invalidActionPolicy?: InvalidActionPolicy;
  /** Reward subtracted under the `penalty` policy (default 0.1, as verl-agent). */
  invalidActionPenalty?: number;
  /** Named task splits and their sizes. */
  splits: TaskSplits;
  capabilities: EnvCapabilities;
}

export interface SingleAgentSpec<Options extends object = Record<string, unknown>> extends SpecBase<Options> {
  kind: 'single';
  /** Builds the raw env from validated options (defaults already applied). */
  entryPoint: (options: Options) => Env;
}

export interface SeatsSpec {
  /** Seats are 0..count-1. */
  count: number;
  /** What a seat is called in the game (e.g. 'first', 'second'), for people and the viewer. */
  names?: string[];
  /** Built-in agents that can hold a seat of this env (e.g. 'random', 'bot:basic'). */
  agents?: string[];
}

export interface MultiAgentSpec<Options extends object = Record<string, unknown>> extends SpecBase<Options> {
  kind: 'multi';
  seats: SeatsSpec;
  /** Builds the raw multi-agent env from validated options (defaults already applied). */
  entryPoint: (options: Options) => MultiAgentEnv;
}

export type EnvSpec<Options extends object = Record<string, unknown>> = SingleAgentSpec<Options> | MultiAgentSpec<Options>;

/** Options every env accepts through `make`, on top of its own. */
export const commonMakeOptionsSchema = z.object({
  /** Steps before `truncated`; 0 disables the limit. */
  maxEpisodeSteps: z.number().int().min(0).optional(),
  invalidActionPolicy: z.enum(['noop', 'penalty', 'terminate']).optional(),
  invalidActionPenalty: z.number().min(0).finite().optional(),
});
export type CommonMakeOptions = z.infer<typeof commonMakeOptionsSchema>;

export const ENV_ID_PATTERN = /^(?:[a-z0-9][a-z0-9_.-]*\/)?[a-z0-9][a-z0-9_.]*(?:-[a-z0-9_.]+)*-v\d+$/;

/** What `ludus envs` and the `envs.list` method report for each spec. */
export interface EnvSummary {
  id: string;
  description: string;
  kind: 'single' | 'multi';
  /** Multi-agent envs: the seats (null for single-agent envs). */
  seats: SeatsSpec | null;
  capabilities: Required<EnvCapabilities>;
  maxEpisodeSteps: number | null;
  invalidActionPolicy: InvalidActionPolicy;
  splits: TaskSplits;
}

export function capabilitiesOf(spec: EnvSpec<any>): Required<EnvCapabilities> {
  return { snapshot: spec.capabilities.snapshot, screenshots: spec.capabilities.screenshots ?? false };
}

export function summarizeSpec(spec: EnvSpec<any>): EnvSummary {
  return {
    id: spec.id,
    description: spec.description,
    kind: spec.kind,
    seats: spec.kind === 'multi' ? { ...spec.seats } : null,
    capabilities: capabilitiesOf(spec),
    maxEpisodeSteps: spec.maxEpisodeSteps ?? null,
    invalidActionPolicy: spec.invalidActionPolicy ?? 'noop',
    splits: { ...spec.splits },
  };
}
