/**
 * The catalog: a SQLite file with an FTS5 index of every product's search document (WebShop's
 * title + description + first bullet + option text), ranked by BM25, plus the product generator
 * for everything a page shows.
 *
 * Ranking. FTS5's own `ORDER BY rank` (bm25()) is exact but scores every matching row through the
 * auxiliary-function API: 20-60 ms for a 10-word instruction at 100k products. So the same file also
 * keeps the index as postings BLOBs (term → doc ids + term frequencies, and every doc's length in
 * tokens), and `search` scores BM25 over them in typed arrays with FTS5's formula and parameters
 * (k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6) and the same tokens
 * (unicode61 on ASCII text = runs of [a-z0-9]). Results equal FTS5's ranking up to float ties
 * (tests/envs/shop/catalog.test.ts compares them); `searchFts` is the FTS5 reference.
 *
 * Where catalogs live:
 *  - `openCatalog({ seed, products })` shares one open catalog per (seed, size, file) in the process.
 *  - Up to SMALL_CATALOG products (tests use 1k) are built in memory on first use (well under a second).
 *  - Larger catalogs are built once into `<cacheDir>/shop-catalog-g<gen>-s<seed>-n<size>.db`
 *    (cacheDir: option, else $LUDUS_CACHE_DIR, else `./.ludus-cache`), written to a temp file and
 *    renamed, with a one-line notice on stderr; later opens reuse the file.
 *  - `catalogPath` opens a file made by `ludus shop build` (its meta says seed and size).
 *  - A catalog imported from WebShop's own files (webshop/open.ts; meta `source = webshop`) keeps
 *    its products as JSON rows (`items`) and its human goals in WebShop's order (`goals`); the same
 *    search, pages and reward run over it. `product`, `productByAsin`, `goal` and `splits` hide
 *    which kind a catalog is.
 *
 * Queries never reach FTS5 as syntax: they are cut into lower-case alphanumeric words, stop words
 * dropped, at most MAX_QUERY_TERMS kept, each quoted and OR-ed. So quotes, NEAR, *, parentheses,
 * colons and AND/OR/NOT are plain words or ignored, never an SQL or FTS5 error.
 * @module
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LudusError } from '../core/errors.js';
import { CATALOG_GENERATOR_VERSION, generateProduct, indexOfAsin, searchDocument, type Product } from './catalog-gen.js';
import { goalAt, SHOP_SPLITS, webshopSplits, type ShopGoal, type ShopSplit } from './goals.js';

export const SMALL_CATALOG = 5_000;
export const SEARCH_RETURN_N = 50;
export const MAX_QUERY_TERMS = 24;
/** Bytes of postings a catalog keeps in memory between searches (least recently used evicted). */
export const POSTINGS_CACHE_BYTES = 256 * 2 ** 20;
/** Characters of a query that are looked at; the rest is ignored. */
export const MAX_QUERY_CHARS = 1_000;

const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have i i\'m im in is it its looking me my need of on or that the this to want was were will with would you your find show buy get please some than lower price dollars'.split(' '),
);

/** The words a query searches for (see the module doc). Empty when nothing is searchable. */
export function queryTerms(query: string): string[] {
  const words = query.slice(0, MAX_QUERY_CHARS).toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const out: string[] = [];
  for (const w of words) {
    if (STOP_WORDS.has(w) || (w.length < 2 && !/\d/.test(w)) || out.includes(w)) continue;
    out.push(w);
    if (out.length >= MAX_QUERY_TERMS) break;
  }
  return out;
}

/** The tokens FTS5's unicode61 tokenizer makes of lower-case ASCII text. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

const K1 = 1.2;
const B = 0.75;

/** The FTS5 MATCH expression for the terms: each quoted, OR-ed. */
export function matchExpression(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"`).join(' OR ');
}

export interface CatalogMeta {
  seed: number;
  products: number;
  generator: number;
}

export interface BuildStats {
  products: number;
  seconds: number;
  path: string;
}

function createSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE products (idx INTEGER PRIMARY KEY, asin TEXT NOT NULL, title TEXT NOT NULL, price REAL NOT NULL, query TEXT NOT NULL);
    CREATE VIRTUAL TABLE docs USING fts5(doc, content='', columnsize=1, tokenize='unicode61');
    CREATE TABLE postings (term TEXT PRIMARY KEY, docs BLOB NOT NULL, tfs BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE doclens (id INTEGER PRIMARY KEY, lens BLOB NOT NULL, total REAL NOT NULL);
  `);
}

/** Fills an empty database with `products` products of catalog `seed`. */
function fill(db: Database.Database, seed: number, products: number): void {
  createSchema(db);
  const insMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  const insProduct = db.prepare('INSERT INTO products (idx, asin, title, price, query) VALUES (?, ?, ?, ?, ?)');
  const insDoc = db.prepare('INSERT INTO docs (rowid, doc) VALUES (?, ?)');
  const insPostings = db.prepare('INSERT INTO postings (term, docs, tfs) VALUES (?, ?, ?)');
  const lens = new Uint16Array(products);
  const post = new Map<string, { docs: number[]; tfs: number[] }>();
  let total = 0;
  db.transaction(() => {
    insMeta.run('seed', String(seed));
    insMeta.run('products', String(products));
    insMeta.run('generator', String(CATALOG_GENERATOR_VERSION));
    for (let i = 0; i < products; i++) {
      const p = generateProduct(seed, i);
      const doc = searchDocument(p);
      insProduct.run(i, p.asin, p.title, p.price, p.query);
      insDoc.run(i, doc);
      const tokens = tokenize(doc);
      lens[i] = Math.min(65535, tokens.length);
      total += tokens.length;
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let e = post.get(t);
        if (e === undefined) post.set(t, (e = { docs: [], tfs: [] }));
        e.docs.push(i);
        e.tfs.push(Math.min(255, n));
      }
    }
    for (const [t, e] of post) insPostings.run(t, Buffer.from(Int32Array.from(e.docs).buffer), Buffer.from(Uint8Array.from(e.tfs).buffer));
    db.prepare('INSERT INTO doclens (id, lens, total) VALUES (1, ?, ?)').run(Buffer.from(lens.buffer), total);
  })();
  db.exec("INSERT INTO docs (docs) VALUES ('optimize')");
}

/** Builds a catalog file (replacing `file` atomically). */
export function buildCatalogFile(file: string, seed: number, products: number): BuildStats {
  const t0 = performance.now();
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const db = new Database(tmp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    fill(db, seed, products);
    db.close();
    renameSync(tmp, file);
  } catch (err) {
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    throw err;
  }
  return { products, seconds: (performance.now() - t0) / 1000, path: file };
}

export type CatalogSource = 'generated' | 'webshop';

export class Catalog {
  readonly seed: number;
  readonly size: number;
  /** Generated from a seed, or imported from WebShop's files. */
  readonly source: CatalogSource;
  /** Goals per split (WebShop's split of its goal list for an imported catalog). */
  readonly splits: Readonly<Record<ShopSplit, number>>;
  /** The file, or ':memory:'. */
  readonly location: string;
  private readonly db: Database.Database;
  private readonly searchStmt: Database.Statement;
  private readonly cache = new Map<number, Product>();
  private readonly postingsStmt: Database.Statement;
  /** Postings read so far, least recently used first; bounded by POSTINGS_CACHE_BYTES. */
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Uint8Array } | null>();
  private postingsBytes = 0;
  private readonly itemStmt: Database.Statement | null = null;
  private readonly asinStmt: Database.Statement | null = null;
  private readonly goalStmt: Database.Statement | null = null;
  private readonly goalCache = new Map<number, ShopGoal>();
  private readonly lens: Uint16Array;
  private readonly avgdl: number;
  private readonly scores: Float64Array;

  constructor(db: Database.Database, location: string) {
    this.db = db;
    this.location = location;
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    this.source = meta.source === 'webshop' ? 'webshop' : 'generated';
    if (this.source === 'webshop') {
      this.itemStmt = db.prepare('SELECT json FROM items WHERE idx = ?').pluck();
      this.asinStmt = db.prepare('SELECT idx FROM items WHERE asin_key = ?').pluck();
      this.goalStmt = db.prepare('SELECT json FROM goals WHERE idx = ?').pluck();
      this.splits = webshopSplits(Number(meta.goals));
    } else {
      this.splits = SHOP_SPLITS;
    }
    if (this.source === 'generated' && Number(meta.generator) !== CATALOG_GENERATOR_VERSION) {
      throw new LudusError('OPTIONS_INVALID', `The shop catalog ${location} was made by generator v${meta.generator}, this ludus needs v${CATALOG_GENERATOR_VERSION}: rebuild it with \`ludus shop build\`.`);
    }
    this.seed = Number(meta.seed);
    this.size = Number(meta.products);
    this.searchStmt = db.prepare(`SELECT rowid AS idx FROM docs WHERE docs MATCH ? ORDER BY rank, rowid LIMIT ?`);
    this.postingsStmt = db.prepare('SELECT docs, tfs FROM postings WHERE term = ?');
    const row = db.prepare('SELECT lens, total FROM doclens WHERE id = 1').get() as { lens: Buffer; total: number };
    this.lens = new Uint16Array(row.lens.buffer.slice(row.lens.byteOffset, row.lens.byteOffset + row.lens.byteLength));
    this.avgdl = this.size > 0 ? row.total / this.size : 1;
    this.scores = new Float64Array(this.size);
  }

  private postingsOf(term: string): { docs: Int32Array; tfs: Uint8Array } | null {
    if (this.postings.has(term)) {
      const hit = this.postings.get(term) ?? null;
      this.postings.delete(term);
      this.postings.set(term, hit);
      return hit;
    }
    const row = this.postingsStmt.get(term) as { docs: Buffer; tfs: Buffer } | undefined;
    const entry =
      row === undefined
        ? null
        : {
            docs: new Int32Array(row.docs.buffer.slice(row.docs.byteOffset, row.docs.byteOffset + row.docs.byteLength)),
            tfs: new Uint8Array(row.tfs.buffer.slice(row.tfs.byteOffset, row.tfs.byteOffset + row.tfs.byteLength)),
          };
    this.postings.set(term, entry);
    this.postingsBytes += entry === null ? 16 : entry.docs.byteLength + entry.tfs.byteLength;
    while (this.postingsBytes > POSTINGS_CACHE_BYTES && this.postings.size > 1) {
      const [oldest, e] = this.postings.entries().next().value as [string, { docs: Int32Array; tfs: Uint8Array } | null];
      this.postings.delete(oldest);
      this.postingsBytes -= e === null ? 16 : e.docs.byteLength + e.tfs.byteLength;
    }
    return entry;
  }

  /** Product indices for a free-text query, best first (BM25, ties by index), at most `limit`. Never throws on text. */
  search(query: string, limit = SEARCH_RETURN_N): number[] {
    return this.searchScored(query, limit).map((r) => r.index);
  }

  /** `search` with the BM25 scores (higher is better). */
  searchScored(query: string, limit = SEARCH_RETURN_N): { index: number; score: number }[] {
    const terms = queryTerms(query);
    if (terms.length === 0 || limit <= 0) return [];
    const scores = this.scores;
    const lens = this.lens;
    const touched: number[] = [];
    const n = this.size;
    for (const term of terms) {
      const p = this.postingsOf(term);
      if (p === null) continue;
      let idf = Math.log((n - p.docs.length + 0.5) / (p.docs.length + 0.5));
      if (idf <= 0) idf = 1e-6;
      const { docs, tfs } = p;
      for (let k = 0; k < docs.length; k++) {
        const d = docs[k]!;
        const tf = tfs[k]!;
        if (scores[d] === 0) touched.push(d);
        scores[d] += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lens[d]!) / this.avgdl));
      }
    }
    // Top `limit` by (score desc, index asc), kept sorted in a small array.
    const top: { index: number; score: number }[] = [];
    for (const d of touched) {
      const s = scores[d]!;
      scores[d] = 0;
      if (top.length === limit) {
        const last = top[limit - 1]!;
        if (s < last.score || (s === last.score && d > last.index)) continue;
      }
      let i = top.length;
      while (i > 0 && (top[i - 1]!.score < s || (top[i - 1]!.score === s && top[i - 1]!.index > d))) i--;
      top.splice(i, 0, { index: d, score: s });
      if (top.length > limit) top.pop();
    }
    return top;
  }

  /** FTS5's own ranking (`ORDER BY rank`, bm25()): the reference `search` agrees with, and a benchmark baseline. */
  searchFts(query: string, limit = SEARCH_RETURN_N): number[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    return (this.searchStmt.all(matchExpression(terms), limit) as { idx: number }[]).map((r) => r.idx);
  }

  /** The same match without ranking (the benchmark's baseline). */
  searchUnranked(query: string, limit = SEARCH_RETURN_N): number[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    return (this.db.prepare('SELECT rowid AS idx FROM docs WHERE docs MATCH ? LIMIT ?').all(matchExpression(terms), limit) as { idx: number }[]).map((r) => r.idx);
  }

  /** A plain LIKE scan over titles, first matches (the benchmark's naive baseline). */
  searchLike(query: string, limit = SEARCH_RETURN_N): number[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const where = terms.map(() => 'lower(title) LIKE ?').join(' OR ');
    return (this.db.prepare(`SELECT idx FROM products WHERE ${where} LIMIT ?`).all(...terms.map((t) => `%${t}%`), limit) as { idx: number }[]).map((r) => r.idx);
  }

  product(index: number): Product {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`No product ${index} in a catalog of ${this.size}`);
    let p = this.cache.get(index);
    if (p === undefined) {
      if (this.cache.size >= 4096) this.cache.clear();
      p = this.itemStmt === null ? generateProduct(this.seed, index) : ({ ...(JSON.parse(this.itemStmt.get(index) as string) as Omit<Product, 'index'>), index } as Product);
      this.cache.set(index, p);
    }
    return p;
  }

  /** The product with this ASIN, or null (unknown or malformed). */
  productByAsin(asin: string): Product | null {
    if (this.asinStmt !== null) {
      const found = typeof asin === 'string' && asin.length <= 64 ? (this.asinStmt.get(asin.trim().toUpperCase()) as number | undefined) : undefined;
      return found === undefined ? null : this.product(found);
    }
    const idx = indexOfAsin(this.seed, this.size, asin);
    return idx === null ? null : this.product(idx);
  }

  /** Goal `goalIndex` (test 0.., eval 500.., train 1500..): generated from the seed, or WebShop's human goal. */
  goal(goalIndex: number): ShopGoal {
    if (this.goalStmt === null) return goalAt(this.seed, this.size, goalIndex);
    let g = this.goalCache.get(goalIndex);
    if (g === undefined) {
      const json = this.goalStmt.get(goalIndex) as string | undefined;
      if (json === undefined) throw new RangeError(`No goal ${goalIndex} in this WebShop catalog (${this.location})`);
      if (this.goalCache.size >= 4096) this.goalCache.clear();
      this.goalCache.set(goalIndex, (g = JSON.parse(json) as ShopGoal));
    }
    return g;
  }

  /** Key/value facts the file was made with (for reports). */
  meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    return row ?? null;
  }

  /** Closes the file; the catalog leaves the shared set (a later open makes a new one). */
  close(): void {
    for (const [key, c] of OPEN) if (c === this) OPEN.delete(key);
    if (this.db.open) this.db.close();
  }
}

