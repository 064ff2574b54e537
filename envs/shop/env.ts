/**
 * ShopEnv: the shop-v1 Env, a thin adapter over the pure page machine (pages.ts), the renderers
 * (render.ts), the goals (goals.ts) and the reward (reward.ts). The catalog is shared by every env
 * of the process with the same catalog options and is opened on the first reset (so `make` alone
 * never builds anything). The time limit and the invalid-action policy are `make`'s wrappers.
 * @module
 */
import { z } from 'zod';
import { EnvClosedError, EpisodeOverError, InvalidStateError, OptionsError, ResetNeededError } from '../core/errors.js';
import { formatIssues } from '../core/registry.js';
import { Rng, type RngState } from '../core/rng.js';
import { stateHash } from '../core/state-hash.js';
import type { Env, EnvState, Observation, ResetOptions, ResetResult, StepInfo, StepResult, TaskInfo } from '../core/types.js';
import { openCatalog, type Catalog } from './catalog.js';
import { goalIndexOf, resolveShopTask, shopTaskId, type ShopGoal, type ShopSplit } from './goals.js';
import { shopOptionsSchema, type ShopOptions, type ShopOptionsInput } from './options.js';
import { admissibleActions, initialPage, SUB_PAGES, transition, type PageState } from './pages.js';
import { anchorText, pageHtml, pageUrl, richText, simpleText, type RenderContext } from './render.js';
import { shopReward, type RewardComponents } from './reward.js';
import { openWebshopCatalog } from './webshop/open.js';
import { DataError } from '../core/data-errors.js';

export const SHOP_ENV_ID = 'shop-v1';
const SNAPSHOT_FORMAT = 'shop-v1';
const SNAPSHOT_VERSION = 1;

/** The reward components before a purchase: every key, all zero. */
export const ZERO_COMPONENTS: RewardComponents = {
  reward: 0, r_type: 0, query_match: 0, category_match: 0, title_score: 0, r_att: 0, w_att: 0,
  num_attr_matches: 0, r_option: 0, w_option: 0, num_option_matches: 0, r_price: 0, w_price: 0,
};

export interface ShopTaskInfo extends TaskInfo {
  split: ShopSplit;
  /** The goal product's department. */
  type: string;
  /** The catalog the goals are drawn from: agents that know the catalog (the oracle expert) open the same one. */
  catalog: { seed: number; products: number; source?: 'webshop'; file?: string };
}

interface Episode {
  task: ShopTaskInfo;
  seed: number;
  goal: ShopGoal;
  page: PageState;
  purchase: RewardComponents | null;
}

const pageSchema = z.object({
  kind: z.enum(['search', 'results', 'item', 'sub', 'done']),
  query: z.string(),
  page: z.number().int().min(1),
  results: z.array(z.string()).max(1000),
  asin: z.string().nullable(),
  sub: z.enum(SUB_PAGES).nullable(),
  selected: z.record(z.string(), z.string()),
  clicked: z.string().nullable(),
}).strict();

const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  task: z.object({ id: z.string(), split: z.enum(['test', 'eval', 'train']), index: z.number().int().min(0), type: z.string(), catalog: z.object({ seed: z.number().int(), products: z.number().int(), source: z.literal('webshop').optional(), file: z.string().optional() }).strict() }).strict(),
  seed: z.number(),
  page: pageSchema,
  purchase: z.record(z.string(), z.number()).nullable(),
  seeds: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
}).strict();

export class ShopEnv implements Env {
  readonly options: ShopOptions;
  private catalogHandle: Catalog | null = null;
  private episode: Episode | null = null;
  private seeds = new Rng('shop-v1/seeds');
  private closed = false;

  constructor(options: ShopOptionsInput = {}) {
    const parsed = shopOptionsSchema.safeParse(options);
    if (!parsed.success) throw new OptionsError(SHOP_ENV_ID, formatIssues(parsed.error));
    this.options = parsed.data;
  }

  /** Opens the catalog (imports WebShop's files on first use; see webshop/open.ts). */
  private async ensureCatalog(): Promise<Catalog> {
    if (this.catalogHandle === null && this.options.catalog !== undefined) {
      const c = this.options.catalog;
      const opened = (await openWebshopCatalog({ ...c, ...(this.options.cacheDir === undefined ? {} : { cacheDir: this.options.cacheDir }) })).catalog;
      if (opened.splits.test === 0) throw new DataError('DATA_INVALID', `${c.path}: no human goal names a product of this product file, so there is nothing to play (see \`ludus bench-data check ${c.path}\`).`, { file: c.path });
      this.catalogHandle = opened;
    }
    return this.catalog;
  }

  /** The catalog's own description for task infos (the expert opens the same one). */
  private catalogRef(catalog: Catalog): ShopTaskInfo['catalog'] {
    return catalog.source === 'webshop' ? { seed: catalog.seed, products: catalog.size, source: 'webshop', file: catalog.location } : { seed: catalog.seed, products: catalog.size };
  }

  /** The shared catalog (opened, and built if needed, on first use). */
  get catalog(): Catalog {
    if (this.catalogHandle === null) {
      if (this.options.catalog !== undefined) throw new ResetNeededError();
      this.catalogHandle = openCatalog({
        seed: this.options.catalogSeed,
        products: this.options.products,
        ...(this.options.catalogPath === undefined ? {} : { catalogPath: this.options.catalogPath }),
        ...(this.options.cacheDir === undefined ? {} : { cacheDir: this.options.cacheDir }),
      });
    }
    return this.catalogHandle;
  }

  /** The current goal (read-only; for tests and oracle tools). Null before reset. */
  get goal(): Readonly<ShopGoal> | null {
    return this.episode?.goal ?? null;
  }

