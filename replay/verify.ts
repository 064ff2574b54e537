/**
 * Deterministic replay: re-simulates a recorded episode from its env id, task, seed, env options
 * and actions, and compares what the env answers now with what was recorded, field by field.
 *
 * Where the env options come from: train runs record `config.envOptions` and `config.maxSteps`
 * (the trainer makes its envs with `{...envOptions, maxEpisodeSteps: maxSteps}`); `ludus play
 * --db` records `config.options` (and `config.seed`). The task is `{split, index}` when both were
 * recorded, else the task id. Envs are made in process with `make` — a run that played against
 * env servers is replayed locally, which is the point: the same env code must give the same
 * trajectory.
 *
 * Compared, in order: the reset observation (`info.initialObservation`, else step 0's), then per
 * step t: the observation the agent saw, the env's reward, terminated, truncated, invalid-action
 * code, state key, reward components, the rest of the step info; and at the end the final
 * observation and success. The first difference is the drift.
 * @module
 */
import '../envs/builtin.js';
import { make } from '../envs/core/registry.js';
import type { JsonObject, Observation, ResetResult, StepResult, TaskRef } from '../envs/core/types.js';
import type { RunStore } from './store.js';
import type { RunInfo, StoredEpisode } from './types.js';
import { StoreError } from './errors.js';

export interface Drift {
  /** Step index (`t`) whose comparison failed; 'reset' for the reset observation, 'end' for the final checks. */
  t: number | 'reset' | 'end';
  /** e.g. 'observation.text', 'reward', 'terminated', 'info.elapsedSteps', 'finalObservation.actions'. */
  field: string;
  recorded: unknown;
  replayed: unknown;
}

export interface VerifyReport {
  episodeId: number;
  envId: string;
  /** What the env was reset with. */
  task: TaskRef | null;
  seed: number | null;
  /** The env options used to make it. */
  options: Record<string, unknown>;
  /** Steps re-simulated before the drift (all of them when identical). */
  stepsReplayed: number;
  steps: number;
  identical: boolean;
  drift: Drift | null;
  /** Caveats, e.g. no seed recorded. */
  notes: string[];
}

const OBS_FIELDS = ['text', 'actions', 'anchor', 'goal', 'html', 'axtree', 'screenshot', 'url', 'seat'] as const;
const INFO_KEYS_KEPT_ELSEWHERE = new Set(['rewardComponents', 'stateKey', 'invalid', 'success', 'task', 'invalidActionPolicy']);

/** The env options a run recorded, as the run made its envs. */
export function recordedEnvOptions(run: RunInfo | null, notes: string[] = []): Record<string, unknown> {
  if (run === null) {
    notes.push('the run is missing; replaying with default env options');
    return {};
  }
  const c = run.config as Record<string, unknown>;
  if (run.kind === 'train' || isObject(c.envOptions)) {
    const options: Record<string, unknown> = isObject(c.envOptions) ? { ...c.envOptions } : {};
    if (typeof c.maxSteps === 'number') options.maxEpisodeSteps = c.maxSteps;
    else notes.push('the run recorded no maxSteps; using the env default time limit');
    if (!isObject(c.envOptions)) notes.push('the run recorded no envOptions; using the env defaults');
    return options;
  }
  if (isObject(c.options)) return { ...c.options };
  notes.push(`the ${run.kind} run recorded no env options; using the env defaults`);
  return {};
}

/** The task reference to reset with: split and index when recorded, else the task id. */
export function recordedTask(episode: StoredEpisode): TaskRef | null {
  if (episode.split !== null && episode.taskIndex !== null) return { split: episode.split, index: episode.taskIndex };
  if (episode.taskId !== '' && episode.taskId !== 'default') return { id: episode.taskId };
  return null;
}

/**
 * Re-simulates episode `episodeId` of the store and reports the first drift.
 * @throws StoreError 'STORE_NOT_FOUND' when the episode does not exist; UnknownEnvError when its env is not registered.
 */
