/**
 * The env registry: `register(spec)`, `make(id, options)`, `makeMulti(id, options)`, `list()`,
 * `spec(id)`.
 *
 * `make` validates options once (common options + the spec's own schema), builds the raw env and
 * always stacks the same wrappers in the same order, innermost first:
 *   raw env → snapshot capability (replay log / none) → InvalidActionPolicy → TimeLimit → OrderEnforcing
 * `makeMulti` does the same for a multi-agent env, with TurnEnforcing (off-turn actions become
 * `NOT_YOUR_TURN` in that seat's info) under the per-seat invalid-action policy.
 * @module
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { EnvKindError, LudusError, OptionsError, UnknownEnvError } from './errors.js';
import { MultiAgentInvalidActionPolicy, MultiAgentOrderEnforcing, MultiAgentTimeLimit, TurnEnforcing } from './multi-agent-wrappers.js';
import { ActionLogSnapshot, MultiAgentActionLogSnapshot, MultiAgentNoSnapshot, NoSnapshot } from './snapshot-capability.js';
import { commonMakeOptionsSchema, ENV_ID_PATTERN, summarizeSpec, type EnvSpec, type EnvSummary, type MultiAgentSpec, type SingleAgentSpec } from './spec.js';
import type { Env, MultiAgentEnv } from './types.js';
import { InvalidActionPolicyWrapper, OrderEnforcing, TimeLimit } from './wrappers.js';

const registry = new Map<string, EnvSpec<any>>();

/** Registers an env. Ids are versioned (`name-vN`); registering an id twice is an error. */
export function register<O extends object>(spec: EnvSpec<O>): void {
  if (!ENV_ID_PATTERN.test(spec.id)) {
    throw new LudusError('ENV_ID_INVALID', `Env id '${spec.id}' is not versioned: use the form 'name-vN', e.g. 'household-v1'.`);
  }
  const kind: string = spec.kind;
  if (kind !== 'single' && kind !== 'multi') {
    throw new LudusError('SPEC_INVALID', `Env '${spec.id}' must say its kind: 'single' (step(action)) or 'multi' (seats, step(actionsBySeat)).`);
  }
  if (!spec.capabilities || !['native', 'replay', 'none'].includes(spec.capabilities.snapshot)) {
    throw new LudusError('SPEC_INVALID', `Env '${spec.id}' must declare capabilities.snapshot: 'native', 'replay' or 'none'.`);
  }
  if (spec.kind === 'multi' && !(Number.isInteger(spec.seats?.count) && spec.seats.count >= 1)) {
    throw new LudusError('SPEC_INVALID', `Multi-agent env '${spec.id}' must declare seats.count (an integer >= 1).`);
  }
  if (registry.has(spec.id)) {
    throw new LudusError('ENV_ALREADY_REGISTERED', `An env is already registered as '${spec.id}': bump its version (e.g. '-v2') or unregister it first.`);
  }
  registry.set(spec.id, spec as EnvSpec<any>);
}

export function unregister(id: string): boolean {
  return registry.delete(id);
}

export function isRegistered(id: string): boolean {
  return registry.has(id);
}

/** The registered spec, or an UnknownEnvError with "did you mean". */
export function spec(id: string): EnvSpec<any> {
  const found = registry.get(id);
  if (found) return found;
  throw new UnknownEnvError(id, suggestIds(id));
}

export function list(): EnvSummary[] {
  return [...registry.values()].map(summarizeSpec).sort((a, b) => a.id.localeCompare(b.id));
}

/** Registered ids close to `id`: same name at another version, or a near spelling. */
export function suggestIds(id: string): string[] {
  const ids = [...registry.keys()];
  if (ids.length === 0) return [];
  const name = id.replace(/-v\d+$/, '');
  const sameName = ids.filter((k) => k.replace(/-v\d+$/, '') === name);
  if (sameName.length > 0) return sameName;
  const best = closest(id, ids);
  return distance(id, best) <= Math.max(3, Math.floor(best.length / 3)) ? [best] : [];
}

/** A made env: the wrapper stack, which also knows its spec. */
export interface MadeEnv extends Env {
  readonly id: string;
  readonly spec: SingleAgentSpec<any>;
}

