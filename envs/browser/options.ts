/**
 * browser-v1's own options (validated by `make`, defaults applied):
 *  - tasks: the task names this env plays (default: the 35 MiniWoB-style tasks; add `shop` for the
 *    shop in GUI modality). Split indices cycle over this list (splits.ts).
 *    Or `{ dir }`: a directory of MiniWoB++-style task pages (pages/suite.ts), every page a task.
 *  - screenshots: 'none' (default) | 'step' (every observation) | 'end' (when the task ends or a
 *    fault cuts the episode; the time limit's cut is made above the raw env and gets none).
 *  - html: include the page's HTML in every observation (default false).
 *  - timeDecay: MiniWoB's time-decayed reward (default false; wall-clock, so not deterministic).
 *  - actionTimeoutMs / navigationTimeoutMs / observeTimeoutMs: every browser call's time limit.
 *  - shopProducts / shopCatalogSeed: the catalog of the `shop` task (as shop-v1's `products` and
 *    `catalogSeed`; default size $LUDUS_SHOP_PRODUCTS or 100,000, built on the first shop reset).
 * @module
 */
import { z } from 'zod';
import { defaultCatalogSize } from '../shop/options.js';

export const SCREENSHOT_MODES = ['none', 'step', 'end'] as const;
export type ScreenshotMode = (typeof SCREENSHOT_MODES)[number];

export const browserOptionsSchema = z
  .object({
    tasks: z
      .union([
        z
          .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'task names are kebab-case, e.g. click-button'))
          .min(1)
          .max(500)
          .refine((xs) => new Set(xs).size === xs.length, 'task names must not repeat'),
        z.object({ dir: z.string().min(1) }).strict(),
      ])
      .optional(),
    screenshots: z.enum(SCREENSHOT_MODES).default('none'),
    html: z.boolean().default(false),
    timeDecay: z.boolean().default(false),
    actionTimeoutMs: z.number().int().min(50).max(120_000).default(2_000),
    navigationTimeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    observeTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
    shopProducts: z.number().int().min(10).max(5_000_000).default(defaultCatalogSize),
    shopCatalogSeed: z.number().int().min(0).max(2 ** 31).default(0),
  })
  .strict();

export type BrowserOptions = z.infer<typeof browserOptionsSchema>;
export type BrowserOptionsInput = z.input<typeof browserOptionsSchema>;
