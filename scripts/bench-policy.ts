/**
 * Policy throughput: PPO update rows/s and rollout forward steps/s on wasm, for the memory policy
 * (the default `bag` layout over the whole episode) and the format-1 `window` policy (the last 2
 * steps), against the memory policy on the pure-JS cpu backend (smaller batch) as the in-run
 * baseline.
 *
 *   npx tsx scripts/bench-policy.ts [--rows 6400] [--minibatch 512] [--candidates 15] [--sessions 128]
 *                                   [--episode 30] [--cpu-rows 512] [--repeats 2] [--no-cpu] [--no-window]
 *
 * Each measurement is the best of --repeats runs (the machine may be shared).
 *
 * Synthetic ALFWorld-like decisions from episodes of --episode steps: a goal (~8 words), an
 * observation (~60 words), the whole history so far (0..episode-1 steps, ~50-word observations; rows
 * of one episode share their history steps, as rollouts do), and ~15 candidates (5..25) of 3-6
 * words, drawn from a 600-word vocabulary.
 */

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../envs/core/rng.js';
import {
  ActionScorer,
  AdamClip,
  selectBackend,
  type BackendName,
  type MemoryLayout,
  type PolicyInput,
  type PolicyRow,
} from '../agents/policy/index.js';
import { ppoLoss } from '../trainer/losses/ppo.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ROWS = arg('rows', 6400);
const MINIBATCH = arg('minibatch', 512);
const CANDIDATES = arg('candidates', 15);
const SESSIONS = arg('sessions', 128);
const CPU_ROWS = arg('cpu-rows', 512);
const EPISODE = arg('episode', 30);
const RUN_WINDOW = !process.argv.includes('--no-window');
const REPEATS = arg('repeats', 2);
const RUN_CPU = !process.argv.includes('--no-cpu');

// ---------------------------------------------------------------------------------------------
// Synthetic data

