/**
 * The same shop goal in two modalities: shop-v1 (text) and browser-v1's `shop` task (shop-v1's web
 * site in Chromium). The text expert's plan, played through GUI clicks, reaches the same reward.
 */
import { afterAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { ExpertAgent } from '../../../agents/experts.js';
import { runEpisode } from '../../../agents/run-episode.js';
import { shopQueryVariants } from '../../../agents/shop-queries.js';
import { sharedBrowser } from '../../../envs/browser/chromium.js';
import { shopFillValues, shopTask } from '../../../envs/browser/tasks/shop.js';
import { openCatalog } from '../../../envs/shop/catalog.js';
import { goalAt, goalIndexOf } from '../../../envs/shop/goals.js';
import { shopReward } from '../../../envs/shop/reward.js';
import { make } from '../../../envs/core/registry.js';

const PRODUCTS = 1000;
const gui = make('browser-v1', { tasks: ['shop'], shopProducts: PRODUCTS });
const text = make('shop-v1', { products: PRODUCTS });

afterAll(async () => {
  await gui.close();
  await text.close();
  await sharedBrowser.close();
});

describe('shop in GUI modality', () => {
  it('plays the same goal: the same instruction, the site on the private origin', async () => {
    const g = await gui.reset({ task: 'shop/test/00003', seed: 1 });
    const t = await text.reset({ task: 'shop/test/00003', seed: 1 });
    expect(g.observation.goal).toBe(t.observation.goal);
    expect(g.info.url).toBe('/test-3');
    expect(g.info.task).toMatchObject({ id: 'shop/test/00003', type: 'shop', catalog: { seed: 0, products: PRODUCTS } });
    expect(g.observation.text).toMatch(/\[\d+\] textbox 'Search\.\.\.' value='', clickable, focused/);
    expect(g.observation.actions.filter((a) => a.startsWith('fill(')).length).toBe(shopQueryVariants(t.observation.goal!).length);
    // After a navigation the new page's elements get new ids: an id of the old page is unknown, not another element.
    const search = /\[(\d+)\] button 'Search'/.exec(g.observation.text)![1]!;
    await gui.step(g.observation.actions.find((a) => a.startsWith('fill('))!);
    const results = await gui.step(`click("${search}")`);
    expect(results.info.url).toMatch(/^\/test-3\/search\?q=/);
    expect(Math.min(...[...results.observation.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))).toBeGreaterThan(Number(search));
    expect((await gui.step(`click("${search}")`)).info.invalid?.code).toBe('UNKNOWN_OBJECT');
  });

  it("the text expert's plan played through GUI clicks earns the same reward as in text, on several goals", async () => {
    for (const k of [0, 1, 2, 5, 8]) {
      const id = `shop/test/${String(k).padStart(5, '0')}`;
      const g = await runEpisode(gui, new ExpertAgent('browser-v1'), { reset: { task: id, seed: 0 } });
      const t = await runEpisode(text, new ExpertAgent('shop-v1'), { reset: { task: id, seed: 0 } });
      expect(g.terminated, id).toBe(true);
      expect(g.return, id).toBe(t.return);
      expect(g.success, id).toBe(t.success);
      const gl = g.steps.at(-1)!.result.info.rewardComponents;
      const tl = t.steps.at(-1)!.result.info.rewardComponents;
      expect({ ...gl, raw: undefined }).toEqual({ ...tl, raw: undefined });
      expect(g.steps.every((s) => s.result.info.invalid === undefined)).toBe(true);
      // Every GUI action the expert took was one of the admissible candidates (valid demonstrations).
      for (const s of g.steps) expect(s.candidates.some((c) => c.startsWith(s.decision.action)), s.decision.action).toBe(true);
    }
  });

  it("the shop task's reward is shop-v1's reward function on the bought product and options", () => {
    const catalog = openCatalog({ seed: 0, products: PRODUCTS });
    const ctx = { catalog: () => catalog };
    const i = shopTask.generate(null as never, ctx, 1_000_000 + 7);
    expect(i).toMatchObject({ split: 'test', index: 7, session: 'test-7' });
    const goal = goalAt(0, PRODUCTS, goalIndexOf('test', 7));
    const product = catalog.productByAsin(goal.asin)!;
    const opts = Object.fromEntries(goal.options.map((o) => [`opt-${o.name}`, o.value]));
    const check = shopTask.check(i, [{ type: 'navigate', path: `/test-7/buy/${goal.asin}`, query: { q: 'x', page: '1', ...opts } }], ctx);
    const want = shopReward(goal, product, Object.fromEntries(goal.options.map((o) => [o.name, o.value])));
    expect(check).toEqual({ done: true, reward: want.reward, components: { ...want } });
    // Another session's purchase does not end this episode; an option value the product lacks is ignored.
    expect(shopTask.check(i, [{ type: 'navigate', path: `/test-8/buy/${goal.asin}`, query: {} }], ctx).done).toBe(false);
    const bogus = shopTask.check(i, [{ type: 'navigate', path: `/test-7/buy/${goal.asin}`, query: { 'opt-size': 'gigantic' } }], ctx);
    expect(bogus.reward).toBe(shopReward(goal, product, {}).reward);
  });

  it("the search box's fill values are the text shop's query candidates", () => {
    for (const k of [0, 4, 9]) {
      const goal = goalAt(0, PRODUCTS, goalIndexOf('test', k));
      expect(shopFillValues(goal.instruction)).toEqual(shopQueryVariants(goal.instruction));
    }
  });
});