/** A made multi-agent env: the wrapper stack, which also knows its spec. */
export interface MadeMultiAgentEnv extends MultiAgentEnv {
  readonly id: string;
  readonly spec: MultiAgentSpec<any>;
}

/** Either kind, tagged. */
export type MadeAnyEnv = { kind: 'single'; env: MadeEnv } | { kind: 'multi'; env: MadeMultiAgentEnv };

/** Splits make options into the common ones and the env's own, validating both. */
export function resolveMakeOptions(envSpec: EnvSpec<any>, options: Record<string, unknown> = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionsError(envSpec.id, ['options must be an object']);
  }
  const commonKeys = new Set(Object.keys(commonMakeOptionsSchema.shape));
  const common: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) (commonKeys.has(k) ? common : own)[k] = v;

  const commonParsed = commonMakeOptionsSchema.safeParse(common);
  if (!commonParsed.success) throw new OptionsError(envSpec.id, formatIssues(commonParsed.error));
  const ownSchema: z.ZodType<any> = envSpec.options ?? z.object({}).strict();
  const ownParsed = ownSchema.safeParse(own);
  if (!ownParsed.success) throw new OptionsError(envSpec.id, formatIssues(ownParsed.error));

  return {
    maxEpisodeSteps: commonParsed.data.maxEpisodeSteps ?? envSpec.maxEpisodeSteps ?? 0,
    invalidActionPolicy: commonParsed.data.invalidActionPolicy ?? envSpec.invalidActionPolicy ?? 'noop',
    invalidActionPenalty: commonParsed.data.invalidActionPenalty ?? envSpec.invalidActionPenalty ?? 0.1,
    envOptions: ownParsed.data as Record<string, unknown>,
  };
}

function tag<T extends object>(env: T, envSpec: EnvSpec<any>): T {
  Object.defineProperty(env, 'id', { value: envSpec.id, enumerable: true });
  Object.defineProperty(env, 'spec', { value: envSpec, enumerable: false });
  return env;
}

/** Builds a single-agent env by id with validated options and the fixed wrapper stack. */
export function make(id: string, options: Record<string, unknown> = {}): MadeEnv {
  const envSpec = spec(id);
  if (envSpec.kind !== 'single') throw new EnvKindError(id, envSpec.kind);
  const resolved = resolveMakeOptions(envSpec, options);
  let env: Env = envSpec.entryPoint(resolved.envOptions);
  if (envSpec.capabilities.snapshot === 'replay') env = new ActionLogSnapshot(env);
  else if (envSpec.capabilities.snapshot === 'none') env = new NoSnapshot(env, envSpec.id);
  env = new InvalidActionPolicyWrapper(env, resolved.invalidActionPolicy, resolved.invalidActionPenalty);
  env = new TimeLimit(env, resolved.maxEpisodeSteps);
  return tag(new OrderEnforcing(env), envSpec) as OrderEnforcing & MadeEnv;
}

/** Builds a multi-agent env by id with validated options and the fixed wrapper stack. */
export function makeMulti(id: string, options: Record<string, unknown> = {}): MadeMultiAgentEnv {
  const envSpec = spec(id);
  if (envSpec.kind !== 'multi') throw new EnvKindError(id, envSpec.kind);
  const resolved = resolveMakeOptions(envSpec, options);
  let env: MultiAgentEnv = envSpec.entryPoint(resolved.envOptions);
  if (envSpec.capabilities.snapshot === 'replay') env = new MultiAgentActionLogSnapshot(env);
  else if (envSpec.capabilities.snapshot === 'none') env = new MultiAgentNoSnapshot(env, envSpec.id);
  env = new TurnEnforcing(env);
  env = new MultiAgentInvalidActionPolicy(env, resolved.invalidActionPolicy, resolved.invalidActionPenalty);
  env = new MultiAgentTimeLimit(env, resolved.maxEpisodeSteps);
  return tag(new MultiAgentOrderEnforcing(env), envSpec) as MultiAgentOrderEnforcing & MadeMultiAgentEnv;
}

/** Builds either kind, tagged with its kind. */
export function makeAny(id: string, options: Record<string, unknown> = {}): MadeAnyEnv {
  return spec(id).kind === 'multi' ? { kind: 'multi', env: makeMulti(id, options) } : { kind: 'single', env: make(id, options) };
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') return `unknown option(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    return `${path}: ${issue.message}`;
  });
}