export interface CatalogOptions {
  seed: number;
  products: number;
  /** A catalog file made by `ludus shop build`; overrides seed and products. */
  catalogPath?: string;
  cacheDir?: string;
  /** Where the one-line build notice goes (default: stderr). */
  notice?: (line: string) => void;
}

export function defaultCacheDir(): string {
  return process.env.LUDUS_CACHE_DIR ?? path.resolve(process.cwd(), '.ludus-cache');
}

export function cachedCatalogPath(seed: number, products: number, cacheDir = defaultCacheDir()): string {
  return path.join(cacheDir, `shop-catalog-g${CATALOG_GENERATOR_VERSION}-s${seed}-n${products}.db`);
}

const OPEN = new Map<string, Catalog>();

function openFile(file: string): Catalog {
  if (!existsSync(file)) throw new LudusError('OPTIONS_INVALID', `No shop catalog at ${file}: build one with \`ludus shop build --products N --out ${file}\`.`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return new Catalog(db, file);
  } catch (err) {
    const what = notACatalog(db, err);
    db.close();
    throw new LudusError('OPTIONS_INVALID', `${file} is not a shop catalog: ${what}. Pass a file made by \`ludus shop build --out FILE\` (--catalog / catalogPath).`, { file });
  }
}

/** Why an SQLite file could not be opened as a catalog, in the user's terms. */
function notACatalog(db: Database.Database, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  let tables: string[];
  try {
    tables = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
  } catch {
    return `it is not an SQLite database (${message})`;
  }
  if (tables.includes('runs') && tables.includes('episodes')) return 'it is a ludus run store (a --db file), not a catalog';
  return `it is an SQLite database without the catalog's tables (${message})`;
}

