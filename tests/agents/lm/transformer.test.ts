import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../agents/policy/backend.js';
import { alibiSlopes, attentionBias, MASKED } from '../../../agents/lm/attention-bias.js';
import { parameterCount, resolveLmConfig } from '../../../agents/lm/config.js';
import { LmError } from '../../../agents/lm/errors.js';
import { disposeCache, joinRecent, mergeCaches, splitCache, TransformerLm, type KvCache, type LayerCache } from '../../../agents/lm/transformer.js';

const TINY = { vocabSize: 40, dModel: 16, layers: 2, heads: 2, dFf: 24, context: 64, seed: 3 };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Logits of position t of a single sequence, from a full forward pass. */
function fullLogits(model: TransformerLm, ids: number[]): Float32Array[] {
  const all = model.forwardLogits(Int32Array.from(ids));
  const data = all.dataSync() as Float32Array;
  all.dispose();
  const V = model.config.vocabSize;
  return ids.map((_, t) => data.slice(t * V, (t + 1) * V));
}

function fullLogProbs(model: TransformerLm, ids: number[]): number[][] {
  return fullLogits(model, ids).map((row) => {
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((acc, x) => acc + Math.exp(x - max), 0));
    return Array.from(row, (x) => x - lse);
  });
}

beforeAll(async () => {
  await selectBackend();
});

describe('ALiBi bias', () => {
  it('slopes 2^(-8(h+1)/H) for the first half of the heads and 0 for the rest; distance penalties, causal and padding masks, by hand', () => {
    expect(Array.from(alibiSlopes(4))).toEqual([1 / 4, 1 / 16, 0, 0]);
    expect(Array.from(alibiSlopes(2))).toEqual([1 / 16, 0]);
    expect(Array.from(alibiSlopes(3))).toEqual([2 ** (-8 / 3), 2 ** (-16 / 3), 0]);
    // one row, 2 heads, queries at slots 1..2 over keys 0..2, one padding slot at the left
    const b = attentionBias(2, 1, 2, [1]);
    const m0 = 1 / 16;
    const m1 = 0;
    expect(Array.from(b)).toEqual([MASKED, 0, MASKED, MASKED, -m0, 0, MASKED, 0, MASKED, MASKED, -m1, 0].map((x) => Math.fround(x)));
  });
});

