/**
 * EnvSpec: how an env is registered. `make` reads it to validate options and build the wrapper stack.
 * @module
 */
import { z } from 'zod';
import type { Env, InvalidActionPolicy, TaskSplits } from './types.js';

export interface EnvSpec<Options extends object = Record<string, unknown>> {
  /** Versioned id, `name-vN` (optionally `namespace/name-vN`). */
  id: string;
  /** One line for `ludus envs`. */
  description: string;
  /** Builds the raw env from validated options (defaults already applied). */
  entryPoint: (options: Options) => Env;
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
}

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
  maxEpisodeSteps: number | null;
  invalidActionPolicy: InvalidActionPolicy;
  splits: TaskSplits;
}

export function summarizeSpec(spec: EnvSpec<any>): EnvSummary {
  return {
    id: spec.id,
    description: spec.description,
    maxEpisodeSteps: spec.maxEpisodeSteps ?? null,
    invalidActionPolicy: spec.invalidActionPolicy ?? 'noop',
    splits: { ...spec.splits },
  };
}
