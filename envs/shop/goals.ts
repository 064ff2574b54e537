/**
 * Goals (tasks) and splits. Like WebShop's synthetic goals, a goal is made from one product: some
 * of its attributes, one value of every option group it has, and a price bound; the instruction
 * says all of them in words. Goal `g` of a catalog is a pure function of (catalog seed, size, g),
 * so no goal list is stored.
 *
 * Splits by goal index, as WebShop's baseline: test = 0..499, eval = 500..1499, train = 1500..11499
 * (10,000 train goals; WebShop's train is "1500+"; ours is capped at a stated size). Task ids:
 * `shop/test/00042`.
 *
 * Price rule (WebShop): the bound is drawn from the (up to) 4 values of PRICE_RANGE = [10, 20, ...,
 * 990] just above the product's price; when fewer than 2 such values exist the instruction has no
 * price clause and the price always counts as matched.
 * WebShop weights goal sampling by inverse attribute frequency; we draw products uniformly.
 * @module
 */
import { formatTaskId, resolveTaskRef } from '../core/task-ref.js';
import { Rng } from '../core/rng.js';
import type { TaskRef } from '../core/types.js';
import { generateProduct, type Product } from './catalog-gen.js';

export const SHOP_SPLITS = { test: 500, eval: 1000, train: 10_000 } as const;
export type ShopSplit = keyof typeof SHOP_SPLITS;
const SPLIT_OFFSET: Record<ShopSplit, number> = { test: 0, eval: 500, train: 1500 };

export const PRICE_RANGE: readonly number[] = Array.from({ length: 99 }, (_, i) => 10 * (i + 1));

export interface ShopGoal {
  /** Global goal index (test 0.., eval 500.., train 1500..). */
  goalIndex: number;
  asin: string;
  productIndex: number;
  /** WebShop's `query`: the product type's search phrase. */
  query: string;
  category: string;
  productCategory: string;
  /** WebShop's `name`: the product's title (its nouns are r_type's title score). */
  name: string;
  attributes: string[];
  /** Option group → wanted value (order as on the product page). */
  options: { name: string; value: string }[];
  /** Null: no price clause (price always matches). */
  priceUpper: number | null;
  instruction: string;
}

/** The candidate price bounds for a price (WebShop's rule); null when fewer than 2. */
export function priceBounds(price: number): number[] | null {
  const above = PRICE_RANGE.filter((p) => p > price).slice(0, 4);
  return above.length < 2 ? null : above;
}

const OPENERS = ["i'm looking for", 'i need', 'find me', 'i want to buy', 'i am looking for', 'show me', 'i would like'];

function article(phrase: string): string {
  return /^[aeiou]/.test(phrase) ? 'an' : 'a';
}

/** The instruction sentence for goal parts (exported for tests). */
export function instructionText(opener: string, attributes: readonly string[], query: string, options: readonly { name: string; value: string }[], priceUpper: number | null, attrsAfter: boolean): string {
  let s: string;
  const attrs = attributes.length === 0 ? '' : attributes.length === 1 ? attributes[0]! : `${attributes.slice(0, -1).join(', ')} and ${attributes[attributes.length - 1]}`;
  if (attrs === '') s = `${opener} ${article(query)} ${query}`;
  else if (attrsAfter) s = `${opener} ${article(query)} ${query} that is ${attrs}`;
  else s = `${opener} ${article(attrs)} ${attrs} ${query}`;
  if (options.length > 0) s += ` with ${options.map((o) => `${o.name}: ${o.value}`).join(', and ')}`;
  if (priceUpper !== null) s += `, and price lower than ${priceUpper.toFixed(2)} dollars`;
  return s;
}

/** Goal `goalIndex` of catalog (seed, size). Pure. */
export function goalAt(seed: number, size: number, goalIndex: number): ShopGoal {
  const rng = new Rng(`shop-goal/${seed}/${size}/${goalIndex}`);
  const product: Product = generateProduct(seed, rng.int(size));
  const nAttrs = Math.min(product.attributes.length, rng.range(1, 3));
  const attributes = rng.sample(product.attributes, nAttrs).sort((a, b) => product.attributes.indexOf(a) - product.attributes.indexOf(b));
  const options = product.options.map((o) => ({ name: o.name, value: rng.pick(o.values) }));
  const bounds = priceBounds(product.price);
  const priceUpper = bounds === null ? null : rng.pick(bounds);
  const instruction = instructionText(rng.pick(OPENERS), attributes, product.query, options, priceUpper, rng.bool(0.4));
  return {
    goalIndex,
    asin: product.asin,
    productIndex: product.index,
    query: product.query,
    category: product.category,
    productCategory: product.productCategory,
    name: product.title,
    attributes,
    options,
    priceUpper,
    instruction,
  };
}

/** WebShop's split of a human-goal list of `goals` goals: test 0-499, eval 500-1,499, train 1,500+. */
export function webshopSplits(goals: number): Record<ShopSplit, number> {
  return { test: Math.min(500, goals), eval: Math.max(0, Math.min(1000, goals - 500)), train: Math.max(0, goals - 1500) };
}

export function goalIndexOf(split: ShopSplit, index: number): number {
  return SPLIT_OFFSET[split] + index;
}

const NAMING = { name: 'shop', splits: SHOP_SPLITS };

export function shopTaskId(split: ShopSplit, index: number): string {
  return formatTaskId(NAMING, split, index);
}

/** Resolves a task reference to (split, index), or throws UnknownTaskError with the valid ranges (of `splits`: a loaded catalog's own). */
export function resolveShopTask(ref: TaskRef, splits: Readonly<Record<ShopSplit, number>> = SHOP_SPLITS): { split: ShopSplit; index: number } {
  return resolveTaskRef(splits === SHOP_SPLITS ? NAMING : { name: 'shop', splits }, ref);
}

/**
 * A web-site session name → its task: `test-12`, `eval-3`, `train-99` play that goal (WebShop's
 * `fixed_N`); any other name plays a train goal chosen by a hash of the name. Null for names that
 * are not plain [A-Za-z0-9_-]{1,64}.
 */
export function sessionTask(session: string): { split: ShopSplit; index: number } | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(session)) return null;
  const m = /^(test|eval|train)-(\d{1,6})$/.exec(session);
  if (m && Number(m[2]) < SHOP_SPLITS[m[1] as ShopSplit]) return { split: m[1] as ShopSplit, index: Number(m[2]) };
  return { split: 'train', index: new Rng(`shop-session/${session}`).int(SHOP_SPLITS.train) };
}
