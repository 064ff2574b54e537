/**
 * `npm run bench:lm`: the language-model policy, measured (docs/lm.md has the numbers).
 *
 *   npx tsx scripts/bench-lm.ts [--parts cache,throughput,learn,shop,default] [--seeds 5] [--first-seed 0]
 *        [--difficulty easy] [--budget 20000] [--demos 256] [--episodes 0] [--methods scorer-gigpo,lm-sft,lm-gigpo,lm-grpo]
 *        [--shop-products 1000] [--shop-methods lm-gigpo] [--lm '{"sftEpochs":20}'] [--iterations 1000] [--eval-steps 30] [--db bench-lm.db] [--json out.json]
 *
 * Parts (each measures its baseline in the same run):
 * - `cache`: greedy generation of 32 tokens after a 512-token prompt with the KV cache against
 *   recomputing the whole sequence for every token (the same tokens come out; the ratio is the
 *   target, ≥ 5×), and batched decoding of 16 streams.
 * - `throughput`: tokens/s of generation (16 streams) and of the update (forward, backward and Adam
 *   over 4,096-token minibatches of episode-long sequences), default model, this backend.
 * - `learn`: household-v1 valid_unseen (greedy), several seeds, 95% bootstrap intervals: the scorer
 *   after SFT + GiGPO against the LM after SFT, SFT + GiGPO and SFT + GRPO at the same difficulty
 *   and env-step budget; the LM's invalid-action rate after SFT (before RL) and after RL. A method
 *   `lmc-<algo>` is the LM with `lm.constrain` (decoding held to the admissible actions), a row of
 *   its own; `--lm` passes LM options (JSON) to every LM method.
 * - `shop`: shop-v1 test split, the LM after SFT + GiGPO against WebShop's IL baseline (29.1%).
 * - `default`: the wall time of `ludus train --policy lm` with its defaults (household easy).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import '../envs/builtin.js';
import { generate } from '../agents/lm/generate.js';
import { TransformerLm } from '../agents/lm/transformer.js';
import { selectBackend } from '../agents/policy/backend.js';
import { AdamClip } from '../agents/policy/optimizer.js';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../envs/core/rng.js';
import { LocalEnvProvider } from '../trainer/env-provider.js';
import { evaluatePolicy, type EvalSummary } from '../trainer/evaluate.js';
import { loadPolicy } from '../trainer/policies.js';
import { latestCheckpoint } from '../trainer/run-checkpoints.js';
import { resolveTrainConfig } from '../trainer/config.js';
import { train } from '../trainer/train.js';
import { meanCi, pctCi } from './mean-ci.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

const PARTS = arg('parts', 'cache,throughput').split(',');
const SEEDS = Number(arg('seeds', '5'));
const FIRST_SEED = Number(arg('first-seed', '0'));
const DIFFICULTY = arg('difficulty', 'easy');
const BUDGET = Number(arg('budget', '20000'));
const DEMOS = Number(arg('demos', '256'));
const EPISODES = Number(arg('episodes', '0'));
const METHODS = arg('methods', 'scorer-gigpo,lm-sft,lm-gigpo,lm-grpo').split(',');
const DB = arg('db', path.join(mkdtempSync(path.join(tmpdir(), 'bench-lm-')), 'bench-lm.db'));
const JSON_OUT = arg('json', '');
const LM_OPTIONS = JSON.parse(arg('lm', '{}')) as Record<string, unknown>;
const ITERATIONS = Number(arg('iterations', '1000'));
const EVAL_STEPS = Number(arg('eval-steps', '30'));
const results: Record<string, unknown> = {};

const backend = await selectBackend();
const load = () => (os.loadavg() as number[]).map((x) => x.toFixed(2)).join(', ');
console.log(`backend ${backend.name}; parts ${PARTS.join(', ')}; load average ${load()}`);

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

const DEFAULT_MODEL = (() => {
  const c = resolveTrainConfig({ policy: 'lm' }).lm;
  return { vocabSize: c.vocabSize, dModel: c.dModel, layers: c.layers, heads: c.heads, dFf: c.dFf, context: c.context, seed: 0 };
})();

if (PARTS.includes('cache') || PARTS.includes('throughput')) {
  const model = TransformerLm.create(DEFAULT_MODEL);
  const rng = new Rng(0);
  const prompt = (n: number) => Array.from({ length: n }, () => rng.int(DEFAULT_MODEL.vocabSize - 8));
  const greedy = { temperature: 0, topP: 1, topLogprobs: 0 };
  const none = new Set<number>();
  console.log(`model: ${model.parameterCount()} parameters (d ${DEFAULT_MODEL.dModel}, ${DEFAULT_MODEL.layers} layers × ${DEFAULT_MODEL.heads} heads, MLP ${DEFAULT_MODEL.dFf}, vocabulary ${DEFAULT_MODEL.vocabSize})`);

  if (PARTS.includes('cache')) {
    const p = prompt(512);
    const N = 32;
    // Each way runs once untimed first: wasm builds its XNNPACK operators on a shape's first use.
    const cached = () => generate(model, [{ prompt: p, maxTokens: N, sampling: greedy, rng }], { stop: none, keepCaches: false })[0]!.ids;
    cached();
    const withCache = timed(cached);
    const recompute = (tokens: number) => {
      const seq = [...p];
      const out: number[] = [];
      for (let k = 0; k < tokens; k++) {
        const { logits, cache } = model.extend(null, [seq]); // the whole sequence again
        for (const l of cache.layers) {
          l.kT.dispose();
          l.v.dispose();
        }
        let best = 0;
        for (let v = 1; v < DEFAULT_MODEL.vocabSize; v++) if ((logits[v] as number) > (logits[best] as number)) best = v;
        out.push(best);
        seq.push(best);
      }
      return out;
    };
    recompute(N);
    const without = timed(() => recompute(N));
    const same = withCache.value.join(',') === without.value.join(',');
    const ratio = without.ms / withCache.ms;
    console.log(`\n| generation of ${N} tokens after a 512-token prompt | ms | ms/token |\n|---|---|---|`);
    console.log(`| without cache (whole sequence each token) | ${without.ms.toFixed(0)} | ${(without.ms / N).toFixed(1)} |`);
    console.log(`| with the KV cache (prefill + ${N - 1} steps) | ${withCache.ms.toFixed(0)} | ${(withCache.ms / N).toFixed(1)} |`);
    console.log(`KV cache speed-up ${ratio.toFixed(1)}× (target ≥ 5×); same tokens: ${same}`);
    results.cache = { tokens: N, promptTokens: 512, withCacheMs: withCache.ms, withoutCacheMs: without.ms, ratio, sameTokens: same };
  }

  if (PARTS.includes('throughput')) {
    const streams = 16;
    const N = 32;
    const batchOf = () => Array.from({ length: streams }, () => ({ prompt: prompt(256), maxTokens: N, sampling: { temperature: 1, topP: 1, topLogprobs: 0 }, rng }));
    generate(model, batchOf(), { stop: none, keepCaches: false }); // warm up (see above)
    const gen = timed(() => generate(model, batchOf(), { stop: none, keepCaches: false }));
    const written = gen.value.reduce((n, g) => n + g.ids.length, 0);
    // the update: episode-long sequences (~256 tokens), a fifth of the tokens trained on (the actions)
    const optimizer = new AdamClip({ lr: 3e-4 });
    const vars = model.trainableVariables();
    const sequences = Array.from({ length: 16 }, () => {
      const ids = Int32Array.from(prompt(256));
      return { ids, positions: Int32Array.from({ length: 50 }, (_, i) => 5 * i + 2) };
    });
    const step = () => optimizer.step(() => tf.neg(tf.mean(model.tokenLogProbs({ sequences }).logp)) as tf.Scalar, vars);
    step();
    const upd = timed(() => {
      for (let i = 0; i < 3; i++) step();
    });
    const tokens = 3 * sequences.reduce((n, s) => n + s.ids.length, 0);
    console.log(`\n| throughput (${backend.name}) | tokens/s |\n|---|---|`);
    console.log(`| generation, ${streams} streams × ${N} tokens after 256-token prompts (prefill included) | ${(written / (gen.ms / 1000)).toFixed(0)} |`);
    console.log(`| update (forward + backward + Adam), 4,096-token minibatches | ${(tokens / (upd.ms / 1000)).toFixed(0)} (${((3 * 16 * 50) / (upd.ms / 1000)).toFixed(0)} trained tokens/s) |`);
    results.throughput = { generationTokensPerSecond: written / (gen.ms / 1000), updateTokensPerSecond: tokens / (upd.ms / 1000) };
    optimizer.dispose();
  }
  model.dispose();
}

interface Outcome {
  method: string;
  seed: number;
  success: number;
  invalidRate: number;
  envSteps: number;
  seconds: number;
}

async function evalRun(checkpointDir: string, config: Record<string, unknown>, env: string, envOptions: Record<string, unknown>, split: string, episodes: number, maxSteps: number): Promise<EvalSummary> {
  const dir = (await latestCheckpoint(checkpointDir)) as string;
  const cfg = resolveTrainConfig({ ...config, env, envOptions });
  const { policy } = await loadPolicy(dir, cfg, { trainable: false });
  const provider = new LocalEnvProvider(env, { ...envOptions, maxEpisodeSteps: maxSteps });
  try {
    const size = (await provider.describe()).splits[split] as number;
    return await evaluatePolicy(provider, policy, { split, episodes: episodes > 0 ? episodes : size, seed: 1_000_000, retries: 0 });
  } finally {
    policy.dispose();
    await provider.close();
  }
}

function methodConfig(method: string, seed: number, env: string, envOptions: Record<string, unknown>, maxSteps: number): Record<string, unknown> {
  const [kind, algo] = method.split('-') as [string, string];
  const lm = kind === 'lm' || kind === 'lmc';
  return {
    env,
    envOptions,
    policy: lm ? 'lm' : 'scorer',
    ...(lm ? { lm: { ...LM_OPTIONS, ...(kind === 'lmc' ? { constrain: true } : {}) } } : {}),
    algo,
    seed,
    demos: DEMOS,
    maxSteps,
    maxEnvSteps: BUDGET,
    iterations: ITERATIONS,
    db: DB,
    name: `${method}__seed${seed}`,
    checkpointDir: path.join(path.dirname(DB), `${method}-${env}-${seed}-${Date.now()}`),
  };
}

async function learn(env: string, envOptions: Record<string, unknown>, split: string, maxSteps: number, methods: readonly string[], label: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
    for (const method of methods) {
      const config = methodConfig(method, seed, env, envOptions, maxSteps);
      const t0 = performance.now();
      const result = await train(config, { log: (l) => console.error(`[${method} seed ${seed}] ${l}`) });
      const ev = await evalRun(result.checkpointDir, config, env, envOptions, split, EPISODES, maxSteps);
      const o = { method, seed, success: ev.successRate, invalidRate: ev.invalidRate, envSteps: result.envSteps, seconds: (performance.now() - t0) / 1000 };
      outcomes.push(o);
      console.log(`${label} seed ${seed} ${method.padEnd(13)} ${split} success ${(o.success * 100).toFixed(1)}%  invalid ${(o.invalidRate * 100).toFixed(1)}%  env steps ${o.envSteps}  ${o.seconds.toFixed(0)} s  (load ${load()})`);
    }
  }
  console.log(`\n${label}: ${split}, greedy, ${EPISODES || 'all'} episodes; budget ${BUDGET} env steps, ${DEMOS} expert demos; mean over seeds [95% bootstrap]`);
  console.log(`| method | success % | invalid-action rate % | RL env steps | time/seed (s) |\n|---|---|---|---|---|`);
  for (const method of methods) {
    const rows = outcomes.filter((o) => o.method === method);
    if (rows.length === 0) continue;
    console.log(`| ${method} | ${pctCi(rows.map((o) => o.success))} | ${pctCi(rows.map((o) => o.invalidRate))} | ${meanCi(rows.map((o) => o.envSteps)).mean.toFixed(0)} | ${meanCi(rows.map((o) => o.seconds)).mean.toFixed(0)} |`);
  }
  return outcomes;
}

if (PARTS.includes('learn')) {
  const outcomes = await learn('household-v1', { difficulty: DIFFICULTY }, 'valid_unseen', EVAL_STEPS, METHODS, `household-v1 (${DIFFICULTY})`);
  const diff = (a: string, b: string) => {
    const ds: number[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
      const x = outcomes.find((o) => o.method === a && o.seed === seed);
      const y = outcomes.find((o) => o.method === b && o.seed === seed);
      if (x && y) ds.push(x.success - y.success);
    }
    return ds;
  };
  const lines: string[] = [];
  for (const k of ['lm', 'lmc']) {
    const name = k === 'lm' ? 'LM' : 'LM constrained';
    if (METHODS.includes(`${k}-gigpo`) && METHODS.includes('scorer-gigpo')) lines.push(`| ${name} SFT+GiGPO − scorer SFT+GiGPO | ${pctCi(diff(`${k}-gigpo`, 'scorer-gigpo'))} |`);
    if (METHODS.includes(`${k}-gigpo`) && METHODS.includes(`${k}-grpo`)) lines.push(`| ${name} GiGPO − GRPO | ${pctCi(diff(`${k}-gigpo`, `${k}-grpo`))} |`);
    if (METHODS.includes(`${k}-gigpo`) && METHODS.includes(`${k}-sft`)) {
      const before = outcomes.filter((o) => o.method === `${k}-sft`).map((o) => o.invalidRate);
      const after = outcomes.filter((o) => o.method === `${k}-gigpo`).map((o) => o.invalidRate);
      lines.push(`| ${name} invalid-action rate after SFT (before RL) → after GiGPO | ${pctCi(before)} → ${pctCi(after)} |`);
      lines.push(`| ${name} success SFT+GiGPO − SFT | ${pctCi(diff(`${k}-gigpo`, `${k}-sft`))} |`);
    }
  }
  if (lines.length > 0) console.log(`\n| paired over seeds | mean [95% bootstrap] (points) |\n|---|---|\n${lines.join('\n')}`);
  results.learn = outcomes;
}

if (PARTS.includes('shop')) {
  const products = Number(arg('shop-products', '1000'));
  const outcomes = await learn('shop-v1', { products }, 'test', 15, arg('shop-methods', 'lm-gigpo').split(','), `shop-v1 (${products} products)`);
  console.log(`WebShop's IL baseline: 29.1% success on its test goals`);
  results.shop = outcomes;
}

if (PARTS.includes('default')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-lm-default-'));
  const t0 = performance.now();
  const r = await train({ policy: 'lm', db: path.join(dir, 'default.db'), checkpointDir: path.join(dir, 'ck') }, { log: (l) => console.error(`[default] ${l}`) });
  const minutes = (performance.now() - t0) / 60000;
  console.log(`\ndefault LM run (ludus train --policy lm, household easy): ${minutes.toFixed(1)} min on ${backend.name} (target ≤ 15 min), ${r.iterations} iterations, ${r.envSteps} env steps, last success ${((r.lastMetrics?.['charts/success_rate'] ?? 0) * 100).toFixed(1)}%`);
  results.default = { minutes, iterations: r.iterations, envSteps: r.envSteps, lastMetrics: r.lastMetrics };
}

console.log(`load average at the end ${load()}`);
if (JSON_OUT !== '') writeFileSync(JSON_OUT, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nruns in ${DB}`);
