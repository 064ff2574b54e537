/**
 * Language-model checkpoints, in files other tools read:
 *
 * ```
 * <dir>/config.json             { format: "ludus-lm", version, model: {vocabSize, dModel, layers, heads, dFf,
 *                                 context, normEps, seed}, positions: "alibi", prompt: {listActions,
 *                                 historyWindow, maxTokens}, parameters,
 *                                 files: {weights, tokenizer}, sha256: {<file>: hex}, generatedBy }
 * <dir>/tokenizer.json          the byte-level BPE: { type, version, merges: [[a, b], ...], specialTokens }
 * <dir>/model.safetensors       the weights, F32, by logical name (embedding, layer0/qkv, ...; safetensors.ts)
 * <dir>/optimizer.safetensors   Adam's state (step, <weight>/m, <weight>/v), when saved for resuming
 * <dir>/run-state.json          what the trainer needs to resume, when saved by a run
 * ```
 *
 * Weight layout (row-major, `x · W`): `embedding` [V, d] (also the output projection: logits =
 * h · embeddingᵀ); per layer `layerL/attn_norm` [d], `layerL/qkv` [d, 3d] (columns: q, k, v, each
 * head after head), `layerL/attn_out` [d, d], `layerL/mlp_norm` [d], `layerL/mlp_in` [d, dFf],
 * `layerL/mlp_out` [dFf, d]; `final_norm` [d]. Files are written to a temporary name and renamed;
 * loading checks each file's SHA-256 and refuses a tokenizer whose vocabulary is not the
 * embedding's (LM_TOKENIZER_MISMATCH), or weights that do not fit the config.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { JsonValue } from '../../envs/core/types.js';
import { AdamClip, type AdamConfig } from '../policy/optimizer.js';
import type { NamedTensor } from '../policy/model.js';
import { BpeTokenizer, checkSpec } from './bpe.js';
import { resolveLmConfig, type LmConfig } from './config.js';
import { LmError } from './errors.js';
import { checkTokenizerFits, DEFAULT_PROMPT_SETTINGS, type LanguageModel, type PromptSettings } from './language-model.js';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors.js';
import { TransformerLm } from './transformer.js';

export const LM_CONFIG_FILE = 'config.json';
export const LM_WEIGHTS_FILE = 'model.safetensors';
export const LM_TOKENIZER_FILE = 'tokenizer.json';
export const LM_OPTIMIZER_FILE = 'optimizer.safetensors';
export const LM_RUN_STATE_FILE = 'run-state.json';
export const LM_CHECKPOINT_FORMAT = 'ludus-lm';

export interface LmCheckpointConfig {
  format: typeof LM_CHECKPOINT_FORMAT;
  version: 1;
  model: LmConfig;
  positions: 'alibi';
  /** How the model reads episodes and how much it writes (language-model.ts). */
  prompt: PromptSettings;
  parameters: number;
  files: { weights: string; tokenizer: string };
  sha256: Record<string, string>;
  generatedBy: string;
}

export interface LmCheckpoint {
  lm: LanguageModel;
  optimizer?: AdamClip;
  runState?: { iteration: number; [key: string]: JsonValue | undefined };
}

