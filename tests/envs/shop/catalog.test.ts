import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asinOf, generateProduct, indexOfAsin, searchDocument } from '../../../envs/shop/catalog-gen.js';
import { buildCatalogFile, openCatalog, queryTerms } from '../../../envs/shop/catalog.js';

const catalog = openCatalog({ seed: 0, products: 1000 });
const work = mkdtempSync(path.join(tmpdir(), 'ludus-shop-catalog-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('product generator', () => {
  it('is a pure function of (seed, index)', () => {
    expect(generateProduct(0, 17)).toEqual(generateProduct(0, 17));
    expect(generateProduct(0, 17)).not.toEqual(generateProduct(1, 17));
  });

  it('makes realistic products: attributes in the text, options that differ per product', () => {
    const products = Array.from({ length: 300 }, (_, i) => generateProduct(0, i));
    for (const p of products) {
      expect(p.productCategory.split(' › ')).toHaveLength(3);
      expect(p.attributes.length).toBeGreaterThanOrEqual(2);
      const text = `${p.title} ${p.bullets.join(' ')} ${p.description}`.toLowerCase();
      for (const a of p.attributes) expect(text).toContain(a);
      expect(p.price).toBeGreaterThan(0);
      for (const g of p.options) expect(new Set(g.values).size).toBe(g.values.length);
    }
    expect(new Set(products.map((p) => p.category)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(products.map((p) => p.query)).size).toBeGreaterThan(40);
    const shirts = products.filter((p) => p.options.some((g) => g.name === 'color'));
    expect(new Set(shirts.map((p) => JSON.stringify(p.options))).size).toBeGreaterThan(shirts.length * 0.9);
    expect(products.filter((p) => p.options.length === 0).length).toBeGreaterThan(0);
  });

  it('encodes product indices in ASINs and rejects unknown ones', () => {
    for (const i of [0, 1, 499, 999]) expect(indexOfAsin(0, 1000, asinOf(0, i))).toBe(i);
    expect(asinOf(0, 5)).toMatch(/^B0[0-9A-Z]{8}$/);
    expect(indexOfAsin(0, 1000, asinOf(0, 1000))).toBeNull(); // beyond the catalog
    expect(indexOfAsin(0, 1000, 'B000000000')).toBeNull();
    expect(indexOfAsin(0, 1000, 'not an asin')).toBeNull();
    expect(indexOfAsin(1, 1000, asinOf(0, 5))).not.toBe(5);
    expect(catalog.productByAsin(asinOf(0, 5).toLowerCase())?.index).toBe(5);
  });

  it('indexes WebShop\'s document: title, description, first bullet, option text', () => {
    const p = generateProduct(0, 3);
    const doc = searchDocument(p);
    expect(doc).toContain(p.title.toLowerCase());
    expect(doc).toContain(p.bullets[0]!.toLowerCase());
    for (const g of p.options) expect(doc).toContain(`${g.name}: ${g.values.join(', ')}`);
  });
});

describe('catalog search', () => {
  it('builds 1k products in memory quickly and shares the open catalog', () => {
    const t0 = performance.now();
    const fresh = openCatalog({ seed: 7, products: 1000 });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(fresh.size).toBe(1000);
    expect(openCatalog({ seed: 7, products: 1000 })).toBe(fresh);
  });

  it('ranks exactly as FTS5 bm25() does', () => {
    for (const q of ["i need a slim fit men's t-shirt with color: navy", 'gluten free protein bars', 'wireless earbuds noise cancelling black', 'dog bed memory foam large']) {
      const ours = catalog.search(q);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours).toEqual(catalog.searchFts(q));
    }
  });

  it('finds the product a title names at the top', () => {
    for (const i of [3, 99, 512]) {
      const p = catalog.product(i);
      expect(catalog.search(p.title).slice(0, 3)).toContain(i);
    }
  });

  it('returns at most 50 results, best first, deterministically', () => {
    const q = 'shirt black large';
    const a = catalog.searchScored(q);
    expect(a.length).toBeLessThanOrEqual(50);
    for (let i = 1; i < a.length; i++) expect(a[i - 1]!.score).toBeGreaterThanOrEqual(a[i]!.score);
    expect(catalog.search(q)).toEqual(a.map((r) => r.index));
  });

  it('treats FTS5 syntax as plain words and never throws', () => {
    const hostile = [
      '"unbalanced quote', 'NEAR(shirt black, 2)', 'shirt*', '(shirt OR', 'title: shirt', 'AND', 'OR NOT', 'shirt AND NOT black',
      '^shirt', '-shirt', "'; DROP TABLE products; --", '{}[]()', '💥 ☃', '', '   ', 'a'.repeat(100_000), 'x '.repeat(5000),
    ];
    for (const q of hostile) expect(() => catalog.search(q)).not.toThrow();
    expect(catalog.search('')).toEqual([]);
    expect(catalog.search('*** ((( :::')).toEqual([]);
    expect(catalog.search('NEAR(shirt black, 2)')).toEqual(catalog.search('near shirt black 2'));
    expect(queryTerms('a'.repeat(100_000)).length).toBeLessThanOrEqual(1);
    expect(queryTerms(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '))).toHaveLength(24);
    expect(queryTerms('AND OR NOT shirt')).toEqual(['not', 'shirt']);
  });
});

describe('catalog files', () => {
  it('builds a file that opens with the same products and results', () => {
    const file = path.join(work, 'small.db');
    const stats = buildCatalogFile(file, 3, 200);
    expect(stats.products).toBe(200);
    const mem = openCatalog({ seed: 3, products: 200 });
    expect(mem.location).toBe(':memory:');
    const c = openCatalog({ seed: 0, products: 0, catalogPath: file });
    expect(c).not.toBe(mem);
    expect(c.seed).toBe(3);
    expect(c.size).toBe(200);
    expect(c.product(10)).toEqual(generateProduct(3, 10));
    expect(c.search('protein bars chocolate')).toEqual(mem.search('protein bars chocolate'));
    c.close();
    expect(openCatalog({ seed: 3, products: 200 })).toBe(mem);
  });

  it('caches large catalogs in the cache dir with a one-line notice', () => {
    const notices: string[] = [];
    const c = openCatalog({ seed: 11, products: 5001, cacheDir: work, notice: (l) => notices.push(l) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/building the 5001-product catalog/);
    expect(c.location).toContain(work);
    expect(openCatalog({ seed: 11, products: 5001, cacheDir: work, notice: (l) => notices.push(l) })).toBe(c);
    expect(notices).toHaveLength(1);
  });

  it('says how to build a missing catalog file', () => {
    expect(() => openCatalog({ seed: 0, products: 10, catalogPath: path.join(work, 'missing.db') })).toThrow(/ludus shop build/);
  });
});
