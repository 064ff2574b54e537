import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BpeTokenizer, trainBpe } from '../../../agents/lm/bpe.js';
import { CHAT_SPECIAL_TOKENS } from '../../../agents/lm/chat-template.js';
import { isLmCheckpoint, loadLmCheckpoint, saveLmCheckpoint } from '../../../agents/lm/checkpoint.js';
import { LmError } from '../../../agents/lm/errors.js';
import type { LanguageModel } from '../../../agents/lm/language-model.js';
import { decodeSafetensors, encodeSafetensors } from '../../../agents/lm/safetensors.js';
import { TransformerLm } from '../../../agents/lm/transformer.js';
import { selectBackend } from '../../../agents/policy/backend.js';
import { AdamClip } from '../../../agents/policy/optimizer.js';

let lm: LanguageModel;
const corpus = ['go to desk 1', 'You arrive at desk 1.', 'take mug 2 from desk 1'];

beforeAll(async () => {
  await selectBackend();
  const tokenizer = new BpeTokenizer(trainBpe(corpus, { vocabSize: 300, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
  lm = { tokenizer, model: TransformerLm.create({ vocabSize: tokenizer.vocabSize, dModel: 8, layers: 1, heads: 2, dFf: 8, context: 64, seed: 5 }) };
});

/** Reads a safetensors file with nothing but a DataView: the format as another tool sees it. */
function readIndependently(bytes: Buffer): Map<string, { dtype: string; shape: number[]; values: number[] }> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  expect((8 + n) % 8).toBe(0);
  const out = new Map<string, { dtype: string; shape: number[]; values: number[] }>();
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const view = new DataView(bytes.buffer, bytes.byteOffset + 8 + n + e.data_offsets[0], e.data_offsets[1] - e.data_offsets[0]);
    const values = Array.from({ length: view.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
    out.set(name, { dtype: e.dtype, shape: e.shape, values });
  }
  return out;
}

describe('safetensors', () => {
  it('encodes the header length, an 8-byte-aligned JSON header and raw little-endian data; decodes it back', () => {
    const bytes = encodeSafetensors([{ name: 'a', dtype: 'F32', shape: [2], data: Float32Array.of(1.5, -2) }], { k: 'v' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)))).toEqual({ __metadata__: { k: 'v' }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
    expect(Array.from(new Float32Array(bytes.slice(8 + n).buffer))).toEqual([1.5, -2]);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ k: 'v' });
    expect(Array.from(back.tensors[0]!.data)).toEqual([1.5, -2]);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 1))).toThrow(/do not fit/);
  });
});

describe('language-model checkpoints', () => {
  it('round-trips config, tokenizer, weights and optimizer; the weights read with an independent safetensors reader', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ludus-lm-ckpt-'));
    const optimizer = new AdamClip({ lr: 0.01 });
    const vars = lm.model.trainableVariables();
    optimizer.step(() => tf.neg(tf.mean(lm.model.tokenLogProbs({ sequences: [{ ids: Int32Array.of(1, 2, 3, 4), positions: Int32Array.of(0, 1, 2) }] }).logp)) as tf.Scalar, vars);
    expect(optimizer.stepCount).toBe(1);
    await saveLmCheckpoint(dir, { lm, optimizer, runState: { iteration: 3 } });
    expect(isLmCheckpoint(dir)).toBe(true);
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ format: 'ludus-lm', positions: 'alibi', model: { vocabSize: lm.tokenizer.vocabSize, dModel: 8 }, parameters: lm.model.parameterCount() });
    const onDisk = readIndependently(readFileSync(path.join(dir, 'model.safetensors')));
    const weights = lm.model.getWeights();
    expect([...onDisk.keys()]).toEqual(weights.map((w) => w.name));
    for (const w of weights) {
      expect(onDisk.get(w.name)!.shape).toEqual(w.tensor.shape);
      expect(onDisk.get(w.name)!.values).toEqual(Array.from(w.tensor.dataSync()));
      w.tensor.dispose();
    }
    expect(JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'))).toEqual(lm.tokenizer.spec);

    const back = await loadLmCheckpoint(dir, { trainable: true });
    expect(back.runState).toEqual({ iteration: 3 });
    expect(back.optimizer!.stepCount).toBe(1);
    const ids = Int32Array.of(5, 9, 2, 7);
    expect(Array.from(back.lm.model.forwardLogits(ids).dataSync())).toEqual(Array.from(lm.model.forwardLogits(ids).dataSync()));
    expect(back.lm.tokenizer.encode('go to desk 1')).toEqual(lm.tokenizer.encode('go to desk 1'));
    back.lm.model.dispose();
    back.optimizer!.dispose();
    optimizer.dispose();
  });

  it('refuses a tokenizer that does not match the weights, and damaged weights', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ludus-lm-ckpt-'));
    await saveLmCheckpoint(dir, { lm });
    const other = new BpeTokenizer(trainBpe(corpus, { vocabSize: lm.tokenizer.vocabSize - 3, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
    const saved = readFileSync(path.join(dir, 'tokenizer.json'));
    writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(other.spec));
    await expect(loadLmCheckpoint(dir)).rejects.toMatchObject({ code: 'LM_TOKENIZER_MISMATCH', message: expect.stringMatching(/tokens but .* expect a vocabulary of/) });
    writeFileSync(path.join(dir, 'tokenizer.json'), saved);
    const weights = readFileSync(path.join(dir, 'model.safetensors'));
    weights[weights.length - 1] ^= 0xff;
    writeFileSync(path.join(dir, 'model.safetensors'), weights);
    await expect(loadLmCheckpoint(dir)).rejects.toThrow(/does not match the SHA-256/);
    await expect(loadLmCheckpoint(path.join(dir, 'nowhere'))).rejects.toBeInstanceOf(LmError);
  });
});