const rng = new Rng('bench-policy');
const VOCAB = Array.from({ length: 600 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);
const OBJECTS = Array.from({ length: 80 }, (_, i) => `${VOCAB[(i * 7) % 600]} ${1 + (i % 5)}`);
const VERBS = ['go to', 'take', 'put', 'open', 'close', 'clean', 'heat', 'cool', 'use', 'examine'];

function words(n: number): string {
  return Array.from({ length: n }, () => rng.pick(VOCAB)).join(' ');
}
function action(): string {
  return `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}${rng.bool(0.4) ? ` from ${rng.pick(OBJECTS)}` : ''}`;
}
function decision(history: PolicyRow['history'] = [], goal = `put a ${words(2)} in ${rng.pick(OBJECTS)}`): PolicyRow {
  const n = Math.max(2, CANDIDATES - 10 + rng.int(21));
  const candidates = Array.from({ length: n }, action);
  return { goal, text: words(40 + rng.int(40)), history, candidates, chosen: rng.int(n) };
}

/** `count` decisions from episodes of EPISODE steps: row t of an episode has the t steps before it as history. */
function episodeRows(count: number): PolicyRow[] {
  const out: PolicyRow[] = [];
  while (out.length < count) {
    const goal = `put a ${words(2)} in ${rng.pick(OBJECTS)}`;
    const history: { observation: string; action: string }[] = [];
    for (let t = 0; t < EPISODE && out.length < count; t++) {
      const row = decision(history.slice(), goal);
      out.push(row);
      history.push({ observation: row.text, action: row.candidates[row.chosen] as string });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface Result {
  /** Backend and policy ('wasm memory', 'wasm window', 'cpu memory'). */
  backend: string;
  what: string;
  n: number;
  seconds: number;
  rate: number;
  unit: string;
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const out = f();
  return [out, (performance.now() - t0) / 1000];
}

function update(
  scorer: ActionScorer,
  ref: ActionScorer,
  opt: AdamClip,
  rows: PolicyRow[],
  minibatch: number,
): { seconds: number; logpSeconds: number; featurizeSeconds: number } {
  const [, featurizeSeconds] = time(() => {
    for (let s = 0; s < rows.length; s += 1024) scorer.encode(rows.slice(s, s + 1024));
  });
  const [old, logpSeconds1] = time(() => scorer.policyLogProbs(rows));
  const [refLp, logpSeconds2] = time(() => ref.policyLogProbs(rows));
  const adv = rows.map(() => rng.next() * 2 - 1);
  const order = rng.shuffle(rows.map((_, i) => i));
  const [, seconds] = time(() => {
    for (let s = 0; s < order.length; s += minibatch) {
      const idx = order.slice(s, s + minibatch);
      const enc = scorer.encode(idx.map((i) => rows[i] as PolicyRow));
      opt.step(() => {
        const out = scorer.logProbsInGraph(enc);
        const { loss, stats } = ppoLoss({
          logp: out.logp,
          logpOld: tf.tensor1d(idx.map((i) => old.logp[i] as number)),
          logpRef: tf.tensor1d(idx.map((i) => refLp.logp[i] as number)),
          advantages: tf.tensor1d(idx.map((i) => adv[i] as number)),
          entropy: out.entropy,
        });
        return { loss, stats: { clipFrac: stats.clipFrac } };
      }, scorer.trainableVariables());
    }
  });
  return { seconds, logpSeconds: logpSeconds1 + logpSeconds2, featurizeSeconds };
}

/** `steps` forward passes, each over a fresh batch of sessions (new texts: featurisation included). */
function rollout(scorer: ActionScorer, steps: PolicyInput[][]): number {
  const r = new Rng('rollout');
  const [, seconds] = time(() => {
    for (const sessions of steps) scorer.act(sessions, { rng: r });
  });
  return seconds;
}

async function benchBackend(backend: BackendName, rows: PolicyRow[], steps: PolicyInput[][], memory: MemoryLayout): Promise<Result[]> {
  const sel = await selectBackend({ prefer: backend, warn: () => undefined });
  const scorer = ActionScorer.create({ seed: 1, featurizer: memory === 'bag' ? {} : { memory: 'window', historyLength: 2 } });
  const label = memory === 'bag' ? 'memory' : 'window';
  {
    const c = scorer.config;
    console.log(
      `${label} policy on ${sel.name}: dim ${c.featurizer.dim}, hidden ${c.hidden}, mlpHidden ${c.mlpHidden}, layout ${c.featurizer.memory}, history ${c.featurizer.historyLength}, ` +
        `${scorer.featurizer.fields} fields, ${scorer.parameterCount()} parameters; backends tried: ${sel.tried.map((t) => t.name).join(' → ')}`,
    );
  }
  const ref = scorer.clone();
  const opt = new AdamClip({ lr: 1e-3 });
  // Warm up (kernel init, featurizer memo) on a small slice.
  const warm = episodeRows(64);
  update(scorer, ref, opt, warm, MINIBATCH);
  rollout(scorer, [warm]);
  // Best of REPEATS (the machine may be shared; the fastest run is the least disturbed).
  // Each repeat uses fresh row objects, so featurisation is cold every time.
  let u = { seconds: Infinity, logpSeconds: Infinity, featurizeSeconds: Infinity };
  let r = Infinity;
  for (let rep = 0; rep < REPEATS; rep++) {
    const fresh = rows.map((x) => ({ ...x, history: x.history?.map((h) => ({ ...h })) }));
    scorer.featurizer.clearCache();
    const ur = update(scorer, ref, opt, fresh, MINIBATCH);
    u = { seconds: Math.min(u.seconds, ur.seconds), logpSeconds: Math.min(u.logpSeconds, ur.logpSeconds), featurizeSeconds: Math.min(u.featurizeSeconds, ur.featurizeSeconds) };
    scorer.featurizer.clearCache();
    r = Math.min(r, rollout(scorer, steps.map((batch) => batch.map((x) => ({ ...x })))));
  }
  const n = steps.length;
  const per = steps[0]?.length ?? 0;
  const b = `${sel.name} ${label}`;
  const out: Result[] = [
    { backend: b, what: `PPO update (1 epoch, minibatch ${MINIBATCH})`, n: rows.length, seconds: u.seconds, rate: rows.length / u.seconds, unit: 'rows/s' },
    { backend: b, what: 'log-prob pass, no grad (policy + ref)', n: rows.length * 2, seconds: u.logpSeconds, rate: (rows.length * 2) / u.logpSeconds, unit: 'rows/s' },
    { backend: b, what: 'featurize new rows (JS, cold text memo)', n: rows.length, seconds: u.featurizeSeconds, rate: rows.length / u.featurizeSeconds, unit: 'rows/s' },
    { backend: b, what: `rollout act(), ${per} sessions`, n, seconds: r, rate: n / r, unit: 'steps/s' },
  ];
  scorer.dispose();
  ref.dispose();
  opt.dispose();
  return out;
}

const rows = episodeRows(ROWS);
const steps = (k: number): PolicyInput[][] => Array.from({ length: k }, () => episodeRows(SESSIONS * 4).filter((_, i) => i % 4 === 0).slice(0, SESSIONS));
const meanCands = rows.reduce((s, r) => s + r.candidates.length, 0) / rows.length;
const meanHistory = rows.reduce((s, r) => s + (r.history?.length ?? 0), 0) / rows.length;
console.log(`rows ${ROWS}, mean candidates ${meanCands.toFixed(1)}, mean history ${meanHistory.toFixed(1)} steps, minibatch ${MINIBATCH}, rollout sessions ${SESSIONS}`);

const results: Result[] = [];
results.push(...(await benchBackend('wasm', rows, steps(20), 'bag')));
if (RUN_WINDOW) results.push(...(await benchBackend('wasm', rows, steps(20), 'window')));
if (RUN_CPU) results.push(...(await benchBackend('cpu', rows.slice(0, CPU_ROWS), steps(3), 'bag')));

const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`\n| backend, policy | measurement | n | seconds | rate |`);
console.log('|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.backend} | ${r.what} | ${r.n} | ${r.seconds.toFixed(2)} | ${r.rate.toFixed(0)} ${r.unit} |`);
if (RUN_CPU) {
  console.log('\nwasm memory / cpu memory ratio:');
  for (const w of results.filter((r) => r.backend === 'wasm memory')) {
    const c = results.find((r) => r.backend === 'cpu memory' && r.unit === w.unit && r.what.split(',')[0] === w.what.split(',')[0]);
    if (c !== undefined) console.log(`  ${pad(w.what, 42)} ${(w.rate / c.rate).toFixed(1)}x`);
  }
}
const upd = results.find((r) => r.backend === 'wasm memory' && r.unit === 'rows/s');
if (upd !== undefined) console.log(`\nPPO update of the memory policy on wasm: ${upd.rate.toFixed(0)} rows/s (target >= 2000): ${upd.rate >= 2000 ? 'OK' : 'BELOW TARGET'}`);
