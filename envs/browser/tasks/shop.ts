/**
 * shop: shop-v1's own web site in the browser — the same catalog, the same goal, the same pages
 * (envs/shop/site.ts serves them, from memory, on the private origin) and the same reward
 * function (envs/shop/reward.ts). One goal can be played as text (`shop-v1`) or as a GUI
 * (`browser-v1`): browser `shop/test/00042` is shop-v1's `shop/test/00042`.
 *
 * Instance k of the browser's train split plays shop train goal k mod 10,000; of its test split,
 * shop test goal k mod 500. The episode starts on the session's search page and ends when the
 * browser requests the buy page: the reward is `shopReward(goal, product, chosen options)`, in
 * [0, 1], with every WebShop component; success only at 1.
 *
 * Fill values (for the search box) are taken from the goal as shop-v1's agent-side query
 * proposer makes them: the instruction, without its price clause, the product description alone,
 * and its last two words.
 *
 * `solve` follows a plan made by the text shop's oracle (agents/shop-expert.ts puts it in
 * `memory.plan`: query, result position, ASIN, option values) and turns each of its steps into
 * GUI actions, reading where it is from the URL; without a plan it waits (noop).
 * @module
 */
import { goalAt, goalIndexOf, SHOP_SPLITS, type ShopGoal } from '../../shop/goals.js';
import { PRODUCT_WINDOW } from '../../shop/pages.js';
import { shopReward } from '../../shop/reward.js';
import { handleSiteRequest } from '../../shop/site.js';
import type { JsonValue } from '../../core/types.js';
import { type BrowserTask, done, PENDING, type TaskContext } from './types.js';
import { act, find, NOOP } from './view.js';
import { TEST_SEED_OFFSET } from '../splits.js';

interface Instance {
  split: 'test' | 'train';
  /** Index in shop-v1's split. */
  index: number;
  session: string;
  instruction: string;
}

/** The plan `solve` follows (the text shop expert's ShopPlan, as plain JSON). */
export interface ShopGuiPlan {
  query: string;
  /** 0-based position of the product in the results. */
  position: number;
  asin: string;
  /** Option values to choose, lower-case, in order. */
  clicks: string[];
}

const OPENER = /^(?:i'm looking for|i am looking for|i need|find me|i want to buy|i want|show me|i would like)\s+(?:an?\s+)?/;

/** Search-query variants of an instruction (the same rules as shop-v1's agent-side proposer). */
export function shopFillValues(instruction: string): string[] {
  const full = instruction.trim().toLowerCase().replace(/[[\]]/g, ' ').replace(/\s+/g, ' ');
  if (full === '') return [];
  const noPrice = full.replace(/,?\s*and price lower than [\d.]+ dollars\s*$/, '').trim();
  const product = noPrice.replace(/\s+with\s+[a-z]+:.*$/, '').replace(OPENER, '').trim();
  const keyPhrase = product.split(' that is ')[0]!.trim().split(' ').slice(-2).join(' ');
  return [...new Set([full, noPrice, product, keyPhrase].filter((q) => q !== ''))];
}

function goalOf(i: Instance, ctx: TaskContext): ShopGoal {
  const c = ctx.catalog();
  return goalAt(c.seed, c.size, goalIndexOf(i.split, i.index));
}

export const shopTask: BrowserTask<Instance> = {
  name: 'shop',
  description: "shop-v1's web site as a GUI: search, open a product, choose options, buy (WebShop reward)",
  maxTimeMs: 60_000,
  startPath: (i) => `/${i.session}`,
  generate(_rng, ctx, seed) {
    const split = seed >= TEST_SEED_OFFSET ? 'test' : 'train';
    const index = (seed % TEST_SEED_OFFSET) % SHOP_SPLITS[split];
    const c = ctx.catalog();
    const goal = goalAt(c.seed, c.size, goalIndexOf(split, index));
    return { split, index, session: `${split}-${index}`, instruction: goal.instruction };
  },
  goal: (i) => i.instruction,
  serve(i, req, ctx) {
    const res = handleSiteRequest(ctx.catalog(), req.url);
    return { status: res.status, body: res.html };
  },
  check(i, events, ctx) {
    const prefix = `/${i.session}/buy/`;
    const buy = events.find((e) => e.type === 'navigate' && typeof e.path === 'string' && e.path.startsWith(prefix));
    if (!buy) return PENDING;
    const product = ctx.catalog().productByAsin(decodeURIComponent((buy.path as string).slice(prefix.length)));
    if (product === null) return done(0, { reward: 0 });
    const query = (buy.query ?? {}) as Record<string, string>;
    const selected: Record<string, string> = {};
    for (const g of product.options) {
      const v = query[`opt-${g.name}`];
      if (v !== undefined && g.values.includes(v)) selected[g.name] = v;
    }
    const components = shopReward(goalOf(i, ctx), product, selected);
    return done(components.reward, { ...components });
  },
  fillValues: (i) => shopFillValues(i.instruction),
  solve(i, view, memory) {
    const plan = memory.plan as unknown as ShopGuiPlan | undefined;
    if (!plan || typeof plan.query !== 'string') return NOOP;
    let url: URL;
    try {
      url = new URL(view.path, 'https://shop.invalid');
    } catch {
      return NOOP;
    }
    const parts = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    const back = find(view, 'link', 'Back to Search');
    if (parts.length === 1) {
      const box = find(view, ['textbox', 'searchbox']);
      if (!box) return NOOP;
      if (box.value !== plan.query) return act.fill(box, plan.query);
      const search = find(view, 'button', 'Search');
      return search ? act.click(search) : NOOP;
    }
    const q = url.searchParams.get('q') ?? '';
    if (parts[1] === 'search') {
      if (q !== plan.query.toLowerCase() || plan.position < 0) return back ? act.click(back) : NOOP;
      const page = Number(url.searchParams.get('page') ?? '1');
      const want = Math.floor(plan.position / PRODUCT_WINDOW) + 1;
      if (page < want) return clickLink(view, 'Next >');
      if (page > want) return clickLink(view, '< Prev');
      return clickLink(view, plan.asin);
    }
    if (parts[1] === 'item') {
      if (parts[2] !== plan.asin || parts.length > 3) return clickLink(view, '< Prev');
      const chosen = [...url.searchParams.entries()].filter(([k]) => k.startsWith('opt-')).map(([, v]) => v.toLowerCase());
      for (const value of plan.clicks) {
        if (chosen.includes(value)) continue;
        const link = find(view, 'link', (name) => name.toLowerCase() === value);
        if (link) return act.click(link);
      }
      const buy = find(view, 'button', 'Buy Now');
      return buy ? act.click(buy) : NOOP;
    }
    return back ? act.click(back) : NOOP;
  },
};

function clickLink(view: Parameters<BrowserTask['solve']>[1], name: string): string {
  const link = find(view, 'link', name);
  return link ? act.click(link) : NOOP;
}

/** Plain-JSON form of a plan, for `memory.plan`. */
export function planToMemory(plan: ShopGuiPlan): JsonValue {
  return { query: plan.query, position: plan.position, asin: plan.asin, clicks: [...plan.clicks] };
}