/** The shared open catalog for these options, built on first use (see the module doc). */
export function openCatalog(options: CatalogOptions): Catalog {
  if (options.catalogPath !== undefined) {
    const file = path.resolve(options.catalogPath);
    const key = `file:${file}`;
    let c = OPEN.get(key);
    if (c === undefined) OPEN.set(key, (c = openFile(file)));
    return c;
  }
  const { seed, products } = options;
  // Products are a pure function of (seed, index): any open catalog of the same seed and size will do
  // (e.g. the expert asks for (seed, size) while its env opened a `ludus shop build` file).
  for (const open of OPEN.values()) if (open.seed === seed && open.size === products) return open;
  if (products <= SMALL_CATALOG) {
    const key = `mem:${seed}:${products}`;
    let c = OPEN.get(key);
    if (c === undefined) {
      const db = new Database(':memory:');
      fill(db, seed, products);
      OPEN.set(key, (c = new Catalog(db, ':memory:')));
    }
    return c;
  }
  const file = cachedCatalogPath(seed, products, options.cacheDir);
  const key = `file:${file}`;
  let c = OPEN.get(key);
  if (c !== undefined) return c;
  if (!existsSync(file)) {
    const say = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
    say(`shop-v1: building the ${products}-product catalog (seed ${seed}) into ${file} (one time, about ${Math.max(1, Math.round(products / 4000))} s)...`);
    buildCatalogFile(file, seed, products);
  }
  c = openFile(file);
  OPEN.set(key, c);
  return c;
}

/** Closes every shared catalog (tests and short-lived CLIs). */
export function closeAllCatalogs(): void {
  for (const c of OPEN.values()) c.close();
  OPEN.clear();
}
