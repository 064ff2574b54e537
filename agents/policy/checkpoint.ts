/**
 * Checkpoints in the standard tfjs layout, written through a directory IOHandler (tfjs-node's
 * `file://` handler does not exist on wasm or cpu):
 *
 * ```
 * <dir>/model.json       { modelTopology: { class_name: 'ActionScorer', config }, format, generatedBy,
 *                          weightsManifest: [{ paths: ['weights.bin'], weights: [...specs] }],
 *                          weightsIntegrity: { 'weights.bin': { bytes, sha256 } } }
 * <dir>/weights.bin      float32 little-endian, in manifest order
 * <dir>/optimizer.json   the same layout for the Adam state (step, <weight>/m, <weight>/v)
 * <dir>/optimizer.bin
 * <dir>/run-state.json   { iteration, rngState, config, ... }: whatever the trainer needs to resume
 * ```
 *
 * Each file is written to a temporary name and renamed, so a crash never leaves a torn file.
 * Loading works on every backend. Loading checks each weights file against the size its manifest
 * implies and the SHA-256 recorded at save time: truncated or altered weights are refused with
 * CHECKPOINT_INVALID naming the file, never loaded. (Checkpoints saved before the checksum existed
 * still load, with the size check only.)
 * @module
 */

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { JsonValue } from '../../envs/core/types.js';
import type { RngState } from '../../envs/core/rng.js';
import { PolicyError } from './errors.js';
import { ActionScorer, type NamedTensor, type ScorerConfig } from './model.js';
import { AdamClip, type AdamConfig } from './optimizer.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const OPTIMIZER_FILE = 'optimizer.json';
export const OPTIMIZER_WEIGHTS_FILE = 'optimizer.bin';
export const RUN_STATE_FILE = 'run-state.json';

const GENERATED_BY = 'ludus agents/policy';

/** What the trainer stores to resume a run. Plain JSON. */
export interface RunState {
  iteration: number;
  rngState?: RngState;
  config?: JsonValue;
  [key: string]: JsonValue | undefined;
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

async function readOrExplain(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') {
      throw new PolicyError('CHECKPOINT_INVALID', `${what} not found: ${file}. Pass the directory saveCheckpoint() wrote.`, { file });
    }
    throw err;
  }
}

/** What model.json records of each weights file, to refuse a damaged one. */
type WeightsIntegrity = Record<string, { bytes: number; sha256: string }>;

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1 };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes the manifest's specs need, or null when a dtype has no fixed size. */
function manifestBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const size = DTYPE_BYTES[spec.dtype];
    if (size === undefined || spec.quantization !== undefined) return null;
    total += spec.shape.reduce((a, b) => a * b, 1) * size;
  }
  return total;
}

/** Refuses weights whose size or checksum is not what model.json recorded. */
function checkWeights(modelPath: string, file: string, bytes: Uint8Array, expectedBytes: number | null, integrity: WeightsIntegrity[string] | undefined): void {
  const fix = 'The checkpoint is damaged (truncated, altered or from another save): restore it, or use another checkpoint.';
  if (expectedBytes !== null && bytes.byteLength !== expectedBytes) {
    throw new PolicyError(
      'CHECKPOINT_INVALID',
      `${file} holds ${bytes.byteLength} bytes, but ${modelPath} describes ${expectedBytes}. ${fix}`,
      { file, bytes: bytes.byteLength, expected: expectedBytes },
    );
  }
  if (integrity !== undefined && (integrity.bytes !== bytes.byteLength || integrity.sha256 !== sha256(bytes))) {
    throw new PolicyError('CHECKPOINT_INVALID', `${file} does not match the SHA-256 that ${modelPath} recorded when it was saved. ${fix}`, { file });
  }
}

function toArrayBuffer(buf: Uint8Array): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/**
 * A tfjs IOHandler that saves to and loads from a directory: `<modelFile>` (model JSON with the
 * weights manifest) and `<weightsFile>` (the weight bytes).
 */