export async function verifyEpisode(store: RunStore, episodeId: number, options: { envOptions?: Record<string, unknown> } = {}): Promise<VerifyReport> {
  const episode = store.getEpisode(episodeId);
  if (!episode) throw new StoreError('STORE_NOT_FOUND', `There is no episode ${episodeId} in ${store.path}. List them with \`ludus inspect\`.`);
  const notes: string[] = [];
  const envOptions = options.envOptions ?? recordedEnvOptions(store.getRun(episode.runId), notes);
  const task = recordedTask(episode);
  if (episode.seed === null) notes.push('no seed was recorded: the reset draws one, so drift is likely');
  if (task === null) notes.push('no task was recorded: the reset picks one from the seed');
  if (episode.replayed) notes.push('the episode was replayed from the ARPO buffer');

  const report: VerifyReport = {
    episodeId,
    envId: episode.envId,
    task,
    seed: episode.seed,
    options: envOptions,
    stepsReplayed: 0,
    steps: episode.steps.length,
    identical: false,
    drift: null,
    notes,
  };
  const drift = (d: Drift): VerifyReport => ({ ...report, drift: d });

  const env = make(episode.envId, envOptions);
  try {
    const reset: ResetResult = await env.reset({ ...(episode.seed === null ? {} : { seed: episode.seed }), ...(task === null ? {} : { task }) });
    const initial = (episode.info.initialObservation as unknown as Observation | undefined) ?? episode.steps[0]?.observation ?? episode.finalObservation;
    if (initial) {
      const d = diffObservation(initial, reset.observation, 'observation');
      if (d) return drift({ t: 'reset', ...d });
    }
    let observation = reset.observation;
    let last: StepResult | null = null;
    for (const step of episode.steps) {
      const d0 = diffObservation(step.observation, observation, 'observation');
      if (d0) return drift({ t: step.t, ...d0 });
      let result: StepResult;
      try {
        result = await env.step(step.action);
      } catch (err) {
        return drift({ t: step.t, field: 'step', recorded: 'accepted the action', replayed: `threw: ${(err as Error).message}` });
      }
      const d = diffStep(step, result);
      if (d) return drift({ t: step.t, ...d });
      report.stepsReplayed++;
      observation = result.observation;
      last = result;
    }
    if (episode.finalObservation) {
      const d = diffObservation(episode.finalObservation, observation, 'finalObservation');
      if (d) return drift({ t: 'end', ...d });
    }
    if (last !== null && (last.info.success === true) !== episode.success) {
      return drift({ t: 'end', field: 'success', recorded: episode.success, replayed: last.info.success === true });
    }
    return { ...report, identical: true };
  } finally {
    await env.close();
  }
}

type FieldDiff = { field: string; recorded: unknown; replayed: unknown };

function diffObservation(recorded: Observation, replayed: Observation, prefix: string): FieldDiff | null {
  for (const key of OBS_FIELDS) {
    const a = normalize(recorded[key]);
    const b = normalize(replayed[key]);
    if (!deepEqual(a, b)) return { field: `${prefix}.${key}`, recorded: a, replayed: b };
  }
  return null;
}

function diffStep(step: StoredEpisode['steps'][number], result: StepResult): FieldDiff | null {
  if (!numbersEqual(step.reward, result.reward)) return { field: 'reward', recorded: step.reward, replayed: result.reward };
  if (step.terminated !== result.terminated) return { field: 'terminated', recorded: step.terminated, replayed: result.terminated };
  if (step.truncated !== result.truncated) return { field: 'truncated', recorded: step.truncated, replayed: result.truncated };
  const invalidA = step.invalid?.code ?? null;
  const invalidB = result.info.invalid?.code ?? null;
  if (invalidA !== invalidB) return { field: 'invalid', recorded: invalidA, replayed: invalidB };
  const keyB = result.info.stateKey ?? null;
  if (step.stateKey !== null && step.stateKey !== keyB) return { field: 'stateKey', recorded: step.stateKey, replayed: keyB };
  const compA = normalize(step.rewardComponents) as Record<string, number>;
  const compB = (normalize(result.info.rewardComponents) ?? {}) as Record<string, number>;
  if (!deepEqual(compA, compB)) return { field: 'rewardComponents', recorded: compA, replayed: compB };
  const infoB: JsonObject = {};
  for (const key in result.info) if (!INFO_KEYS_KEPT_ELSEWHERE.has(key) && result.info[key] !== undefined) infoB[key] = result.info[key] as JsonObject[string];
  const a = normalize(step.info) as Record<string, unknown>;
  const b = normalize(infoB) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!deepEqual(a[key], b[key])) return { field: `info.${key}`, recorded: a[key], replayed: b[key] };
  }
  return null;
}

function numbersEqual(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** JSON round trip: what the store can hold (undefined dropped, -0 → 0). */
function normalize(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function short(value: unknown, max = 300): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'undefined';
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

/** Human-readable report lines. */
export function formatVerifyReport(r: VerifyReport): string[] {
  const lines = [
    `episode ${r.episodeId}: ${r.envId} task ${short(r.task)} seed ${r.seed ?? '—'} options ${short(r.options)}`,
  ];
  for (const n of r.notes) lines.push(`  note: ${n}`);
  if (r.identical) {
    lines.push(`identical: ${r.steps} step${r.steps === 1 ? '' : 's'} re-simulated, no drift`);
  } else if (r.drift) {
    const where = r.drift.t === 'reset' ? 'at reset' : r.drift.t === 'end' ? 'at the end' : `at step t=${r.drift.t}`;
    lines.push(`DRIFT ${where}: ${r.drift.field} differs (${r.stepsReplayed}/${r.steps} steps matched before it)`);
    lines.push(`  recorded: ${short(r.drift.recorded)}`);
    lines.push(`  replayed: ${short(r.drift.replayed)}`);
  }
  return lines;
}
