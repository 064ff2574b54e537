/**
 * shop-v1: a WebShop-like shopping env with a generated catalog, BM25 search over a SQLite file and
 * a real web site. The spec is what the registry needs; the rest is exported for tools, tests, the
 * expert and the CLI.
 * @module
 */
export { shopSpec } from './spec.js';
export { ShopEnv, SHOP_ENV_ID, ZERO_COMPONENTS, type ShopTaskInfo } from './env.js';
export { shopOptionsSchema, defaultCatalogSize, DEFAULT_PRODUCTS, TEST_PRODUCTS, type ShopOptions, type ShopOptionsInput } from './options.js';
export { Catalog, openCatalog, buildCatalogFile, closeAllCatalogs, cachedCatalogPath, defaultCacheDir, queryTerms, SEARCH_RETURN_N } from './catalog.js';
export { generateProduct, asinOf, indexOfAsin, searchDocument, type Product, type OptionGroup } from './catalog-gen.js';
export { goalAt, goalIndexOf, resolveShopTask, sessionTask, shopTaskId, priceBounds, PRICE_RANGE, SHOP_SPLITS, type ShopGoal, type ShopSplit } from './goals.js';
export { shopReward, titleNouns, titleScore, type RewardComponents } from './reward.js';
export { admissibleActions, clickables, initialPage, parseAction, transition, SEARCH_PLACEHOLDER, PRODUCT_WINDOW, type PageState } from './pages.js';
export { OBSERVATION_MODES, pageHtml, pageUrl, simpleText, richText, anchorText, type ObservationMode } from './render.js';