export function directoryIOHandler(
  dir: string,
  files: { modelFile?: string; weightsFile?: string } = {},
): tf.io.IOHandler {
  const modelFile = files.modelFile ?? MODEL_FILE;
  const weightsFile = files.weightsFile ?? WEIGHTS_FILE;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await fs.mkdir(dir, { recursive: true });
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.userDefinedMetadata !== undefined) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      const bytes = new Uint8Array(weightData);
      const integrity: WeightsIntegrity = { [weightsFile]: { bytes: bytes.byteLength, sha256: sha256(bytes) } };
      (modelJSON as tf.io.ModelJSON & { weightsIntegrity?: WeightsIntegrity }).weightsIntegrity = integrity;
      await writeAtomic(path.join(dir, weightsFile), bytes);
      await writeAtomic(path.join(dir, modelFile), `${JSON.stringify(modelJSON, null, 2)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelPath = path.join(dir, modelFile);
      const raw = await readOrExplain(modelPath, `${modelFile}`);
      let json: tf.io.ModelJSON & { weightsIntegrity?: WeightsIntegrity };
      try {
        json = JSON.parse(raw.toString('utf8')) as tf.io.ModelJSON & { weightsIntegrity?: WeightsIntegrity };
      } catch (err) {
        throw new PolicyError('CHECKPOINT_INVALID', `${path.join(dir, modelFile)} is not valid JSON: ${(err as Error).message}.`);
      }
      if (!Array.isArray(json.weightsManifest)) {
        throw new PolicyError('CHECKPOINT_INVALID', `${path.join(dir, modelFile)} has no weightsManifest.`);
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          const groupBytes = group.paths.length === 1 ? manifestBytes(group.weights) : null;
          for (const p of group.paths) {
            const file = path.join(dir, p);
            const bytes = await readOrExplain(file, 'Weights file');
            checkWeights(modelPath, file, bytes, groupBytes, json.weightsIntegrity?.[p]);
            buffers.push(toArrayBuffer(bytes));
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

async function saveNamed(
  handler: tf.io.IOHandler,
  tensors: readonly NamedTensor[],
  topology: { class_name: string; config: unknown },
  format: string,
): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors.map((t) => ({ name: t.name, tensor: t.tensor })));
  await (handler.save as NonNullable<tf.io.IOHandler['save']>)({
    modelTopology: topology as unknown as tf.io.ModelArtifacts['modelTopology'],
    format,
    generatedBy: GENERATED_BY,
    weightSpecs: specs,
    weightData: data,
  });
}

async function loadNamed(handler: tf.io.IOHandler, format: string, where: string): Promise<{ config: unknown; tensors: NamedTensor[] }> {
  const artifacts = await (handler.load as NonNullable<tf.io.IOHandler['load']>)();
  if (artifacts.format !== format) {
    throw new PolicyError('CHECKPOINT_INVALID', `${where} has format '${artifacts.format}', expected '${format}'.`);
  }
  const topology = artifacts.modelTopology as { config?: unknown } | undefined;
  let map: tf.NamedTensorMap;
  try {
    map = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? []);
  } catch (err) {
    throw new PolicyError('CHECKPOINT_INVALID', `The weights of ${where} cannot be decoded (${(err as Error).message}): the checkpoint is damaged; use another one.`);
  }
  return { config: topology?.config, tensors: Object.entries(map).map(([name, tensor]) => ({ name, tensor })) };
}

/** Writes model.json + weights.bin of a scorer into `dir`. */
export async function saveScorer(scorer: ActionScorer, dir: string): Promise<void> {
  const weights = scorer.getWeights();
  try {
    await saveNamed(directoryIOHandler(dir), weights, { class_name: 'ActionScorer', config: scorer.config }, 'ludus-action-scorer');
  } finally {
    for (const w of weights) w.tensor.dispose();
  }
}

/** Reads a scorer that saveScorer() wrote. Needs a selected backend. */
export async function loadScorer(dir: string, options: { trainable?: boolean } = {}): Promise<ActionScorer> {
  const { config, tensors } = await loadNamed(directoryIOHandler(dir), 'ludus-action-scorer', path.join(dir, MODEL_FILE));
  try {
    return ActionScorer.fromWeights(config as ScorerConfig, tensors, options);
  } finally {
    for (const t of tensors) t.tensor.dispose();
  }
}

/** Saves policy weights, optionally the optimizer state and the run state, into `dir`. */
export async function saveCheckpoint(
  dir: string,
  parts: { scorer: ActionScorer; optimizer?: AdamClip; runState?: RunState },
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await saveScorer(parts.scorer, dir);
  if (parts.optimizer !== undefined) {
    const state = parts.optimizer.getWeights();
    try {
      await saveNamed(
        directoryIOHandler(dir, { modelFile: OPTIMIZER_FILE, weightsFile: OPTIMIZER_WEIGHTS_FILE }),
        state,
        { class_name: 'AdamClip', config: parts.optimizer.config },
        'ludus-adam-clip',
      );
    } finally {
      for (const s of state) s.tensor.dispose();
    }
  }
  if (parts.runState !== undefined) {
    await writeAtomic(path.join(dir, RUN_STATE_FILE), `${JSON.stringify(parts.runState, null, 2)}\n`);
  }
}

/**
 * Loads what saveCheckpoint() wrote. `optimizer` and `runState` are present when their files are.
 * Needs a selected backend; works on every backend.
 */
export async function loadCheckpoint(
  dir: string,
  options: { trainable?: boolean } = {},
): Promise<{ scorer: ActionScorer; optimizer?: AdamClip; runState?: RunState }> {
  const scorer = await loadScorer(dir, options);
  const out: { scorer: ActionScorer; optimizer?: AdamClip; runState?: RunState } = { scorer };
  try {
    if (await exists(path.join(dir, OPTIMIZER_FILE))) {
      const { config, tensors } = await loadNamed(
        directoryIOHandler(dir, { modelFile: OPTIMIZER_FILE, weightsFile: OPTIMIZER_WEIGHTS_FILE }),
        'ludus-adam-clip',
        path.join(dir, OPTIMIZER_FILE),
      );
      const optimizer = new AdamClip(config as Partial<AdamConfig>);
      try {
        optimizer.setWeights(tensors);
      } finally {
        for (const t of tensors) t.tensor.dispose();
      }
      out.optimizer = optimizer;
    }
    if (await exists(path.join(dir, RUN_STATE_FILE))) {
      const raw = await fs.readFile(path.join(dir, RUN_STATE_FILE), 'utf8');
      let state: RunState;
      try {
        state = JSON.parse(raw) as RunState;
      } catch (err) {
        throw new PolicyError('CHECKPOINT_INVALID', `${path.join(dir, RUN_STATE_FILE)} is not valid JSON (${(err as Error).message}): the checkpoint is damaged; use another one.`);
      }
      if (typeof state.iteration !== 'number') {
        throw new PolicyError('CHECKPOINT_INVALID', `${path.join(dir, RUN_STATE_FILE)} has no numeric 'iteration'.`);
      }
      out.runState = state;
    }
  } catch (err) {
    scorer.dispose();
    out.optimizer?.dispose();
    throw err;
  }
  return out;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
