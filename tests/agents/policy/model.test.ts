import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ActionScorer,
  AdamClip,
  PolicyError,
  embeddingBag,
  embeddingBagJs,
  Featurizer,
  gatherRows,
  matMulFast,
  selectBackend,
  toDense,
  type PolicyRow,
} from '../../../agents/policy/index.js';
import { ppoLoss } from '../../../trainer/losses/ppo.js';
import { sftLoss } from '../../../trainer/losses/sft.js';
import { Rng } from '../../../envs/core/rng.js';
import { INPUTS, ROWS, SMALL_CONFIG } from './fixtures.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

beforeAll(async () => {
  const sel = await selectBackend();
  expect(sel.name).toBe('wasm');
});

describe('sparse ops (wasm)', () => {
  it('embeddingBag equals a dense matMul, values and gradient', () => {
    const f = new Featurizer({ dim: 64 });
    const rows = f.featurizeBatch(INPUTS).context;
    const table = tf.variable(tf.randomUniform([64, 5], -1, 1, 'float32', 1)) as tf.Variable<tf.Rank.R2>;
    const dy = tf.randomUniform([rows.rows, 5], -1, 1, 'float32', 2);
    const dense = tf.tensor2d(toDense(rows, 64), [rows.rows, 64]);
    const viaBag = tf.variableGrads(() => tf.sum(tf.mul(embeddingBag(table, rows), dy)), [table]);
    const viaJs = tf.variableGrads(() => tf.sum(tf.mul(embeddingBagJs(table, rows), dy)), [table]);
    const viaDense = tf.variableGrads(() => tf.sum(tf.mul(tf.matMul(dense, table), dy)), [table]);
    expect(maxAbsDiff(embeddingBag(table, rows).dataSync(), tf.matMul(dense, table).dataSync())).toBeLessThan(1e-5);
    expect(Math.abs(viaBag.value.dataSync()[0]! - viaDense.value.dataSync()[0]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(viaBag.grads[table.name]!.dataSync(), viaDense.grads[table.name]!.dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(viaJs.grads[table.name]!.dataSync(), viaDense.grads[table.name]!.dataSync())).toBeLessThan(1e-5);
    table.dispose();
  });

  it('gatherRows and matMulFast have the gradients of gather and matMul', () => {
    const x = tf.variable(tf.randomUniform([4, 3], -1, 1, 'float32', 3)) as tf.Variable<tf.Rank.R2>;
    const w = tf.variable(tf.randomUniform([3, 2], -1, 1, 'float32', 4)) as tf.Variable<tf.Rank.R2>;
    const idx = Int32Array.from([2, 0, 2, 3, 2]);
    const weight = tf.randomUniform([5, 2], -1, 1, 'float32', 5);
    const mine = tf.variableGrads(() => tf.sum(tf.mul(matMulFast(gatherRows(x, idx), w), weight)), [x, w]);
    const ref = tf.variableGrads(() => tf.sum(tf.mul(tf.matMul(tf.gather(x, tf.tensor1d(idx, 'int32')), w), weight)), [x, w]);
    expect(maxAbsDiff(mine.grads[x.name]!.dataSync(), ref.grads[x.name]!.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(mine.grads[w.name]!.dataSync(), ref.grads[w.name]!.dataSync())).toBeLessThan(1e-6);
    x.dispose();
    w.dispose();
  });
});

describe('ActionScorer (wasm)', () => {
  it('gives the same weights for the same seed', () => {
    const a = ActionScorer.create(SMALL_CONFIG);
    const b = ActionScorer.create(SMALL_CONFIG);
    const wa = a.getWeights();
    const wb = b.getWeights();
    wa.forEach((w, i) => expect(Array.from(w.tensor.dataSync())).toEqual(Array.from(wb[i]!.tensor.dataSync())));
    tf.dispose([...wa, ...wb].map((w) => w.tensor));
    a.dispose();
    b.dispose();
  });

  it('scores a batch exactly as it scores each session alone', () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const all = s.scoreBatch(INPUTS);
    INPUTS.forEach((input, b) => {
      const one = s.scoreBatch([input]);
      expect(maxAbsDiff(one.logits[0]!, all.logits[b]!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(one.probs[0]!, all.probs[b]!)).toBeLessThan(1e-5);
    });
    s.dispose();
  });

  it('gives a distribution over each candidate set that sums to 1', () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const { probs } = s.scoreBatch(INPUTS, { temperature: 0.7 });
    probs.forEach((p, b) => {
      expect(p.length).toBe(INPUTS[b]!.candidates.length);
      expect(p.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      for (const v of p) expect(v).toBeGreaterThan(0);
    });
    s.dispose();
  });

  it('samples reproducibly from a seeded Rng and picks the argmax when greedy', () => {
    const s = ActionScorer.create({ ...SMALL_CONFIG, seed: 11 });
    const many = Array.from({ length: 20 }, (_, i) => INPUTS[i % INPUTS.length]!);
    const a = s.act(many, { rng: new Rng(7) }).map((r) => r.index);
    const b = s.act(many, { rng: new Rng(7) }).map((r) => r.index);
    expect(a).toEqual(b);
    const hot = s.act(many, { rng: new Rng(8), temperature: 100 }).map((r) => r.index);
    expect(hot).not.toEqual(a);
    const greedy = s.act(INPUTS, { greedy: true });
    const { probs } = s.scoreBatch(INPUTS);
    greedy.forEach((r, i) => {
      const p = probs[i]!;
      expect(r.index).toBe(p.indexOf(Math.max(...p)));
      expect(r.action).toBe(INPUTS[i]!.candidates[r.index]);
      expect(r.logp).toBeCloseTo(Math.log(p[r.index]!), 5);
    });
    expect(() => s.act(INPUTS)).toThrow(/seeded Rng/);
    s.dispose();
  });

  it('raises entropy with temperature', () => {
    const s = ActionScorer.create({ ...SMALL_CONFIG, seed: 2 });
    const cold = s.act(INPUTS, { greedy: true, temperature: 0.1 });
    const hot = s.act(INPUTS, { greedy: true, temperature: 10 });
    cold.forEach((c, i) => expect(hot[i]!.entropy).toBeGreaterThanOrEqual(c.entropy - 1e-6));
    s.dispose();
  });

  it('policyLogProbs agrees with act and with logProbsInGraph', () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const acted = s.act(INPUTS, { rng: new Rng(1) });
    const rows: PolicyRow[] = INPUTS.map((x, i) => ({ ...x, chosen: acted[i]!.index }));
    const lp = s.policyLogProbs(rows, { batchSize: 2 });
    rows.forEach((_, i) => {
      expect(lp.logp[i]).toBeCloseTo(acted[i]!.logp, 5);
      expect(lp.entropy[i]).toBeCloseTo(acted[i]!.entropy, 5);
      expect(lp.logProbs[i]!.length).toBe(rows[i]!.candidates.length);
    });
    tf.tidy(() => {
      const g = s.logProbsInGraph(rows);
      expect(maxAbsDiff(g.logp.dataSync(), lp.logp)).toBeLessThan(1e-5);
      expect(g.logProbs.shape).toEqual([3, 5]);
      expect(Array.from(g.mask.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0]);
    });
    expect(() => s.encode([{ ...INPUTS[0]!, chosen: 9 }])).toThrow(PolicyError);
    s.dispose();
  });

  it('learns on wasm: SFT steps raise the log-prob of the target actions', () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const opt = new AdamClip({ lr: 0.05, maxGradNorm: 1 });
    const before = s.policyLogProbs(ROWS).logp;
    const enc = s.encode(ROWS);
    let last = Infinity;
    for (let i = 0; i < 15; i++) {
      const r = opt.step(() => sftLoss(s.logProbsInGraph(enc).logp), s.trainableVariables());
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(Number.isFinite(r.gradNorm)).toBe(true);
      last = r.loss;
    }
    const after = s.policyLogProbs(ROWS).logp;
    after.forEach((v, i) => expect(v).toBeGreaterThan(before[i]!));
    expect(last).toBeLessThan(0.5);
    expect(opt.stepCount).toBe(15);
    opt.dispose();
    s.dispose();
  });

  it('runs full PPO steps on wasm (clip, k3 KL to a frozen ref, entropy) without leaking tensors', () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const ref = s.clone();
    expect(ref.trainableVariables()).toEqual([]);
    const opt = new AdamClip({ lr: 0.02 });
    const old = s.policyLogProbs(ROWS).logp;
    const refLp = ref.policyLogProbs(ROWS).logp;
    const adv = [1, -1, 0.5];
    const enc = s.encode(ROWS);
    const step = (): ReturnType<AdamClip['step']> =>
      opt.step(() => {
        const out = s.logProbsInGraph(enc);
        const { loss, stats } = ppoLoss({
          logp: out.logp,
          logpOld: tf.tensor1d(Array.from(old)),
          logpRef: tf.tensor1d(Array.from(refLp)),
          advantages: tf.tensor1d(adv),
          entropy: out.entropy,
        });
        return { loss, stats: { clipFrac: stats.clipFrac, kl: stats.kl, approxKl: stats.approxKl } };
      }, s.trainableVariables());
    const first = step();
    expect(first.stats['kl']).toBeCloseTo(0, 6); // policy == ref at the first step
    expect(first.stats['approxKl']).toBeCloseTo(0, 6);
    const tensorsAfterFirst = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    const now = s.policyLogProbs(ROWS).logp;
    expect(now[0]).toBeGreaterThan(old[0]!); // A > 0: more likely
    expect(now[1]).toBeLessThan(old[1]!); // A < 0: less likely
    expect(ref.policyLogProbs(ROWS).logp).toEqual(refLp); // the reference stays frozen
    opt.dispose();
    ref.dispose();
    s.dispose();
  });

  it('does not leak tensors in act/scoreBatch/policyLogProbs', () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    s.act(INPUTS, { greedy: true });
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      s.act(INPUTS, { rng: new Rng(i) });
      s.scoreBatch(INPUTS);
      s.policyLogProbs(ROWS);
    }
    expect(tf.memory().numTensors).toBe(n);
    s.dispose();
  });

  it('rejects bad configs and use after dispose', () => {
    expect(() => ActionScorer.create({ hidden: 0 })).toThrow(/hidden must be a positive integer/);
    const s = ActionScorer.create(SMALL_CONFIG);
    s.dispose();
    expect(() => s.act(INPUTS, { greedy: true })).toThrow(/disposed/);
  });
});

