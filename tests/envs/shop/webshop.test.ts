/**
 * shop-v1 on WebShop's own files (`catalog: { path }`), on small files written for these tests in
 * WebShop's format (tests/fixtures/webshop): the import, the goal order and split, the cache, the
 * expert, the conformance kit (in process and over a WebSocket), and every kind of bad input.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShopExpert } from '../../../agents/shop-expert.js';
import '../../../envs/builtin.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import { DataError } from '../../../envs/core/data-errors.js';
import { OptionsError, UnknownTaskError } from '../../../envs/core/errors.js';
import { make } from '../../../envs/core/registry.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { ShopEnv } from '../../../envs/shop/env.js';
import { openWebshopCatalog } from '../../../envs/shop/webshop/open.js';
import { PythonRandom, webshopGoalOrder } from '../../../envs/shop/webshop/python-shuffle.js';
import { parsePricing, readProduct } from '../../../envs/shop/webshop/records.js';
import { describeConformance } from '../../helpers/conformance.js';

const FIXTURE = path.resolve('tests/fixtures/webshop');
const dirs: string[] = [];

/** A fresh copy of the fixture directory (the cache is written beside the files), optionally edited. */
function fixtureCopy(edit?: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ludus-webshop-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  edit?.(dir);
  return dir;
}
const PRODUCTS = 'items_shuffle_fixture.json';
function editProducts(dir: string, f: (list: Record<string, unknown>[]) => unknown): void {
  const file = path.join(dir, PRODUCTS);
  writeFileSync(file, JSON.stringify(f(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[])));
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("Python's random, for WebShop's goal order", () => {
  it('reproduces random.seed(233) outputs and shuffles (values printed by CPython 3)', () => {
    const r = new PythonRandom(233);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([2931216007, 3446561803, 2698614761]);
    expect(webshopGoalOrder(10)).toEqual([5, 9, 0, 1, 4, 7, 6, 3, 8, 2]);
    const full = webshopGoalOrder(12087); // WebShop's 12,087 human goals
    expect(full.slice(0, 5)).toEqual([8655, 10304, 6940, 2750, 3667]);
    expect(full.slice(-3)).toEqual([2856, 10294, 11181]);
  });
});

describe('WebShop records', () => {
  it("reads prices as WebShop does: '$a - $b' is a range, '' is none", () => {
    expect(parsePricing('$18.99')).toEqual([18.99]);
    expect(parsePricing('$24.50 - $29.99')).toEqual([24.5, 29.99]);
    expect(parsePricing('')).toEqual([]);
  });
  it("normalises option values (trim, lower-case, '/' → ' | ') and skips 'nan' ids", () => {
    const v = readProduct('f.json', 0, { asin: 'B0X', name: 'T', query: 'Q ', category: 'c', customization_options: { Color: [{ value: ' Black/White ' }] } });
    expect(v.ok && v.product.options).toEqual([{ name: 'color', values: ['black | white'] }]);
    expect(v.ok && v.product.query).toBe('q');
    expect(readProduct('f.json', 1, { asin: 'nan' }).ok).toBe(false);
  });
});

describe('shop-v1 on WebShop files', () => {
  it('imports products, attributes and human goals, in WebShop order, and reports what it skipped', async () => {
    const dir = fixtureCopy();
    const { catalog, report, reused } = await openWebshopCatalog({ path: dir, notice: () => {} });
    expect(reused).toBe(false);
    expect(catalog.source).toBe('webshop');
    expect(report.products).toBe(8);
    // 10 human instructions: one has no attributes, one names a product not in the file.
    expect(report.goals).toBe(8);
    expect(report.skipped.map((s) => [s.reason, s.count])).toEqual([
      ['human instruction without attributes (WebShop skips these too)', 1],
      ['human instruction for a product not in this product file', 1],
    ]);
    expect(report.productsWithoutAttributes).toBe(1);
    expect(catalog.splits).toEqual({ test: 8, eval: 0, train: 0 });
    const shampoo = catalog.productByAsin('b0fix00008')!;
    expect(shampoo.price).toBe(100); // no pricing → 100, as WebShop
    expect(shampoo.attributes).toEqual(['DUMMY_ATTR']);
    expect(catalog.productByAsin('B0FIX00002')!.price).toBeGreaterThanOrEqual(24.5);
    // Goals in product-file order, then Python's shuffle(seed 233): goal g is part order[g].
    const human = JSON.parse(readFileSync(path.join(dir, 'items_human_ins.json'), 'utf8')) as Record<string, { instruction: string; instruction_attributes: string[] }[]>;
    const inOrder = (JSON.parse(readFileSync(path.join(dir, PRODUCTS), 'utf8')) as { asin: string }[]).flatMap((p) => (human[p.asin] ?? []).filter((h) => h.instruction_attributes.length > 0).map((h) => h.instruction));
    const order = webshopGoalOrder(inOrder.length);
    for (let g = 0; g < inOrder.length; g++) expect(catalog.goal(g).instruction.startsWith(inOrder[order[g]!]!.replace(/\.$/, ''))).toBe(true);
    const g0 = catalog.goal(0);
    if (g0.priceUpper !== null) expect(g0.instruction.endsWith(`, and price lower than ${g0.priceUpper.toFixed(2)} dollars`)).toBe(true);
  });

  it('caches the index beside the file and reuses it; an edited file is imported again', async () => {
    const dir = fixtureCopy();
    const first = await openWebshopCatalog({ path: dir, notice: () => {} });
    expect(readdirSync(dir).filter((f) => f.endsWith('.db'))).toEqual([path.basename(first.cacheFile)]);
    const again = await openWebshopCatalog({ path: dir, notice: () => {} });
    expect(again.reused).toBe(true);
    expect(again.report.products).toBe(8);
    editProducts(dir, (list) => list.slice(0, 7));
    utimesSync(path.join(dir, PRODUCTS), new Date(), new Date(Date.now() + 5000));
    const edited = await openWebshopCatalog({ path: dir, notice: () => {} });
    expect(edited.reused).toBe(false);
    expect(edited.report.products).toBe(7);
    expect(readdirSync(dir).filter((f) => f.endsWith('.db'))).toEqual([path.basename(edited.cacheFile)]); // the stale cache is gone
  });

  it('the expert earns reward 1 on every fixture goal', async () => {
    const env = new ShopEnv({ catalog: { path: fixtureCopy() } });
    for (let i = 0; i < 8; i++) {
      let { observation, info } = await env.reset({ task: `shop/test/0000${i}` });
      const expert = new ShopExpert();
      expert.reset(observation, info);
      let r;
      let steps = 0;
      do {
        r = await env.step(expert.act(observation, info));
        ({ observation, info } = r);
      } while (!r.terminated && ++steps < 15);
      expect(r.reward, env.goal!.instruction).toBe(1);
      expect(r.info.success).toBe(true);
    }
    await expect(env.reset({ task: { split: 'test', index: 8 } })).rejects.toThrow(UnknownTaskError);
    await expect(env.reset({ task: { split: 'train', index: 0 } })).rejects.toThrow(/train \(0\.\.-1\)/);
  });

  it('snapshots and restores an episode on the imported catalog', async () => {
    const env = new ShopEnv({ catalog: { path: fixtureCopy() } });
    await env.reset({ task: 'shop/test/00002' });
    await env.step('search[quick dry shorts]');
    const snap = await env.snapshot();
    const other = new ShopEnv({ catalog: { path: (snap as { task: { catalog: { file: string } } }).task.catalog.file.replace(/\/[^/]+$/, '') } });
    await other.restore(snap);
    expect(await other.snapshot()).toEqual(snap);
  });
});

describe('shop-v1 on bad WebShop data', () => {
  const load = (dir: string) => openWebshopCatalog({ path: dir, notice: () => {} });
  it('a missing path, a directory without a product file, several product files', async () => {
    expect(() => openWebshopCatalog({ path: '/nonexistent/webshop' })).toThrow(expect.objectContaining({ code: 'DATA_MISSING' }));
    const empty = mkdtempSync(path.join(tmpdir(), 'ludus-webshop-empty-'));
    dirs.push(empty);
    expect(() => openWebshopCatalog({ path: empty })).toThrow(/holds no WebShop product file/);
    const two = fixtureCopy((d) => cpSync(path.join(d, PRODUCTS), path.join(d, 'items_shuffle_1000.json')));
    expect(() => openWebshopCatalog({ path: two })).toThrow(expect.objectContaining({ code: 'DATA_AMBIGUOUS' }));
    const noAttrs = fixtureCopy((d) => rmSync(path.join(d, 'items_ins_v2_fixture.json')));
    expect(() => openWebshopCatalog({ path: noAttrs })).toThrow(/attribute file .* is missing: expected .*items_ins_v2_fixture\.json/);
  });
  it('a truncated product file names the file and the last good element', async () => {
    const dir = fixtureCopy((d) => {
      const f = path.join(d, PRODUCTS);
      const text = readFileSync(f, 'utf8');
      writeFileSync(f, text.slice(0, Math.floor(text.length * 0.6)));
    });
    const err = await load(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('DATA_INVALID');
    expect((err as Error).message).toMatch(new RegExp(`${PRODUCTS}: malformed JSON after element #\\d+`));
    expect(readdirSync(dir).filter((f) => f.includes('.ludus-'))).toEqual([]); // no half-made cache
  });
  it('a wrong field names the file, the product and the field', async () => {
    const dir = fixtureCopy((d) => editProducts(d, (list) => list.map((p, i) => (i === 3 ? { ...p, name: 42 } : p))));
    await expect(load(dir)).rejects.toThrow(`${path.join(dir, PRODUCTS)}: product #3 (asin B0FIX00004): field 'name' must be a string, got a number`);
    const attrs = fixtureCopy((d) => writeFileSync(path.join(d, 'items_ins_v2_fixture.json'), JSON.stringify({ B0FIX00001: { attributes: 'quick dry' } })));
    await expect(load(attrs)).rejects.toThrow(/items_ins_v2_fixture\.json: entry 'B0FIX00001': field 'attributes' must be a list of strings/);
    const goals = fixtureCopy((d) => writeFileSync(path.join(d, 'items_human_ins.json'), JSON.stringify({ B0FIX00001: [{ instruction: 'x', instruction_attributes: 'quick dry' }] })));
    await expect(load(goals)).rejects.toThrow(/items_human_ins\.json: entry 'B0FIX00001'\[0\]: field 'instruction_attributes' must be a list of strings, got a string/);
    const cut = fixtureCopy((d) => writeFileSync(path.join(d, 'items_ins_v2_fixture.json'), readFileSync(path.join(d, 'items_ins_v2_fixture.json'), 'utf8').slice(0, 200)));
    await expect(load(cut)).rejects.toThrow(/items_ins_v2_fixture\.json: malformed JSON after element 'B0FIX0000\d'/);
    const notArray = fixtureCopy((d) => writeFileSync(path.join(d, PRODUCTS), '{"asin": "B0"}'));
    await expect(load(notArray)).rejects.toThrow(/must hold one JSON array/);
  });
  it('duplicate product ids and unknown fields are reported, not silently dropped', async () => {
    const dir = fixtureCopy((d) => editProducts(d, (list) => [...list, { ...list[0], name: 'Imposter' }, { ...list[1], asin: 'B0FIX00099', scraped_at: '2021' }]));
    const { report, catalog } = await load(dir);
    expect(report.products).toBe(9);
    expect(report.skipped.find((s) => s.reason.startsWith('duplicate asin'))).toEqual(expect.objectContaining({ count: 1, examples: ['#8 B0FIX00001'] }));
    expect(catalog.productByAsin('B0FIX00001')!.title).not.toBe('Imposter');
    expect(report.unknownKeys).toEqual({ scraped_at: 1 });
  });
  it('options: an unknown key in catalog, or catalog with catalogPath, is refused', () => {
    expect(() => new ShopEnv({ catalog: { path: FIXTURE, pth: 'x' } as never })).toThrow(OptionsError);
    expect(() => new ShopEnv({ catalog: { path: FIXTURE }, catalogPath: '/x.db' })).toThrow(/either catalog .* or catalogPath/);
  });
});

const tasks = Array.from({ length: 8 }, (_, i) => `shop/test/0000${i}`);
const conformanceDir = fixtureCopy();
describeConformance('shop-v1 on WebShop files', (o) => make('shop-v1', { catalog: { path: conformanceDir }, ...(o ?? {}) }), { tasks });

let server: EnvServer;
let client: RemoteEnvClient;
beforeAll(async () => {
  server = await startServer({ port: 0 });
  client = await RemoteEnvClient.connect(server.url);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});
describeConformance('shop-v1 on WebShop files over WebSocket', async (o) => (await client.open('shop-v1', { catalog: { path: conformanceDir }, ...(o ?? {}) }))[0]!, { tasks });