  async reset(options: ResetOptions = {}): Promise<ResetResult> {
    if (this.closed) throw new EnvClosedError();
    const { seed: given, task: ref } = options ?? {};
    if (given !== undefined && (typeof given !== 'number' || !Number.isFinite(given))) {
      throw new OptionsError(`${SHOP_ENV_ID} reset`, [`seed must be a finite number, got ${JSON.stringify(given)}`]);
    }
    const seed = given ?? this.seeds.nextUint32();
    const catalog = await this.ensureCatalog();
    const drawFrom = catalog.splits.train > 0 ? 'train' : catalog.splits.eval > 0 ? 'eval' : 'test';
    const { split, index } =
      ref !== undefined && ref !== null ? resolveShopTask(ref, catalog.splits) : { split: drawFrom as ShopSplit, index: new Rng(`shop-v1/draw/${seed}`).int(catalog.splits[drawFrom]) };
    const goal = catalog.goal(goalIndexOf(split, index));
    this.episode = {
      task: { id: shopTaskId(split, index), split, index, type: goal.category, catalog: this.catalogRef(catalog) },
      seed,
      goal,
      page: initialPage(),
      purchase: null,
    };
    return { observation: this.observe(), info: this.info(ZERO_COMPONENTS, false) };
  }

  async step(action: string): Promise<StepResult> {
    if (this.closed) throw new EnvClosedError();
    const ep = this.episode;
    if (!ep) throw new ResetNeededError();
    if (ep.page.kind === 'done') throw new EpisodeOverError();
    const t = transition(ep.page, typeof action === 'string' ? action : String(action), this.catalog);
    if (!t.ok) {
      const info = this.info(ZERO_COMPONENTS, false);
      info.invalid = t.invalid;
      return { observation: this.observe(), reward: 0, terminated: false, truncated: false, info };
    }
    ep.page = t.state;
    if (!t.bought) return { observation: this.observe(), reward: 0, terminated: false, truncated: false, info: this.info(ZERO_COMPONENTS, false) };
    const product = ep.page.asin === null ? null : this.catalog.productByAsin(ep.page.asin);
    const components = product === null ? ZERO_COMPONENTS : shopReward(ep.goal, product, ep.page.selected);
    ep.purchase = components;
    const success = components.reward === 1;
    return { observation: this.observe(), reward: components.reward, terminated: true, truncated: false, info: this.info(components, success) };
  }

  async snapshot(): Promise<EnvState> {
    if (this.closed) throw new EnvClosedError();
    const ep = this.episode;
    if (!ep) throw new ResetNeededError();
    return JSON.parse(
      JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, task: ep.task, seed: ep.seed, page: ep.page, purchase: ep.purchase, seeds: this.seeds.getState() }),
    ) as EnvState;
  }

  async restore(state: EnvState): Promise<void> {
    if (this.closed) throw new EnvClosedError();
    const parsed = snapshotSchema.safeParse(state);
    if (!parsed.success) throw new InvalidStateError(`Not a valid shop-v1 snapshot: ${formatIssues(parsed.error).join('; ')}.`);
    const snap = parsed.data;
    const catalog = await this.ensureCatalog();
    if (snap.task.catalog.seed !== catalog.seed || snap.task.catalog.products !== catalog.size) {
      throw new InvalidStateError(`This shop-v1 snapshot was taken on catalog (seed ${snap.task.catalog.seed}, ${snap.task.catalog.products} products), this env has (seed ${catalog.seed}, ${catalog.size}).`);
    }
    const { split, index } = resolveShopTask({ split: snap.task.split, index: snap.task.index }, catalog.splits);
    if (snap.page.asin !== null && catalog.productByAsin(snap.page.asin) === null) throw new InvalidStateError(`Not a valid shop-v1 snapshot: unknown product ${snap.page.asin}.`);
    this.seeds = Rng.fromState(snap.seeds as RngState);
    this.episode = {
      task: { ...snap.task, split, index },
      seed: snap.seed,
      goal: catalog.goal(goalIndexOf(split, index)),
      page: snap.page,
      purchase: snap.purchase === null ? null : ({ ...ZERO_COMPONENTS, ...snap.purchase } as RewardComponents),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.episode = null;
  }

  /** The site session name of the current task (`test-12`): its URLs work on `ludus shop serve`. */
  private session(): string {
    const ep = this.episode as Episode;
    return `${ep.task.split}-${ep.task.index}`;
  }

  private renderContext(): RenderContext {
    const ep = this.episode as Episode;
    return { catalog: this.catalog, instruction: ep.goal.instruction, session: this.session(), purchase: ep.purchase };
  }

  private observe(): Observation {
    const ep = this.episode as Episode;
    const ctx = this.renderContext();
    const url = pageUrl(ep.page, ctx.session);
    const mode = this.options.observationMode;
    const html = mode === 'html' ? pageHtml(ep.page, ctx) : undefined;
    const text = mode === 'text' ? simpleText(ep.page, ctx) : mode === 'text_rich' ? richText(ep.page, ctx) : mode === 'html' ? (html as string) : url;
    const obs: Observation = {
      text,
      actions: ep.page.kind === 'done' ? [] : admissibleActions(ep.page, this.catalog),
      anchor: anchorText(ep.page, ctx),
      goal: ep.goal.instruction,
      url,
    };
    if (html !== undefined) obs.html = html;
    return obs;
  }

  private info(components: RewardComponents, success: boolean): StepInfo {
    const ep = this.episode as Episode;
    const { clicked: _clicked, ...page } = ep.page;
    return {
      success,
      rewardComponents: { ...components },
      stateKey: stateHash({ goal: ep.goal.goalIndex, catalog: ep.task.catalog, page }),
      task: { ...ep.task, catalog: { ...ep.task.catalog } },
    };
  }
}
