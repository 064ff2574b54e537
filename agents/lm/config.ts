/**
 * The language model's shape: a small decoder-only transformer (agents/lm/transformer.ts).
 *
 * Defaults are sized to train on 2 CPU cores in minutes on the wasm backend: d_model 128, 4 layers
 * of 4 heads, an MLP of 384, over the vocabulary of the tokenizer trained for the run (about 1,000
 * tokens on household-v1): 0.66 M parameters with a 1,024-token vocabulary
 * ({@link parameterCount}). `context` caps how many tokens one forward pass reads; positions are
 * ALiBi biases (no position table), so raising it needs no retraining.
 * @module
 */
import { z } from 'zod';
import { formatIssues } from '../../envs/core/registry.js';
import { LmError } from './errors.js';

/** The config format this code writes. */
export const LM_FORMAT_VERSION = 1;

export interface LmConfig {
  version: number;
  /** Tokens the model knows: the tokenizer's vocabulary (bytes, merges and chat specials). */
  vocabSize: number;
  dModel: number;
  layers: number;
  heads: number;
  /** Width of each block's MLP. */
  dFf: number;
  /** Most tokens one forward pass reads (prompt + completion); longer prompts are cut from the front. */
  context: number;
  /** ε of RMSNorm. */
  normEps: number;
  /** Seeds the initial weights. */
  seed: number;
}

export const DEFAULT_LM_SHAPE = {
  dModel: 128,
  layers: 4,
  heads: 4,
  dFf: 384,
  context: 1024,
  normEps: 1e-5,
  seed: 0,
} as const;

const schema = z
  .object({
    version: z.number().int().min(1).max(LM_FORMAT_VERSION),
    vocabSize: z.number().int().min(2).max(1 << 20),
    dModel: z.number().int().min(4).max(8192),
    layers: z.number().int().min(1).max(256),
    heads: z.number().int().min(1).max(256),
    dFf: z.number().int().min(1).max(65536),
    context: z.number().int().min(8).max(1 << 20),
    normEps: z.number().gt(0).max(1),
    seed: z.number().int(),
  })
  .strict();

/** Spreads the defaults over `input` and validates; throws LM_CONFIG_INVALID naming the bad field. */
export function resolveLmConfig(input: Partial<LmConfig> & { vocabSize: number }): LmConfig {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const parsed = schema.safeParse({ version: LM_FORMAT_VERSION, ...DEFAULT_LM_SHAPE, ...defined });
  if (!parsed.success) throw new LmError('LM_CONFIG_INVALID', `Invalid language-model config: ${formatIssues(parsed.error).join('; ')}.`);
  const c = parsed.data;
  if (c.dModel % c.heads !== 0) throw new LmError('LM_CONFIG_INVALID', `Invalid language-model config: dModel ${c.dModel} must be a multiple of heads ${c.heads}.`);
  if ((c.dModel / c.heads) % 2 !== 0) throw new LmError('LM_CONFIG_INVALID', `Invalid language-model config: the head width dModel/heads = ${c.dModel / c.heads} must be even.`);
  return c;
}

/**
 * Scalar parameters: the token embedding V·d (shared with the output projection), per layer two
 * RMSNorm gains 2d, the attention's QKV and output projections 4d², the MLP 2·d·dFf; and the
 * final gain d. No biases.
 */
export function parameterCount(c: Pick<LmConfig, 'vocabSize' | 'dModel' | 'layers' | 'dFf'>): number {
  const d = c.dModel;
  return c.vocabSize * d + c.layers * (2 * d + 4 * d * d + 2 * d * c.dFf) + d;
}