describe('the transformer', () => {
  it('counts its parameters: V·d + L·(2d + 4d² + 2d·dFf) + d', () => {
    const model = TransformerLm.create(TINY);
    expect(model.parameterCount()).toBe(40 * 16 + 2 * (2 * 16 + 4 * 256 + 2 * 16 * 24) + 16);
    const counted = model.getWeights().reduce((s, w) => {
      const n = w.tensor.size;
      w.tensor.dispose();
      return s + n;
    }, 0);
    expect(counted).toBe(model.parameterCount());
    expect(parameterCount(resolveLmConfig({ vocabSize: 1024 }))).toBe(1024 * 128 + 4 * (256 + 4 * 128 * 128 + 2 * 128 * 384) + 128);
    model.dispose();
  });

  it('is causal: changing a later token changes no earlier logit', () => {
    const model = TransformerLm.create(TINY);
    const a = [1, 5, 9, 2, 7, 3, 11, 4];
    const b = [...a.slice(0, 5), 30, 31, 32];
    const la = fullLogits(model, a);
    const lb = fullLogits(model, b);
    for (let t = 0; t < 5; t++) expect(maxAbsDiff(la[t]!, lb[t]!)).toBe(0);
    expect(maxAbsDiff(la[5]!, lb[5]!)).toBeGreaterThan(1e-4); // the changed position itself does differ
    model.dispose();
  });

  it('decoding with the KV cache gives the full forward pass\'s logits (1e-4), token by token and in chunks', () => {
    const model = TransformerLm.create(TINY);
    const ids = [3, 8, 1, 19, 22, 5, 6, 37, 12, 2, 9, 14];
    const full = fullLogits(model, ids);
    let cache: KvCache | null = null;
    // a prompt of 5 at once, then one token at a time
    let step = model.extend(null, [ids.slice(0, 5)]);
    cache = step.cache;
    expect(maxAbsDiff(step.logits, full[4]!)).toBeLessThan(1e-4);
    for (let t = 5; t < ids.length; t++) {
      step = model.extend(cache, [[ids[t]!]]);
      disposeCache(cache);
      cache = step.cache;
      expect(maxAbsDiff(step.logits, full[t]!)).toBeLessThan(1e-4);
    }
    expect(cache.length).toBe(ids.length);
    disposeCache(cache);
    model.dispose();
  });

  it('decodes rows of different lengths together (left-padded caches) as it decodes each alone', () => {
    const model = TransformerLm.create(TINY);
    const prompts = [[1, 2, 3, 4, 5, 6, 7], [9, 10], [20, 21, 22, 23]];
    const next = [[11, 12], [13, 14], [15, 16]];
    const single = prompts.map((p, i) => fullLogits(model, [...p, ...next[i]!]));
    const caches = prompts.map((p) => model.extend(null, [p]).cache);
    let batch = mergeCaches(caches);
    for (const c of caches) disposeCache(c);
    expect(Array.from(batch.pad)).toEqual([0, 5, 3]);
    for (let s = 0; s < 2; s++) {
      const out = model.extend(batch, next.map((n) => [n[s]!]));
      disposeCache(batch);
      batch = out.cache;
      prompts.forEach((p, i) => {
        const V = TINY.vocabSize;
        expect(maxAbsDiff(out.logits.slice(i * V, (i + 1) * V), single[i]![p.length + s]!)).toBeLessThan(1e-4);
      });
    }
    // split back and continue one row alone
    const rows = splitCache(batch);
    disposeCache(batch);
    expect(rows.map((r) => r.length)).toEqual([9, 4, 6]);
    const more = model.extend(rows[1]!, [[17]]);
    expect(maxAbsDiff(more.logits, fullLogits(model, [9, 10, 13, 14, 17])[4]!)).toBeLessThan(1e-4);
    for (const r of rows) disposeCache(r);
    disposeCache(more.cache);
    model.dispose();
  });

  it('decodeStep (the long cache left alone, the written tokens apart) gives the full forward pass\'s logits, rows of different lengths together', () => {
    const model = TransformerLm.create(TINY);
    const prompts = [[1, 2, 3, 4, 5, 6, 7], [9, 10, 11]];
    const next = [[11, 12, 13], [14, 15, 16]];
    const caches = prompts.map((p) => model.extend(null, [p]).cache);
    const stable = mergeCaches(caches);
    for (const c of caches) disposeCache(c);
    let recent: LayerCache[] | null = null;
    const V = TINY.vocabSize;
    for (let s = 0; s < 3; s++) {
      const out = model.decodeStep(stable, recent, next.map((n) => n[s]!));
      for (const l of recent ?? []) {
        l.kT.dispose();
        l.v.dispose();
      }
      recent = out.recent;
      prompts.forEach((p, i) => expect(maxAbsDiff(out.logits.slice(i * V, (i + 1) * V), fullLogits(model, [...p, ...next[i]!])[p.length + s]!)).toBeLessThan(1e-4));
    }
    const joined = joinRecent(stable, recent);
    expect(joined.length).toBe(stable.length + 3);
    const rows = splitCache(joined);
    expect(rows.map((r) => r.length)).toEqual([10, 6]);
    const more = model.extend(rows[1]!, [[17]]);
    expect(maxAbsDiff(more.logits, fullLogits(model, [9, 10, 11, 14, 15, 16, 17])[6]!)).toBeLessThan(1e-4);
    for (const c of [stable, joined, more.cache, ...rows]) disposeCache(c);
    model.dispose();
  });

  it('token log-probs at chosen positions equal the full forward pass\'s log-softmax, with gradients to every weight', () => {
    const model = TransformerLm.create(TINY);
    const a = [3, 8, 1, 19, 22, 5];
    const b = [4, 9, 2, 7, 30, 1, 6, 2];
    const V = TINY.vocabSize;
    const expected = [
      ...[2, 4].map((p) => fullLogProbs(model, a)[p]![a[p + 1]!]!),
      ...[1, 6].map((p) => fullLogProbs(model, b)[p]![b[p + 1]!]!),
    ];
    const vars = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => {
      const { logp, entropy } = model.tokenLogProbs({ sequences: [{ ids: Int32Array.from(a), positions: Int32Array.of(2, 4) }, { ids: Int32Array.from(b), positions: Int32Array.of(1, 6) }] });
      expect(maxAbsDiff(logp.dataSync(), expected)).toBeLessThan(1e-5);
      expect(entropy.dataSync().every((h) => h > 0 && h <= Math.log(V) + 1e-4)).toBe(true);
      return tf.neg(tf.sum(logp)) as tf.Scalar;
    }, vars.map((v) => v.variable));
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    for (const v of vars) expect(grads[v.variable.name], v.name).toBeDefined();
    model.dispose();
  });

  it('refuses ids outside the vocabulary and sequences beyond the context', () => {
    const model = TransformerLm.create(TINY);
    expect(() => model.extend(null, [[1, 40]])).toThrow(LmError);
    expect(() => model.extend(null, [Array.from({ length: 65 }, () => 1)])).toThrow(/context of 64/);
    model.dispose();
  });

});