/** True when `dir` holds a language-model checkpoint (its config.json says so). */
export function isLmCheckpoint(dir: string): boolean {
  const file = path.join(dir, LM_CONFIG_FILE);
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { format?: string }).format === LM_CHECKPOINT_FORMAT;
  } catch {
    return false;
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toSafe(tensors: readonly NamedTensor[]): SafeTensor[] {
  return tensors.map((t) => ({ name: t.name, dtype: 'F32', shape: t.tensor.shape, data: t.tensor.dataSync() as Float32Array }));
}

async function readChecked(dir: string, file: string, expected: string | undefined): Promise<Buffer> {
  const full = path.join(dir, file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(full);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new LmError('LM_CHECKPOINT_INVALID', `${full} is missing: pass a folder a language-model run saved (config.json, ${LM_WEIGHTS_FILE}, ${LM_TOKENIZER_FILE}).`, { file: full });
    throw err;
  }
  if (expected !== undefined && sha256(bytes) !== expected) {
    throw new LmError('LM_CHECKPOINT_INVALID', `${full} does not match the SHA-256 that ${LM_CONFIG_FILE} recorded when it was saved: the checkpoint is damaged (truncated, altered or from another save); restore it or use another one.`, { file: full });
  }
  return bytes;
}

/** Writes the model, its tokenizer and optionally the optimizer and run state into `dir`. */
export async function saveLmCheckpoint(dir: string, parts: { lm: LanguageModel; optimizer?: AdamClip; runState?: LmCheckpoint['runState'] }): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const { model, tokenizer } = parts.lm;
  checkTokenizerFits(model, tokenizer);
  const weights = model.getWeights();
  let weightBytes: Uint8Array;
  try {
    weightBytes = encodeSafetensors(toSafe(weights), { format: LM_CHECKPOINT_FORMAT });
  } finally {
    for (const w of weights) w.tensor.dispose();
  }
  const tokenizerText = `${JSON.stringify(tokenizer.spec)}\n`;
  const hashes: Record<string, string> = { [LM_WEIGHTS_FILE]: sha256(weightBytes), [LM_TOKENIZER_FILE]: sha256(tokenizerText) };
  await writeAtomic(path.join(dir, LM_WEIGHTS_FILE), weightBytes);
  await writeAtomic(path.join(dir, LM_TOKENIZER_FILE), tokenizerText);
  if (parts.optimizer !== undefined) {
    const state = parts.optimizer.getWeights();
    try {
      const bytes = encodeSafetensors(toSafe(state), { adam: JSON.stringify(parts.optimizer.config) });
      hashes[LM_OPTIMIZER_FILE] = sha256(bytes);
      await writeAtomic(path.join(dir, LM_OPTIMIZER_FILE), bytes);
    } finally {
      for (const s of state) s.tensor.dispose();
    }
  }
  const config: LmCheckpointConfig = {
    format: LM_CHECKPOINT_FORMAT,
    version: 1,
    model: { ...model.config },
    positions: 'alibi',
    prompt: { ...DEFAULT_PROMPT_SETTINGS, ...(parts.lm.prompt ?? {}) },
    parameters: model.parameterCount(),
    files: { weights: LM_WEIGHTS_FILE, tokenizer: LM_TOKENIZER_FILE },
    sha256: hashes,
    generatedBy: 'ludus agents/lm',
  };
  await writeAtomic(path.join(dir, LM_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
  if (parts.runState !== undefined) await writeAtomic(path.join(dir, LM_RUN_STATE_FILE), `${JSON.stringify(parts.runState, null, 2)}\n`);
}

/** Reads what saveLmCheckpoint wrote. Needs a selected backend. */
export async function loadLmCheckpoint(dir: string, options: { trainable?: boolean } = {}): Promise<LmCheckpoint> {
  const configPath = path.join(dir, LM_CONFIG_FILE);
  let config: LmCheckpointConfig;
  try {
    config = JSON.parse((await readChecked(dir, LM_CONFIG_FILE, undefined)).toString('utf8')) as LmCheckpointConfig;
  } catch (err) {
    if (err instanceof LmError) throw err;
    throw new LmError('LM_CHECKPOINT_INVALID', `${configPath} is not valid JSON (${(err as Error).message}): the checkpoint is damaged; use another one.`);
  }
  if (config.format !== LM_CHECKPOINT_FORMAT) throw new LmError('LM_CHECKPOINT_INVALID', `${configPath} has format '${String(config.format)}', not '${LM_CHECKPOINT_FORMAT}': this is not a language-model checkpoint.`);
  if (config.version !== 1) throw new LmError('LM_CHECKPOINT_INVALID', `${configPath} has version ${String(config.version)}; this ludus reads version 1. Upgrade ludus to load it.`);
  const modelConfig = resolveLmConfig(config.model);
  const tokenizerFile = config.files?.tokenizer ?? LM_TOKENIZER_FILE;
  const weightsFile = config.files?.weights ?? LM_WEIGHTS_FILE;
  // The tokenizer's fit is checked before its checksum, so a swapped tokenizer is named as such.
  const tokenizerBytes = await readChecked(dir, tokenizerFile, undefined);
  let spec: unknown;
  try {
    spec = JSON.parse(tokenizerBytes.toString('utf8'));
  } catch {
    throw new LmError('LM_CHECKPOINT_INVALID', `${path.join(dir, tokenizerFile)} is not valid JSON: the checkpoint is damaged; use another one.`);
  }
  checkSpec(spec);
  const tokenizer = new BpeTokenizer(spec);
  if (tokenizer.vocabSize !== modelConfig.vocabSize) {
    throw new LmError(
      'LM_TOKENIZER_MISMATCH',
      `${path.join(dir, tokenizerFile)} has ${tokenizer.vocabSize} tokens but ${configPath} (and the weights) expect a vocabulary of ${modelConfig.vocabSize}: the tokenizer belongs to another model. Put back the tokenizer.json saved with these weights.`,
      { tokenizer: tokenizer.vocabSize, model: modelConfig.vocabSize },
    );
  }
  const expectedTokenizer = config.sha256?.[tokenizerFile];
  if (expectedTokenizer !== undefined && sha256(tokenizerBytes) !== expectedTokenizer) {
    throw new LmError('LM_CHECKPOINT_INVALID', `${path.join(dir, tokenizerFile)} does not match the SHA-256 that ${LM_CONFIG_FILE} recorded when it was saved: the checkpoint is damaged or its tokenizer was replaced; restore it or use another checkpoint.`);
  }
  const { tensors } = decodeSafetensors(await readChecked(dir, weightsFile, config.sha256?.[weightsFile]), path.join(dir, weightsFile));
  const embedding = tensors.find((t) => t.name === 'embedding');
  if (embedding !== undefined && embedding.shape[0] !== tokenizer.vocabSize) {
    throw new LmError('LM_TOKENIZER_MISMATCH', `The embedding in ${path.join(dir, weightsFile)} has ${embedding.shape[0]} rows but the tokenizer ${tokenizer.vocabSize} tokens: they come from different runs.`);
  }
  const named = tensors.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape, 'float32') }));
  let model: TransformerLm;
  try {
    model = TransformerLm.fromWeights(modelConfig, named, options);
  } finally {
    for (const t of named) t.tensor.dispose();
  }
  const out: LmCheckpoint = { lm: { model, tokenizer, prompt: { ...DEFAULT_PROMPT_SETTINGS, ...(config.prompt ?? {}) } } };
  try {
    if (existsSync(path.join(dir, LM_OPTIMIZER_FILE))) {
      const opt = decodeSafetensors(await readChecked(dir, LM_OPTIMIZER_FILE, config.sha256?.[LM_OPTIMIZER_FILE]), path.join(dir, LM_OPTIMIZER_FILE));
      const optimizer = new AdamClip(JSON.parse(opt.metadata.adam ?? '{}') as Partial<AdamConfig>);
      const state = opt.tensors.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape, 'float32') }));
      try {
        optimizer.setWeights(state);
      } finally {
        for (const s of state) s.tensor.dispose();
      }
      out.optimizer = optimizer;
    }
    if (existsSync(path.join(dir, LM_RUN_STATE_FILE))) {
      out.runState = JSON.parse(await fs.readFile(path.join(dir, LM_RUN_STATE_FILE), 'utf8')) as LmCheckpoint['runState'];
    }
  } catch (err) {
    model.dispose();
    out.optimizer?.dispose();
    throw err;
  }
  return out;
}
