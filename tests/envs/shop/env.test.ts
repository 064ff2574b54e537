import { describe, expect, it } from 'vitest';
import { InvalidStateError, OptionsError } from '../../../envs/core/errors.js';
import { isRegistered, make, register } from '../../../envs/core/registry.js';
import type { Env, StepResult } from '../../../envs/core/types.js';
import { ShopEnv } from '../../../envs/shop/env.js';
import { openCatalog } from '../../../envs/shop/catalog.js';
import { goalAt } from '../../../envs/shop/goals.js';
import { shopSpec } from '../../../envs/shop/spec.js';
import { describeConformance } from '../../helpers/conformance.js';

if (!isRegistered('shop-v1')) register(shopSpec);

const SMALL = { products: 1000 };
const catalog = openCatalog({ seed: 0, products: 1000 });

/** Search the goal's product title and open the goal product from the results. */
async function openGoalProduct(env: Env, index = 0) {
  const reset = await env.reset({ task: { split: 'test', index }, seed: 1 });
  const goal = goalAt(0, 1000, index);
  const results = await env.step(`search[${goal.name}]`);
  const click = `click[${goal.asin.toLowerCase()}]`;
  expect(results.observation.actions).toContain(click);
  const item = await env.step(click);
  return { reset, goal, results, item };
}

describe('shopSpec', () => {
  it('describes shop-v1: 15 steps, noop policy, WebShop-like splits, default options', () => {
    expect(shopSpec.id).toBe('shop-v1');
    expect(shopSpec.maxEpisodeSteps).toBe(15);
    expect(shopSpec.invalidActionPolicy).toBe('noop');
    expect(shopSpec.splits).toEqual({ test: 500, eval: 1000, train: 10_000 });
    // The default catalog is 100k products (built lazily on the first reset, then cached);
    // $LUDUS_SHOP_PRODUCTS overrides the default.
    const before = process.env.LUDUS_SHOP_PRODUCTS;
    delete process.env.LUDUS_SHOP_PRODUCTS;
    try {
      expect(shopSpec.options!.parse({})).toEqual({ products: 100_000, catalogSeed: 0, observationMode: 'text' });
      process.env.LUDUS_SHOP_PRODUCTS = '2000';
      expect(shopSpec.options!.parse({})).toMatchObject({ products: 2000 });
    } finally {
      if (before === undefined) delete process.env.LUDUS_SHOP_PRODUCTS;
      else process.env.LUDUS_SHOP_PRODUCTS = before;
    }
  });

  it('validates options strictly', () => {
    expect(() => make('shop-v1', { observationMode: 'pdf' })).toThrow(OptionsError);
    expect(() => make('shop-v1', { products: -1 })).toThrow(OptionsError);
    expect(() => make('shop-v1', { colour: 'red' })).toThrow(/unknown option/);
  });
});

