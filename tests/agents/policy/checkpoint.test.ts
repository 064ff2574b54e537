import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionScorer,
  AdamClip,
  PolicyError,
  loadCheckpoint,
  saveCheckpoint,
  selectBackend,
  type PolicyInput,
  type RunState,
} from '../../../agents/policy/index.js';
import { sftLoss } from '../../../trainer/losses/sft.js';
import { Rng } from '../../../envs/core/rng.js';
import { INPUTS, ROWS, SMALL_CONFIG } from './fixtures.js';

let dir: string;

beforeAll(async () => {
  await selectBackend();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ludus-ckpt-'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function trainSteps(s: ActionScorer, opt: AdamClip, n: number): void {
  const enc = s.encode(ROWS);
  for (let i = 0; i < n; i++) opt.step(() => sftLoss(s.logProbsInGraph(enc).logp), s.trainableVariables());
}

function weightsOf(s: ActionScorer): Float32Array[] {
  const w = s.getWeights();
  const out = w.map((x) => x.tensor.dataSync() as Float32Array);
  tf.dispose(w.map((x) => x.tensor));
  return out;
}

describe('checkpoints (wasm)', () => {
  it('round-trips weights, optimizer state and run state; outputs are identical after load', async () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const opt = new AdamClip({ lr: 0.01, maxGradNorm: 2 });
    trainSteps(s, opt, 3);
    const rng = new Rng('run');
    rng.next();
    const runState: RunState = { iteration: 7, rngState: rng.getState(), config: { env: 'household-v1', groupSize: 8 } };
    const ckpt = path.join(dir, 'iter-7');
    await saveCheckpoint(ckpt, { scorer: s, optimizer: opt, runState });

    const files = (await fs.readdir(ckpt)).sort();
    expect(files).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'run-state.json', 'weights.bin']);
    const modelJson = JSON.parse(await fs.readFile(path.join(ckpt, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('ludus-action-scorer');
    expect(modelJson.modelTopology.class_name).toBe('ActionScorer');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(modelJson.weightsManifest[0].weights[0]).toEqual({ name: 'ctx/embedding', shape: [256, 8], dtype: 'float32' });
    const bytes = (await fs.stat(path.join(ckpt, 'weights.bin'))).size;
    expect(bytes).toBe(s.parameterCount() * 4);

    const loaded = await loadCheckpoint(ckpt);
    expect(loaded.runState).toEqual(runState);
    expect(Rng.fromState(loaded.runState!.rngState!).next()).toBe(rng.next());
    expect(loaded.scorer.config).toEqual(s.config);
    expect(loaded.scorer.scoreBatch(INPUTS)).toEqual(s.scoreBatch(INPUTS));
    expect(loaded.scorer.act(INPUTS, { rng: new Rng(3) })).toEqual(s.act(INPUTS, { rng: new Rng(3) }));

    const opt2 = loaded.optimizer!;
    expect(opt2.stepCount).toBe(3);
    expect(opt2.config).toEqual(opt.config);
    const a = opt.getWeights();
    const b = opt2.getWeights();
    expect(b.map((x) => x.name)).toEqual(a.map((x) => x.name));
    a.forEach((x, i) => expect(Array.from(b[i]!.tensor.dataSync())).toEqual(Array.from(x.tensor.dataSync())));
    tf.dispose([...a, ...b].map((x) => x.tensor));

    // Resuming: one more step from the original and from the loaded pair lands on the same weights.
    trainSteps(s, opt, 1);
    trainSteps(loaded.scorer, opt2, 1);
    const w1 = weightsOf(s);
    const w2 = weightsOf(loaded.scorer);
    w1.forEach((w, i) => expect(Array.from(w2[i]!)).toEqual(Array.from(w)));

    s.dispose();
    opt.dispose();
    loaded.scorer.dispose();
    opt2.dispose();
  });

  it('saves a policy alone; optimizer and run state are then absent', async () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const ckpt = path.join(dir, 'policy-only');
    await saveCheckpoint(ckpt, { scorer: s });
    const loaded = await loadCheckpoint(ckpt, { trainable: false });
    expect(loaded.optimizer).toBeUndefined();
    expect(loaded.runState).toBeUndefined();
    expect(loaded.scorer.trainableVariables()).toEqual([]);
    expect(loaded.scorer.scoreBatch(INPUTS)).toEqual(s.scoreBatch(INPUTS));
    s.dispose();
    loaded.scorer.dispose();
  });

  it('explains a missing or mismatched checkpoint', async () => {
    const err = await loadCheckpoint(path.join(dir, 'nope')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('CHECKPOINT_INVALID');
    expect((err as PolicyError).message).toMatch(/model\.json not found/);

    const s = ActionScorer.create(SMALL_CONFIG);
    const ckpt = path.join(dir, 'tampered');
    await saveCheckpoint(ckpt, { scorer: s });
    const file = path.join(ckpt, 'model.json');
    const json = JSON.parse(await fs.readFile(file, 'utf8'));
    json.modelTopology.config.hidden = 9;
    await fs.writeFile(file, JSON.stringify(json));
    await expect(loadCheckpoint(ckpt)).rejects.toThrow(/do not fit this scorer config/);
    s.dispose();
  });

  it('records a SHA-256 of each weights file and refuses truncated or altered weights, naming the file', async () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const opt = new AdamClip({ lr: 0.01, maxGradNorm: 2 });
    trainSteps(s, opt, 1);
    const ckpt = path.join(dir, 'integrity');
    await saveCheckpoint(ckpt, { scorer: s, optimizer: opt });
    const modelJson = JSON.parse(await fs.readFile(path.join(ckpt, 'model.json'), 'utf8'));
    const weights = await fs.readFile(path.join(ckpt, 'weights.bin'));
    expect(modelJson.weightsIntegrity).toEqual({ 'weights.bin': { bytes: weights.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const loaded = await loadCheckpoint(ckpt);
    loaded.scorer.dispose();
    loaded.optimizer?.dispose();

    // truncated
    await fs.writeFile(path.join(ckpt, 'weights.bin'), weights.subarray(0, weights.byteLength - 100));
    const truncated = (await loadCheckpoint(ckpt).catch((e: unknown) => e)) as PolicyError;
    expect(truncated).toBeInstanceOf(PolicyError);
    expect(truncated.code).toBe('CHECKPOINT_INVALID');
    expect(truncated.message).toMatch(new RegExp(`${path.join(ckpt, 'weights.bin').replace(/[.]/g, '\\.')} holds ${weights.byteLength - 100} bytes, but .*model\\.json describes ${weights.byteLength}\\. The checkpoint is damaged`));
    // same size, one byte changed
    const flipped = Buffer.from(weights);
    flipped[17] = flipped[17]! ^ 0xff;
    await fs.writeFile(path.join(ckpt, 'weights.bin'), flipped);
    await expect(loadCheckpoint(ckpt)).rejects.toThrow(/weights\.bin does not match the SHA-256 that .*model\.json recorded/);
    // the optimizer's weights are checked too
    await fs.writeFile(path.join(ckpt, 'weights.bin'), weights);
    const optBytes = await fs.readFile(path.join(ckpt, 'optimizer.bin'));
    await fs.writeFile(path.join(ckpt, 'optimizer.bin'), optBytes.subarray(0, 8));
    await expect(loadCheckpoint(ckpt)).rejects.toThrow(/optimizer\.bin holds 8 bytes/);
    await fs.writeFile(path.join(ckpt, 'optimizer.bin'), optBytes);
    // a checkpoint saved before checksums existed still loads (size check only)
    delete modelJson.weightsIntegrity;
    await fs.writeFile(path.join(ckpt, 'model.json'), JSON.stringify(modelJson));
    const old = await loadCheckpoint(ckpt);
    expect(old.scorer.scoreBatch(INPUTS)).toEqual(s.scoreBatch(INPUTS));
    old.scorer.dispose();
    old.optimizer?.dispose();
    await fs.writeFile(path.join(ckpt, 'run-state.json'), '{"iteration": 3,');
    await expect(loadCheckpoint(ckpt)).rejects.toThrow(/run-state\.json is not valid JSON/);
    s.dispose();
    opt.dispose();
  });

  it('loads on another backend (saved on wasm, loaded on cpu)', async () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const want = s.scoreBatch(INPUTS);
    const ckpt = path.join(dir, 'cross');
    await saveCheckpoint(ckpt, { scorer: s });
    s.dispose();
    await selectBackend({ prefer: 'cpu', warn: () => undefined });
    const loaded = await loadCheckpoint(ckpt);
    const got = loaded.scorer.scoreBatch(INPUTS);
    got.probs.forEach((p, b) => p.forEach((v, k) => expect(v).toBeCloseTo(want.probs[b]![k]!, 5)));
    loaded.scorer.dispose();
    await selectBackend();
  });
});

describe('checkpoint format versions', () => {
  it('keeps entityContext through a checkpoint: the loaded policy reads the same seat lines', async () => {
    const s = ActionScorer.create({ ...SMALL_CONFIG, featurizer: { dim: 256, entityContext: true } });
    trainSteps(s, new AdamClip({ lr: 0.01, maxGradNorm: 2 }), 2);
    const ckpt = path.join(dir, 'entity');
    await saveCheckpoint(ckpt, { scorer: s });
    const loaded = await loadCheckpoint(ckpt);
    expect(loaded.scorer.config.featurizer.entityContext).toBe(true);
    const seats: PolicyInput[] = [{ text: 'Day 1: player 3 said: "I am the seer. Player 5 is a werewolf."\nDay 1: player 4 said: "I am a villager."', candidates: ['vote[3]', 'vote[4]', 'vote[5]', 'vote[none]'] }];
    expect(loaded.scorer.scoreBatch(seats)).toEqual(s.scoreBatch(seats));
    // without the option the same weights score these candidates differently: the seat lines matter
    const plain = ActionScorer.create({ ...SMALL_CONFIG, featurizer: { dim: 256 } });
    const weights = s.getWeights();
    plain.setWeights(weights);
    tf.dispose(weights.map((w) => w.tensor));
    expect(plain.scoreBatch(seats)).not.toEqual(s.scoreBatch(seats));
  });

  it('loads a format-1 checkpoint (no version: the window featurizer over 2 steps) as it was trained', async () => {
    const legacy = ActionScorer.create({ ...SMALL_CONFIG, featurizer: { dim: 256, memory: 'window', historyLength: 2 } });
    const ckpt = path.join(dir, 'format-1');
    await saveCheckpoint(ckpt, { scorer: legacy });
    // rewrite model.json the way format 1 wrote it: no version, no memory layout fields
    const file = path.join(ckpt, 'model.json');
    const json = JSON.parse(await fs.readFile(file, 'utf8'));
    delete json.modelTopology.config.version;
    delete json.modelTopology.config.featurizer.memory;
    delete json.modelTopology.config.featurizer.recentSteps;
    await fs.writeFile(file, JSON.stringify(json));
    const { scorer } = await loadCheckpoint(ckpt);
    expect(scorer.config.version).toBe(2);
    expect(scorer.config.featurizer).toMatchObject({ memory: 'window', historyLength: 2 });
    expect(scorer.scoreBatch(INPUTS).probs.map((p) => Array.from(p))).toEqual(legacy.scoreBatch(INPUTS).probs.map((p) => Array.from(p)));
    scorer.dispose();
    legacy.dispose();
  });

  it('refuses a format newer than it knows', async () => {
    const s = ActionScorer.create(SMALL_CONFIG);
    const ckpt = path.join(dir, 'format-99');
    await saveCheckpoint(ckpt, { scorer: s });
    s.dispose();
    const file = path.join(ckpt, 'model.json');
    const json = JSON.parse(await fs.readFile(file, 'utf8'));
    json.modelTopology.config.version = 99;
    await fs.writeFile(file, JSON.stringify(json));
    await expect(loadCheckpoint(ckpt)).rejects.toThrow(/scorer format is 99.*written by a newer ludus/);
  });
});
