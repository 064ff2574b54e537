/**
 * shop-v1's own options (validated by `make`, defaults applied):
 *  - products: catalog size (default 100,000, or $LUDUS_SHOP_PRODUCTS; see `defaultCatalogSize`).
 *  - catalogSeed: the catalog generator's seed (default 0). Goals depend on (catalogSeed, products).
 *  - catalogPath: a catalog file made by `ludus shop build` (its own seed and size win).
 *  - cacheDir: where catalogs larger than 5,000 products are cached (default $LUDUS_CACHE_DIR or
 *    ./.ludus-cache).
 *  - catalog: { path, attributes?, goals? }: WebShop's own data (its data/ directory or its
 *    items_shuffle*.json; the attribute and human-goal files are found beside it unless named).
 *    Goals are then WebShop's human goals in WebShop's order and split (docs/real-benchmarks.md).
 *  - observationMode: 'text' (default, WebShop's simple [SEP] text), 'text_rich', 'html', 'url'.
 * @module
 */
import { z } from 'zod';
import { OBSERVATION_MODES } from './render.js';

export const DEFAULT_PRODUCTS = 100_000;
export const TEST_PRODUCTS = 1_000;

/** The default catalog size: $LUDUS_SHOP_PRODUCTS when set (an integer ≥ 10), else 100,000. */
export function defaultCatalogSize(): number {
  const env = Number(process.env.LUDUS_SHOP_PRODUCTS);
  if (Number.isInteger(env) && env >= 10) return env;
  return DEFAULT_PRODUCTS;
}

export const shopOptionsSchema = z
  .object({
    products: z.number().int().min(10).max(5_000_000).default(defaultCatalogSize),
    catalogSeed: z.number().int().min(0).max(2 ** 31).default(0),
    catalogPath: z.string().min(1).optional(),
    catalog: z.object({ path: z.string().min(1), attributes: z.string().min(1).optional(), goals: z.string().min(1).optional() }).strict().optional(),
    cacheDir: z.string().min(1).optional(),
    observationMode: z.enum(OBSERVATION_MODES).default('text'),
  })
  .strict()
  .refine((o) => o.catalog === undefined || o.catalogPath === undefined, { message: 'pass either catalog (WebShop\'s files) or catalogPath (a `ludus shop build` file), not both', path: ['catalog'] });

export type ShopOptions = z.infer<typeof shopOptionsSchema>;
export type ShopOptionsInput = z.input<typeof shopOptionsSchema>;
