/**
 * Importing WebShop's files into a shop-v1 catalog file (SQLite: products, FTS5 index, BM25
 * postings, goals), by streaming: the JSON files are read element by element (stream-json), never
 * whole, and products go to disk in batches as they are read. What stays in memory: the human goals
 * (12k), one batch of products, the postings held before a flush (FLUSH_POSTINGS) and the doc
 * lengths (2 bytes a product). The attribute file is streamed into a scratch table first and joined
 * per product. Budget: < 2 GiB resident for the full 1.18M-product file (bench:shop-data measures it).
 *
 * Goals follow WebShop's human-goal construction: for each product in file order, each of its human
 * instructions with at least one attribute becomes a goal; the list is then put in WebShop's order
 * (Python's random.seed(233) + shuffle, python-shuffle.ts), so goal g here is WebShop's goal g and
 * the split is WebShop's: test 0-499, eval 500-1,499, train 1,500+. The price bound: the larger of two
 * values drawn from the (up to) 4 values of PRICE_RANGE above the price (fixed per goal here; WebShop
 * draws them unseeded); fewer than 2 such values: no price clause.
 * @module
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamObject } from 'stream-json/streamers/stream-object.js';
import { DataError, dataInvalid } from '../../core/data-errors.js';
import { Rng } from '../../core/rng.js';
import { searchDocument, type Product } from '../catalog-gen.js';
import { PRICE_RANGE, webshopSplits, type ShopGoal } from '../goals.js';
import type { WebshopFiles } from './files.js';
import { PostingsBuilder } from './postings-builder.js';
import { webshopGoalOrder } from './python-shuffle.js';
import { DUMMY_ATTRIBUTE, readAttributes, readHumanInstructions, readProduct, type HumanInstruction } from './records.js';

/** Bump when the import changes: cache files carry it in their key. */
export const WEBSHOP_LOADER_VERSION = 1;
const BATCH = 2_000;

export interface Skip {
  reason: string;
  count: number;
  examples: string[];
}

export interface WebshopLoadReport {
  source: 'webshop';
  files: WebshopFiles;
  products: number;
  goals: number;
  splits: { test: number; eval: number; train: number };
  skipped: Skip[];
  /** Keys of product records that neither WebShop nor ludus reads: key → products carrying it. */
  unknownKeys: Record<string, number>;
  /** Products without an entry in the attribute file (they get ['DUMMY_ATTR'], as in WebShop). */
  productsWithoutAttributes: number;
  seconds: number;
  peakRssMiB: number;
}

class Skips {
  private readonly byReason = new Map<string, Skip>();
  add(reason: string, example: string): void {
    let s = this.byReason.get(reason);
    if (s === undefined) this.byReason.set(reason, (s = { reason, count: 0, examples: [] }));
    s.count++;
    if (s.examples.length < 5) s.examples.push(example);
  }
  list(): Skip[] {
    return [...this.byReason.values()];
  }
}

