/**
 * `npm run bench:shop-data`: shop-v1 on WebShop's own files. Reports, in one run:
 *  1. the REAL WebShop data when present (--data DIR|items_shuffle*.json, or $WEBSHOP_DATA):
 *     import time (cold, with --fresh; else the cache load), peak RSS, products and goals, and
 *     search p50/p99 over its human goals' instructions and their query variants;
 *     when absent, the same on the committed fixture (tests/fixtures/webshop), SAID SO in the output;
 *  2. a WebShop-format file of --synthetic N products written from the generator (default 20,000),
 *     imported by the same streaming loader: import rate and peak RSS (the memory check that
 *     does not need the 5 GB real file; the full 1.18M-product file is the budget's real test);
 *  3. the generated --generated N catalog (default 100,000, built or reused in the cache dir):
 *     search p50/p99 over the same kind of queries, beside the real one.
 *
 *   nice -n 10 npx tsx scripts/bench-shop-data.ts [--data DIR] [--fresh] [--synthetic 20000] [--generated 100000] [--queries 500]
 * @module
 */
import { cpSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shopQueryVariants } from '../agents/shop-queries.js';
import { generateProduct } from '../envs/shop/catalog-gen.js';
import { closeAllCatalogs, openCatalog, type Catalog } from '../envs/shop/catalog.js';
import { goalAt } from '../envs/shop/goals.js';
import { locateWebshopFiles } from '../envs/shop/webshop/files.js';
import { openWebshopCatalog } from '../envs/shop/webshop/open.js';
import { webshopCachePath } from '../envs/shop/webshop/open.js';
import { webshopCacheKey } from '../envs/shop/webshop/import.js';

function arg(name: string, fallback: string | undefined): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : fallback;
}
const DATA = arg('data', process.env.WEBSHOP_DATA);
const FRESH = process.argv.includes('--fresh');
const SYNTHETIC = Number(arg('synthetic', '20000'));
const GENERATED = Number(arg('generated', '100000'));
const QUERIES = Number(arg('queries', '500'));

function latency(c: Catalog, queries: readonly string[]): { p50: number; p99: number } {
  for (const q of queries.slice(0, 20)) c.search(q);
  const ms = queries.map((q) => {
    const t = performance.now();
    c.search(q);
    return performance.now() - t;
  });
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

function queriesFrom(instructions: Iterable<string>): string[] {
  const out: string[] = [];
  for (const i of instructions) {
    for (const q of shopQueryVariants(i)) out.push(q);
    if (out.length >= QUERIES) break;
  }
  return out.slice(0, QUERIES);
}

const work = mkdtempSync(path.join(tmpdir(), 'ludus-bench-shop-data-'));
const rows: string[] = [];
try {
  // 1. The real data, or the fixture.
  let dir = DATA;
  let which = 'real WebShop data';
  if (dir === undefined) {
    which = 'FIXTURE (no real WebShop data given: pass --data or set WEBSHOP_DATA)';
    dir = path.join(work, 'fixture');
    cpSync(path.resolve('tests/fixtures/webshop'), dir, { recursive: true });
  }
  if (FRESH) {
    const files = locateWebshopFiles(dir);
    rmSync(webshopCachePath(files, webshopCacheKey(files)), { force: true });
  }
  const t0 = performance.now();
  const real = await openWebshopCatalog({ path: dir });
  const loadS = (performance.now() - t0) / 1000;
  const goals = Array.from({ length: Math.min(real.report.goals, 2000) }, (_, g) => real.catalog.goal(g).instruction);
  const rq = queriesFrom(goals.length > 0 ? goals : ['shampoo']);
  const rl = latency(real.catalog, rq);
  rows.push(`| ${which} | ${real.report.products.toLocaleString('en')} products, ${real.report.goals.toLocaleString('en')} goals | ${real.reused ? `cache reused: ${loadS.toFixed(2)} s (import was ${real.report.seconds.toFixed(1)} s)` : `import ${loadS.toFixed(1)} s`} | ${real.report.peakRssMiB} MiB (import) | ${rl.p50.toFixed(2)} / ${rl.p99.toFixed(2)} ms (${rq.length} queries) |`);
  closeAllCatalogs();

  // 2. A synthetic file in WebShop's format.
  const sdir = path.join(work, 'synthetic');
  cpSync(path.resolve('tests/fixtures/webshop'), sdir, { recursive: true });
  const out = createWriteStream(path.join(sdir, 'items_shuffle_fixture.json'));
  const attrs: Record<string, { attributes: string[] }> = {};
  out.write('[');
  for (let i = 0; i < SYNTHETIC; i++) {
    const p = generateProduct(7, i);
    const rec = {
      asin: `S${String(i).padStart(9, '0')}`, name: p.title, full_description: p.description, small_description: p.bullets, pricing: `$${p.price.toFixed(2)}`,
      customization_options: Object.fromEntries(p.options.map((o) => [o.name, o.values.map((v) => ({ value: v, image: null }))])),
      category: p.category, query: p.query, product_category: p.productCategory, images: [''],
    };
    attrs[rec.asin] = { attributes: p.attributes };
    if (!out.write(`${i === 0 ? '' : ','}${JSON.stringify(rec)}`)) await once(out, 'drain');
  }
  out.end(']');
  await once(out, 'finish');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(sdir, 'items_ins_v2_fixture.json'), JSON.stringify(attrs));
  const t1 = performance.now();
  const syn = await openWebshopCatalog({ path: sdir, notice: () => {} });
  const synS = (performance.now() - t1) / 1000;
  const sq = queriesFrom(Array.from({ length: 300 }, (_, g) => goalAt(7, SYNTHETIC, g).instruction));
  const sl = latency(syn.catalog, sq);
  rows.push(`| synthetic WebShop-format file (generator, seed 7) | ${syn.report.products.toLocaleString('en')} products | import ${synS.toFixed(1)} s (${Math.round(syn.report.products / synS).toLocaleString('en')} products/s) | ${syn.report.peakRssMiB} MiB (import) | ${sl.p50.toFixed(2)} / ${sl.p99.toFixed(2)} ms (${sq.length} queries) |`);
  closeAllCatalogs();

  // 3. The generated catalog.
  const t2 = performance.now();
  const gen = openCatalog({ seed: 0, products: GENERATED });
  const genS = (performance.now() - t2) / 1000;
  const gq = queriesFrom(Array.from({ length: 300 }, (_, g) => goalAt(0, GENERATED, g).instruction));
  const gl = latency(gen, gq);
  rows.push(`| generated catalog (seed 0) | ${GENERATED.toLocaleString('en')} products | open ${genS.toFixed(1)} s${genS > 5 ? ' (built)' : ' (cached)'} | — | ${gl.p50.toFixed(2)} / ${gl.p99.toFixed(2)} ms (${gq.length} queries) |`);
  closeAllCatalogs();
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log('| catalog | size | load | peak RSS | search p50 / p99 |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log(`\nprocess max RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