describe('shop-v1 pages and actions', () => {
  it('starts on the search page: WebShop text, instruction as goal, anchor after it, the search placeholder', async () => {
    const env = make('shop-v1', SMALL);
    const { observation, info } = await env.reset({ task: 'shop/test/00000', seed: 3 });
    const goal = goalAt(0, 1000, 0);
    expect(observation.goal).toBe(goal.instruction);
    expect(observation.text).toBe(`WebShop [SEP] Instruction: [SEP] ${goal.instruction} [SEP] Search`);
    expect(observation.anchor).toBe('Search');
    expect(observation.actions).toEqual(['search[<query>]']);
    expect(observation.url).toBe('/test-0');
    expect(info.task).toEqual({ id: 'shop/test/00000', split: 'test', index: 0, type: goal.category, catalog: { seed: 0, products: 1000 } });
    expect(info.rewardComponents.reward).toBe(0);
  });

  it('shows 10 results per page of the top 50 with Next > and < Prev, and Back to Search', async () => {
    const env = make('shop-v1', SMALL);
    await env.reset({ task: 'shop/test/00001', seed: 1 });
    const r1 = await env.step('SEARCH[Shirt black large]');
    expect(r1.info.invalid).toBeUndefined();
    expect(r1.observation.anchor).toMatch(/^Back to Search \[SEP\] Page 1 \(Total results: 50\) \[SEP\] Next > \[SEP\] B0/);
    const asins = r1.observation.actions.filter((a) => /^click\[b0/.test(a));
    expect(asins).toHaveLength(10);
    expect(r1.observation.actions.slice(0, 2)).toEqual(['click[back to search]', 'click[next >]']);
    let r = r1;
    for (let p = 2; p <= 5; p++) r = await env.step('click[Next >]');
    expect(r.observation.anchor).toMatch(/Page 5 \(Total results: 50\) \[SEP\] < Prev \[SEP\] B0/);
    expect(r.observation.actions).not.toContain('click[next >]');
    r = await env.step('click[< prev]');
    expect(r.observation.anchor).toContain('Page 4 ');
    r = await env.step('click[back to search]');
    expect(r.observation.actions).toEqual(['search[<query>]']);
  });

  it('item page: options as radios, sub-pages, < Prev back; buying with all options gives reward 1', async () => {
    const env = make('shop-v1', SMALL);
    const { goal, item } = await openGoalProduct(env, 0);
    const product = catalog.productByAsin(goal.asin)!;
    for (const g of product.options) for (const v of g.values) expect(item.observation.actions).toContain(`click[${v}]`);
    expect(item.observation.actions).toEqual(expect.arrayContaining(['click[description]', 'click[features]', 'click[reviews]', 'click[buy now]', 'click[< prev]']));
    const feat = await env.step('click[features]');
    expect(feat.observation.anchor).toContain(product.bullets[0]!);
    expect(feat.observation.actions).toEqual(['click[back to search]', 'click[< prev]']);
    const back = await env.step('click[< prev]');
    expect(back.observation.anchor).toBe(item.observation.anchor);
    let last: StepResult = back;
    for (const o of goal.options) last = await env.step(`click[${o.value}]`);
    if (goal.options.length > 0) expect(last.observation.url).toContain('opt-');
    const done = await env.step('click[Buy Now]');
    expect(done.terminated).toBe(true);
    expect(done.reward).toBe(1);
    expect(done.info.success).toBe(true);
    expect(done.info.rewardComponents).toMatchObject({ reward: 1, r_type: 1, r_price: 1 });
    expect(done.observation.actions).toEqual([]);
    expect(done.observation.anchor).toMatch(/Thank you for shopping with us! .*Your score \(min 0\.0, max 1\.0\) \[SEP\] 1\.0000$/);
  });

  it('buying before choosing options is allowed but the reward counts them as missing', async () => {
    const env = make('shop-v1', SMALL);
    let index = 0;
    while (goalAt(0, 1000, index).options.length === 0) index++;
    const { goal } = await openGoalProduct(env, index);
    const done = await env.step('click[buy now]');
    expect(done.terminated).toBe(true);
    expect(done.info.success).toBe(false);
    expect(done.info.rewardComponents.num_option_matches).toBe(0);
    expect(done.reward).toBeCloseTo((goal.attributes.length + 1) / (goal.attributes.length + goal.options.length + 1), 12);
  });

  it('answers invalid actions with info.invalid and changes nothing (noop)', async () => {
    const env = make('shop-v1', SMALL);
    await env.reset({ task: 'shop/test/00002', seed: 1 });
    const results = await env.step('search[protein bars]');
    const cases: [string, string][] = [
      ['click[buy now]', 'NOT_ADMISSIBLE'],
      ['click[b000000000]', 'NOT_ADMISSIBLE'],
      ['search[more shirts]', 'NOT_ADMISSIBLE'],
      ['search[]', 'EMPTY_ACTION'],
      ['click[ ]', 'EMPTY_ACTION'],
      ['', 'EMPTY_ACTION'],
      ['buy[it]', 'UNKNOWN_VERB'],
      ['click on the first one', 'PARSE_ERROR'],
    ];
    for (const [action, code] of cases) {
      const r = await env.step(action);
      expect(r.info.invalid?.code, action).toBe(code);
      expect(r.info.invalid!.suggestions.length).toBeGreaterThan(0);
      for (const s of r.info.invalid!.suggestions) expect(results.observation.actions).toContain(s);
      expect(r.observation).toEqual(results.observation);
      expect(r.info.stateKey).toBe(results.info.stateKey);
      expect(r.reward).toBe(0);
    }
    const near = await env.step('click[next]');
    expect(near.info.invalid!.suggestions[0]).toBe('click[next >]');
  });

  it('handles empty-result, huge and FTS5-syntax queries as plain searches', async () => {
    const env = make('shop-v1', SMALL);
    for (const q of ['***', '"quoted NEAR(x y)" OR (a AND NOT b): *', 'x'.repeat(20_000), "'; DROP TABLE docs; --"]) {
      await env.reset({ task: 'shop/test/00002', seed: 1 });
      const r = await env.step(`search[${q}]`);
      expect(r.info.invalid, q.slice(0, 20)).toBeUndefined();
      expect(r.observation.anchor).toMatch(/^Back to Search \[SEP\] Page 1 \(Total results: \d+\)/);
    }
    await env.reset({ task: 'shop/test/00002', seed: 1 });
    const none = await env.step('search[***]');
    expect(none.observation.anchor).toBe('Back to Search [SEP] Page 1 (Total results: 0)');
    expect(none.observation.actions).toEqual(['click[back to search]']);
  });

  it('truncates at 15 steps through make', async () => {
    const env = make('shop-v1', SMALL);
    await env.reset({ task: 'shop/test/00002', seed: 1 });
    let r!: StepResult;
    for (let i = 0; i < 15; i++) r = await env.step(i % 2 === 0 ? 'search[shirt]' : 'click[back to search]');
    expect(r.truncated).toBe(true);
  });
});

describe('observation modes', () => {
  it('text_rich marks buttons and chosen options; html is the page; url is the address; anchors agree', async () => {
    const seen: Record<string, StepResult> = {};
    let index = 0;
    while (goalAt(0, 1000, index).options.length === 0) index++;
    for (const mode of ['text', 'text_rich', 'html', 'url']) {
      const env = make('shop-v1', { ...SMALL, observationMode: mode });
      const { goal } = await openGoalProduct(env, index);
      seen[mode] = await env.step(`click[${goal.options[0]!.value}]`);
    }
    const goal = goalAt(0, 1000, index);
    const v = goal.options[0]!.value;
    expect(seen.text_rich!.observation.text).toContain(`You have clicked ${v}.\nWebShop\nInstruction:\n`);
    expect(seen.text_rich!.observation.text).toContain(`[clicked button] ${v} [clicked button_]`);
    expect(seen.text_rich!.observation.text).toContain('[button] Buy Now [button_]');
    expect(seen.html!.observation.text).toMatch(/^<!doctype html>/);
    expect(seen.html!.observation.html).toBe(seen.html!.observation.text);
    expect(seen.html!.observation.text).toMatch(new RegExp(`value="${v}" checked`));
    expect(seen.url!.observation.text).toMatch(new RegExp(`^/test-${index}/item/${goal.asin}\\?`));
    expect(seen.text!.observation.html).toBeUndefined();
    const anchors = new Set(Object.values(seen).map((r) => r.observation.anchor));
    expect(anchors.size).toBe(1);
    expect(new Set(Object.values(seen).map((r) => r.info.stateKey)).size).toBe(1);
  });
});

describe('snapshot and restore', () => {
  it('forks mid-episode as plain JSON and refuses foreign states', async () => {
    const env = make('shop-v1', SMALL);
    const { goal } = await openGoalProduct(env, 3);
    const snap = JSON.parse(JSON.stringify(await env.snapshot()));
    const a = await env.step('click[buy now]');
    const fresh = make('shop-v1', SMALL);
    await fresh.restore(snap);
    const b = await fresh.step('click[buy now]');
    expect(b).toEqual(a);
    // The raw env's state: page stack, chosen options, results; refuses foreign states.
    const raw = new ShopEnv(SMALL);
    await openGoalProduct(raw, 3);
    const state = (await raw.snapshot()) as { page: { asin: string; kind: string; results: string[] } };
    expect(state.page).toMatchObject({ kind: 'item', asin: goal.asin });
    expect(state.page.results.length).toBeGreaterThan(0);
    await expect(raw.restore({ format: 'household-v1' })).rejects.toThrow(InvalidStateError);
    await expect(raw.restore({ ...state, page: { ...state.page, asin: 'B000000000' } })).rejects.toThrow(/unknown product/);
    const other = new ShopEnv({ products: 500 });
    await expect(other.restore(state)).rejects.toThrow(/catalog/);
    // unknown extra keys are refused, at the top and inside
    await expect(raw.restore({ ...state, extra: 1 })).rejects.toThrow(/Unrecognized key|unknown/i);
    await expect(raw.restore({ ...state, page: { ...state.page, extra: 1 } })).rejects.toThrow(InvalidStateError);
    await raw.restore(state);
  });
});

describeConformance('shop-v1', (o) => make('shop-v1', { ...SMALL, ...(o ?? {}) }));
