/**
 * The shop-v1 expert: an ORACLE. It knows the task (info.task names the split, index and catalog)
 * and reads the public catalog, so it knows the goal and can look products up without clicking.
 * It plans the whole episode at its first step:
 *   1. among the query candidates the learned policy also gets (agents/shop-queries.ts), take the
 *      one whose top-50 results hold, earliest, a product that earns reward 1 with some choice of
 *      its options (checked with the env's own pure reward function);
 *   2. search it, click `Next >` until that product's results page, click it, click each option
 *      value the goal asks for, Buy Now.
 * When no candidate query reaches a reward-1 product it buys the best reachable one. If a page is
 * not what the plan expects (a policy or a person interfered) it goes back to search and replays.
 * Its actions are always among the candidates, so its episodes are valid SFT demonstrations.
 *
 * Measured success: tests/agents/shop-expert.test.ts and `npm run bench:shop` (docs/shop.md).
 * @module
 */
import { token_set_ratio } from 'fuzzball';
import type { Observation, StepInfo } from '../envs/core/types.js';
import { openCatalog, type Catalog } from '../envs/shop/catalog.js';
import type { Product } from '../envs/shop/catalog-gen.js';
import { goalIndexOf, resolveShopTask, type ShopGoal } from '../envs/shop/goals.js';
import { PRODUCT_WINDOW } from '../envs/shop/pages.js';
import { shopReward } from '../envs/shop/reward.js';
import { shopQueryVariants, SHOP_SEARCH_PLACEHOLDER } from './shop-queries.js';

export interface ShopPlan {
  query: string;
  /** Position of the product in the results (0-based). */
  position: number;
  asin: string;
  /** Option values to click, in order. */
  clicks: string[];
  expectedReward: number;
}

/** The option values to click on `product` for `goal`, and the selection they produce. */
function optionClicks(product: Product, goal: ShopGoal): { clicks: string[]; selected: Record<string, string> } {
  const clicks: string[] = [];
  const selected: Record<string, string> = {};
  for (const want of goal.options) {
    const values = product.options.flatMap((g) => g.values);
    const exact = values.find((v) => v === want.value);
    const fuzzy = exact ?? values.find((v) => token_set_ratio(v, want.value) > 85);
    if (fuzzy === undefined) continue;
    // A click selects the first group offering that value (pages.ts), as the env will.
    const group = product.options.find((g) => g.values.includes(fuzzy))!;
    selected[group.name] = fuzzy;
    clicks.push(fuzzy.toLowerCase());
  }
  return { clicks: [...new Set(clicks)], selected };
}

/** The oracle plan for a goal: see the module doc. Pure given the catalog. */
export function planShopEpisode(catalog: Catalog, goal: ShopGoal): ShopPlan {
  let best: ShopPlan | null = null;
  for (const query of shopQueryVariants(goal.instruction)) {
    const hits = catalog.search(query);
    for (let position = 0; position < hits.length; position++) {
      const product = catalog.product(hits[position]!);
      const { clicks, selected } = optionClicks(product, goal);
      const reward = shopReward(goal, product, selected).reward;
      const better = best === null || reward > best.expectedReward || (reward === best.expectedReward && reward === 1 && position < best.position);
      if (better) best = { query, position, asin: product.asin, clicks, expectedReward: reward };
      if (reward === 1) break;
    }
    if (best !== null && best.expectedReward === 1 && best.position < PRODUCT_WINDOW) break;
  }
  return best ?? { query: shopQueryVariants(goal.instruction)[0] ?? 'shop', position: -1, asin: '', clicks: [], expectedReward: 0 };
}

export function planActions(plan: ShopPlan): string[] {
  if (plan.position < 0) return [`search[${plan.query}]`];
  const pages = Math.floor(plan.position / PRODUCT_WINDOW);
  return [
    `search[${plan.query}]`,
    ...Array.from({ length: pages }, () => 'click[next >]'),
    `click[${plan.asin.toLowerCase()}]`,
    ...plan.clicks.map((c) => `click[${c}]`),
    'click[buy now]',
  ];
}

export class ShopExpert {
  readonly name = 'shop-expert';
  private plan: ShopPlan | null = null;
  private queue: string[] = [];
  private cursor = 0;

  reset(observation: Observation, info?: StepInfo): void {
    this.plan = null;
    this.queue = [];
    this.cursor = 0;
    const task = info?.task as { split?: unknown; index?: unknown; catalog?: { seed?: unknown; products?: unknown; file?: unknown } } | undefined;
    const seed = task?.catalog?.seed;
    const products = task?.catalog?.products;
    const file = task?.catalog?.file;
    if (task === undefined || typeof seed !== 'number' || typeof products !== 'number') return;
    // A catalog imported from WebShop's files is named by its file; a generated one by (seed, size).
    const catalog = typeof file === 'string' ? openCatalog({ seed, products, catalogPath: file }) : openCatalog({ seed, products });
    const { split, index } = resolveShopTask({ split: task.split as string, index: task.index as number }, catalog.splits);
    const goal = catalog.goal(goalIndexOf(split, index));
    if (observation.goal !== undefined && observation.goal !== goal.instruction) return; // not the catalog we think
    this.plan = planShopEpisode(catalog, goal);
    this.queue = planActions(this.plan);
  }

  /** The planned episode (null when the task or catalog was unknown). */
  get currentPlan(): ShopPlan | null {
    return this.plan;
  }

  act(observation: Observation, _info?: StepInfo): string {
    const legal = observation.actions;
    const next = this.queue[this.cursor];
    if (next !== undefined) {
      const ok = next.startsWith('search[') ? legal.includes(SHOP_SEARCH_PLACEHOLDER) : legal.includes(next);
      if (ok) {
        this.cursor++;
        return next;
      }
    }
    // Off plan: restart from the search page.
    this.cursor = 0;
    if (legal.includes(SHOP_SEARCH_PLACEHOLDER) && this.queue[0] !== undefined) {
      this.cursor = 1;
      return this.queue[0];
    }
    if (legal.includes('click[back to search]')) return 'click[back to search]';
    if (legal.includes(SHOP_SEARCH_PLACEHOLDER)) return `search[${shopQueryVariants(observation.goal ?? '')[0] ?? 'shop'}]`;
    return legal[0] ?? 'click[buy now]';
  }
}
