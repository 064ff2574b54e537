/**
 * `npm run bench:shop`: shop-v1 at catalog scale.
 *  - catalog build time (fresh file in a temp dir; target ≤ 60 s at 100k);
 *  - search latency p50/p99 over real instructions and their query variants: our BM25 over the
 *    postings (what the env uses) vs FTS5's own `ORDER BY rank` (same ranking, the reference),
 *    FTS5 unranked MATCH and a LIKE scan over titles (baselines measured in the same run);
 *  - env steps/s (expert and random episodes, in process);
 *  - the oracle expert's success on N goals of each split.
 *
 *   npx tsx scripts/bench-shop.ts [--products 100000] [--queries 600] [--goals 200] [--seed 0]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import '../envs/builtin.js';
import { ExpertAgent } from '../agents/experts.js';
import { RandomAgent } from '../agents/random-agent.js';
import { runEpisode } from '../agents/run-episode.js';
import type { Observation } from '../envs/core/types.js';
import { shopQueryVariants } from '../agents/shop-queries.js';
import { make } from '../envs/core/registry.js';
import { Rng } from '../envs/core/rng.js';
import { buildCatalogFile, openCatalog, type Catalog } from '../envs/shop/catalog.js';
import { goalAt, goalIndexOf } from '../envs/shop/goals.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}

const PRODUCTS = Number(arg('products', '100000'));
const QUERIES = Number(arg('queries', '600'));
const GOALS = Number(arg('goals', '200'));
const SEED = Number(arg('seed', '0'));

const work = mkdtempSync(path.join(tmpdir(), 'ludus-bench-shop-'));
const file = path.join(work, 'catalog.db');
console.error(`building ${PRODUCTS} products...`);
const build = buildCatalogFile(file, SEED, PRODUCTS);
const catalog = openCatalog({ seed: SEED, products: PRODUCTS, catalogPath: file });

// Queries: instructions of test/eval goals and their agent-side variants.
const queries: string[] = [];
for (let g = 0; queries.length < QUERIES; g++) for (const q of shopQueryVariants(goalAt(SEED, PRODUCTS, g).instruction)) queries.push(q);
queries.length = QUERIES;

function latency(fn: (q: string) => unknown): { p50: number; p99: number; mean: number } {
  for (const q of queries.slice(0, 20)) fn(q); // warm up (postings cache, statement cache)
  const ms = queries.map((q) => {
    const t = performance.now();
    fn(q);
    return performance.now() - t;
  });
  const sorted = ms.slice().sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  return { p50: at(0.5), p99: at(0.99), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

const c: Catalog = catalog;
const methods: [string, (q: string) => unknown][] = [
  ['BM25 over postings (env)', (q) => c.search(q)],
  ['FTS5 ORDER BY rank (bm25)', (q) => c.searchFts(q)],
  ['FTS5 MATCH, unranked', (q) => c.searchUnranked(q)],
  ['LIKE scan over titles', (q) => c.searchLike(q)],
];
const lat = methods.map(([name, fn]) => ({ name, ...latency(fn) }));
let agree = 0;
for (const q of queries.slice(0, 100)) if (JSON.stringify(c.search(q)) === JSON.stringify(c.searchFts(q))) agree++;

// Env steps/s and expert success.
const envOptions = { products: PRODUCTS, catalogPath: file };
const env = make('shop-v1', envOptions);
const success: Record<string, { wins: number; score: number }> = {};
let expertSteps = 0;
let t0 = performance.now();
const expert = new ExpertAgent('shop-v1');
for (const split of ['test', 'eval', 'train'] as const) {
  const s = (success[split] = { wins: 0, score: 0 });
  for (let i = 0; i < GOALS; i++) {
    const ep = await runEpisode(env, expert, { reset: { task: { split, index: i }, seed: i }, maxSteps: 15, key: `${split}/${i}` });
    expertSteps += ep.steps.length;
    s.wins += ep.success ? 1 : 0;
    s.score += ep.steps.at(-1)?.result.reward ?? 0;
  }
}
const expertSecs = (performance.now() - t0) / 1000;
const random = new RandomAgent(new Rng('bench-shop'));
let randomSteps = 0;
t0 = performance.now();
for (let e = 0; e < GOALS; e++) {
  // The placeholder search becomes the full instruction (the first query candidate).
  const propose = (o: Observation) => o.actions.map((a) => (a === 'search[<query>]' ? `search[${o.goal}]` : a));
  const ep = await runEpisode(env, random, { reset: { task: { split: 'train', index: e }, seed: e }, maxSteps: 15, propose });
  randomSteps += ep.steps.length;
}
const randomSecs = (performance.now() - t0) / 1000;
await env.close();
catalog.close();
rmSync(work, { recursive: true, force: true });

const f = (x: number) => x.toFixed(2);
const ours = lat[0]!;
console.log(`\nshop-v1 bench: ${PRODUCTS} products (seed ${SEED}), ${QUERIES} queries (goal instructions + variants), ${GOALS} goals per split, node ${process.version}\n`);
console.log('| measure | value | target / baseline |');
console.log('|---|---|---|');
console.log(`| catalog build (SQLite + FTS5 + BM25 postings) | ${build.seconds.toFixed(1)} s | ≤ 60 s |`);
for (const l of lat) {
  const ratio = l === ours ? 'target p99 ≤ 10 ms' : `p50 ×${(l.p50 / ours.p50).toFixed(1)}, p99 ×${(l.p99 / ours.p99).toFixed(1)} vs env search`;
  console.log(`| search p50 / p99 / mean: ${l.name} | ${f(l.p50)} / ${f(l.p99)} / ${f(l.mean)} ms | ${ratio} |`);
}
console.log(`| env search = FTS5 ranking (top 50, same order) | ${agree}/100 queries | 100 |`);
console.log(`| env steps/s, expert episodes | ${(expertSteps / expertSecs).toFixed(0)} | - |`);
console.log(`| env steps/s, random episodes (search = instruction) | ${(randomSteps / randomSecs).toFixed(0)} | - |`);
for (const [split, s] of Object.entries(success)) {
  console.log(`| expert success / mean score, ${split} (${GOALS} goals) | ${((s.wins / GOALS) * 100).toFixed(1)}% / ${(s.score / GOALS).toFixed(3)} | ≥ 95% |`);
}
console.log(`\n(goal indices: test ${goalIndexOf('test', 0)}.., eval ${goalIndexOf('eval', 0)}.., train ${goalIndexOf('train', 0)}..)`);