/** Streams the elements of a top-level JSON array (`array`) or object; parse errors name the file and the last good element. */
async function* streamJson(file: string, kind: 'array' | 'object'): AsyncGenerator<{ key: string | number; value: unknown }> {
  const stream = createReadStream(file).pipe(kind === 'array' ? streamArray.withParserAsStream() : streamObject.withParserAsStream());
  let last: string | number | null = null;
  try {
    for await (const item of stream as AsyncIterable<{ key: string | number; value: unknown }>) {
      last = item.key;
      yield item;
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const where = last === null ? 'before its first element' : `after element ${kind === 'array' ? `#${last}` : `'${last}'`}`;
    const top = /Top-level/.test(message) ? ` (the file must hold one JSON ${kind}: WebShop's ${kind === 'array' ? 'product list' : `{asin: ...} map`})` : ' (is the file complete? a truncated download ends like this)';
    throw dataInvalid(file, '', `malformed JSON ${where}: ${message}${top}`, { after: last });
  } finally {
    stream.destroy();
  }
}

function createSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE products (idx INTEGER PRIMARY KEY, asin TEXT NOT NULL, title TEXT NOT NULL, price REAL NOT NULL, query TEXT NOT NULL);
    CREATE TABLE items (idx INTEGER PRIMARY KEY, asin_key TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
    CREATE TABLE goals (idx INTEGER PRIMARY KEY, json TEXT NOT NULL);
    CREATE VIRTUAL TABLE docs USING fts5(doc, content='', columnsize=1, tokenize='unicode61');
    CREATE TABLE postings (term TEXT PRIMARY KEY, docs BLOB NOT NULL, tfs BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE doclens (id INTEGER PRIMARY KEY, lens BLOB NOT NULL, total REAL NOT NULL);
    CREATE TABLE attrs_scratch (asin TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
  `);
}

/** The goal's price bound (see the module doc); null: no price clause. */
export function goalPriceUpper(price: number, goalIndex: number): number | null {
  const above = PRICE_RANGE.filter((p) => p > price).slice(0, 4);
  if (above.length < 2) return null;
  const two = new Rng(`webshop-goal-price/${goalIndex}`).sample(above, 2);
  return Math.max(two[0]!, two[1]!);
}

/** Python's str.strip('.'). */
function stripDots(s: string): string {
  return s.replace(/^\.+|\.+$/g, '');
}

/** Imports `files` into a new catalog database at `dbFile` (which must not exist). */
export async function importWebshop(files: WebshopFiles, dbFile: string, cacheKey: string): Promise<WebshopLoadReport> {
  const t0 = performance.now();
  let peak = process.memoryUsage().rss;
  const sample = () => {
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
  };
  const db = new Database(dbFile);
  try {
    return await fill(db, files, cacheKey, t0, () => peak, sample);
  } finally {
    if (db.open) db.close();
  }
}

async function fill(db: Database.Database, files: WebshopFiles, cacheKey: string, t0: number, peakOf: () => number, sample: () => void): Promise<WebshopLoadReport> {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  createSchema(db);
  const skips = new Skips();

  // 1. Attributes → scratch table.
  const insAttr = db.prepare('INSERT OR REPLACE INTO attrs_scratch (asin, json) VALUES (?, ?)');
  let n = 0;
  db.exec('BEGIN');
  for await (const { key, value } of streamJson(files.attributes, 'object')) {
    insAttr.run(String(key), JSON.stringify(readAttributes(files.attributes, String(key), value)));
    if (++n % BATCH === 0) {
      db.exec('COMMIT; BEGIN');
      sample();
    }
  }
  db.exec('COMMIT');

  // 2. Human goals (small) → memory.
  const human = new Map<string, HumanInstruction[]>();
  for await (const { key, value } of streamJson(files.goals, 'object')) human.set(String(key), readHumanInstructions(files.goals, String(key), value));
  const humanUsed = new Set<string>();

  // 3. Products → items, search docs, postings; goal parts in product order.
  const insProduct = db.prepare('INSERT INTO products (idx, asin, title, price, query) VALUES (?, ?, ?, ?, ?)');
  const insItem = db.prepare('INSERT INTO items (idx, asin_key, json) VALUES (?, ?, ?)');
  const insDoc = db.prepare('INSERT INTO docs (rowid, doc) VALUES (?, ?)');
  const getAttr = db.prepare('SELECT json FROM attrs_scratch WHERE asin = ?').pluck();
  const postings = new PostingsBuilder(db);
  const seen = new Set<string>();
  const unknownKeys: Record<string, number> = {};
  const goalParts: { product: Product; instruction: HumanInstruction }[] = [];
  let withoutAttrs = 0;
  let idx = 0;
  db.exec('BEGIN');
  for await (const { key, value } of streamJson(files.products, 'array')) {
    const verdict = readProduct(files.products, Number(key), value);
    if (!verdict.ok) {
      skips.add(verdict.skip.replace(/'[^']*'/, "'…'"), `#${key}`);
      continue;
    }
    const raw = verdict.product;
    const asinKey = raw.asin.toUpperCase();
    if (seen.has(asinKey)) {
      skips.add('duplicate asin (the first product with that id is kept, as WebShop does)', `#${key} ${raw.asin}`);
      continue;
    }
    seen.add(asinKey);
    for (const k of verdict.unknownKeys) unknownKeys[k] = (unknownKeys[k] ?? 0) + 1;
    const attrJson = getAttr.get(raw.asin) as string | undefined;
    let attributes = attrJson === undefined ? [] : (JSON.parse(attrJson) as string[]);
    if (attrJson === undefined) withoutAttrs++;
    if (attributes.length === 0) attributes = [DUMMY_ATTRIBUTE];
    const product: Product = { ...raw, index: idx, attributes };
    const doc = searchDocument(product);
    insProduct.run(idx, product.asin, product.title, product.price, product.query);
    const { index: _i, ...stored } = product;
    insItem.run(idx, asinKey, JSON.stringify(stored));
    insDoc.run(idx, doc);
    postings.add(idx, doc);
    const instructions = human.get(raw.asin);
    if (instructions !== undefined) {
      humanUsed.add(raw.asin);
      for (const instruction of instructions) {
        if (instruction.attributes.length === 0) skips.add('human instruction without attributes (WebShop skips these too)', `${raw.asin}: ${instruction.instruction.slice(0, 60)}`);
        else goalParts.push({ product: { ...product, description: '', bullets: [] }, instruction });
      }
    }
    idx++;
    if (idx % BATCH === 0) {
      db.exec('COMMIT; BEGIN');
      sample();
    }
  }
  db.exec('COMMIT');
  for (const [asin, list] of human) if (!humanUsed.has(asin)) for (const _ of list) skips.add('human instruction for a product not in this product file', asin);
  if (idx === 0) {
    throw dataInvalid(files.products, '', 'holds no loadable product (an empty list, or every product skipped): check the file is WebShop\'s items_shuffle*.json.');
  }

  // 4. Postings, goals in WebShop's order, meta.
  db.exec('BEGIN');
  postings.finish();
  sample();
  db.exec('DROP TABLE attrs_scratch');
  const order = webshopGoalOrder(goalParts.length);
  const insGoal = db.prepare('INSERT INTO goals (idx, json) VALUES (?, ?)');
  order.forEach((orig, goalIndex) => {
    const { product, instruction } = goalParts[orig]!;
    const priceUpper = goalPriceUpper(product.price, goalIndex);
    const goal: ShopGoal = {
      goalIndex,
      asin: product.asin,
      productIndex: product.index,
      query: product.query,
      category: product.category,
      productCategory: product.productCategory,
      name: product.title,
      attributes: instruction.attributes,
      options: instruction.options.map((value) => ({ name: '', value })),
      priceUpper,
      instruction: stripDots(instruction.instruction) + (priceUpper === null ? '' : `, and price lower than ${priceUpper.toFixed(2)} dollars`),
    };
    insGoal.run(goalIndex, JSON.stringify(goal));
  });
  const report: WebshopLoadReport = {
    source: 'webshop',
    files,
    products: idx,
    goals: goalParts.length,
    splits: webshopSplits(goalParts.length),
    skipped: skips.list(),
    unknownKeys,
    productsWithoutAttributes: withoutAttrs,
    seconds: 0,
    peakRssMiB: 0,
  };
  const insMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  insMeta.run('source', 'webshop');
  insMeta.run('seed', '0');
  insMeta.run('products', String(idx));
  insMeta.run('goals', String(goalParts.length));
  insMeta.run('loader', String(WEBSHOP_LOADER_VERSION));
  insMeta.run('key', cacheKey);
  db.exec('COMMIT');
  db.exec("INSERT INTO docs (docs) VALUES ('optimize')");
  sample();
  report.seconds = (performance.now() - t0) / 1000;
  report.peakRssMiB = Math.round(peakOf() / 2 ** 20);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('report', JSON.stringify(report));
  return report;
}

/** Size, mtime and a hash of the first and last MiB: enough to notice a replaced or edited file without reading 5 GB. */
export function fileFingerprint(file: string): string {
  const st = statSync(file);
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(st.size, 1 << 20));
    h.update(buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)));
    if (st.size > buf.length) h.update(buf.subarray(0, readSync(fd, buf, 0, buf.length, st.size - buf.length)));
  } finally {
    closeSync(fd);
  }
  return `${path.basename(file)}:${st.size}:${Math.round(st.mtimeMs)}:${h.digest('hex').slice(0, 16)}`;
}

/** The cache key of an import of these files (loader version + every file's fingerprint). */
export function webshopCacheKey(files: WebshopFiles): string {
  const parts = [`loader${WEBSHOP_LOADER_VERSION}`, fileFingerprint(files.products), fileFingerprint(files.attributes), fileFingerprint(files.goals)];
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}