describe('AdamClip', () => {
  it('takes a first step of lr·sign(g) and reports clipping', () => {
    const w = tf.variable(tf.tensor1d([1, -2, 3]));
    const opt = new AdamClip({ lr: 0.1, maxGradNorm: 0.5 });
    // loss = Σ c·w → g = c, ‖g‖ = √(9+16+144) = 13 > 0.5: clipped, but Adam's first step is scale-free.
    const r = opt.step(() => tf.sum(tf.mul(tf.tensor1d([3, -4, 12]), w)) as tf.Scalar, [{ name: 'w', variable: w }]);
    expect(r.gradNorm).toBeCloseTo(13, 4);
    expect(r.clipped).toBe(true);
    expect(maxAbsDiff(w.dataSync(), [0.9, -1.9, 2.9])).toBeLessThan(1e-5);
    const state = opt.getWeights();
    expect(state.map((x) => x.name)).toEqual(['step', 'w/m', 'w/v']);
    // m = (1−β1)·g·scale, with scale = 0.5 / 13.
    expect(maxAbsDiff(state[1]!.tensor.dataSync(), [3, -4, 12].map((g) => 0.1 * g * (0.5 / 13)))).toBeLessThan(1e-6);
    tf.dispose(state.map((x) => x.tensor));
    expect(() => new AdamClip({ lr: -1 })).toThrow(/lr must be a positive number/);
    opt.dispose();
    w.dispose();
  });
});
