/**
 * A run's checkpoint folder: the `iter-NNNNNN` checkpoints a run writes (the newest kept), and how
 * a config becomes the one to run — a fresh run refuses a folder that already holds checkpoints;
 * `resume` takes the newest checkpoint's saved config plus the few keys a resumed run may change.
 * @module
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { OptionsError } from '../envs/core/errors.js';
import { resolveTrainConfig, type TrainConfig } from './config.js';
import { TrainerError } from './errors.js';

const KEEP_CHECKPOINTS = 3;

export function checkpointName(iteration: number): string {
  return `iter-${String(iteration).padStart(6, '0')}`;
}

/** The newest complete checkpoint in a run's checkpoint dir (run-state.json is written last). */
export async function latestCheckpoint(dir: string): Promise<string | null> {
  if (!existsSync(dir)) return null;
  const names = (await readdir(dir)).filter((n) => /^iter-\d{6}$/.test(n)).sort();
  for (let i = names.length - 1; i >= 0; i--) {
    const candidate = path.join(dir, names[i] as string);
    if (existsSync(path.join(candidate, 'run-state.json'))) return candidate;
  }
  return null;
}

/** Deletes all but the newest KEEP_CHECKPOINTS checkpoints. */
export async function pruneCheckpoints(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => /^iter-\d{6}$/.test(n)).sort();
  for (const old of names.slice(0, Math.max(0, names.length - KEEP_CHECKPOINTS))) {
    await rm(path.join(dir, old), { recursive: true, force: true });
  }
}

/** Keys a resumed run may change; everything else comes from the checkpoint's saved config. */
const RESUME_OVERRIDES = ['iterations', 'db', 'backend', 'envUrl', 'token', 'requestTimeoutMs', 'connectTimeoutMs', 'rolloutWaves', 'resume', 'checkpointDir'] as const;

/** The config to run: the input, or for `resume` the checkpoint's saved config plus the allowed overrides. */
export async function resolveRunConfig(input: unknown): Promise<{ config: TrainConfig; resumeFrom: string | null }> {
  const given = resolveTrainConfig(input);
  const dir = given.checkpointDir;
  const found = dir === undefined ? null : await latestCheckpoint(dir);
  if (!given.resume) {
    if (found !== null) {
      throw new OptionsError('the training config', [`checkpointDir: ${dir} already holds checkpoints of a run; pass --resume to continue it, or choose another --checkpoint-dir`]);
    }
    return { config: given, resumeFrom: null };
  }
  if (found === null) throw new TrainerError('CHECKPOINT_NOT_FOUND', `No checkpoint to resume in ${dir}: it has no complete iter-* folder. Start a new run without --resume.`);
  const state = JSON.parse(await readFile(path.join(found, 'run-state.json'), 'utf8')) as { config?: Record<string, unknown> };
  const raw = (input ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...(state.config ?? {}) };
  for (const key of RESUME_OVERRIDES) if (raw[key] !== undefined) merged[key] = raw[key];
  merged.resume = true;
  merged.checkpointDir = dir;
  return { config: resolveTrainConfig(merged), resumeFrom: found };
}
