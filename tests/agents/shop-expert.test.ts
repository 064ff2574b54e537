import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { makeExpert } from '../../agents/experts.js';
import { planShopEpisode } from '../../agents/shop-expert.js';
import { shopQueryProposer, shopQueryVariants } from '../../agents/shop-queries.js';
import { make } from '../../envs/core/registry.js';
import { openCatalog } from '../../envs/shop/catalog.js';
import { goalAt } from '../../envs/shop/goals.js';
import { proposerFor } from '../../agents/candidates.js';

describe('shop query proposer (agent side)', () => {
  it('turns the instruction into query variants', () => {
    expect(shopQueryVariants("i need a machine wash and slim fit men's t-shirt with color: navy, and size: large, and price lower than 30.00 dollars")).toEqual([
      "i need a machine wash and slim fit men's t-shirt with color: navy, and size: large, and price lower than 30.00 dollars",
      "i need a machine wash and slim fit men's t-shirt with color: navy, and size: large",
      "machine wash and slim fit men's t-shirt",
      "men's t-shirt",
    ]);
    expect(shopQueryVariants('find me a dog bed that is memory foam, and price lower than 50.00 dollars').slice(2)).toEqual(['dog bed that is memory foam', 'dog bed']);
  });

  it('replaces the placeholder, keeps clicks, and is registered for shop-v1', () => {
    const obs = { text: '', anchor: '', goal: 'show me a hoodie', actions: ['search[<query>]'] };
    expect(shopQueryProposer(obs)).toEqual(['search[show me a hoodie]', 'search[hoodie]']);
    const clicks = { ...obs, actions: ['click[back to search]', 'click[b0000001]'] };
    expect(shopQueryProposer(clicks)).toEqual(clicks.actions);
    expect(proposerFor('shop-v1')).toBe(shopQueryProposer);
  });
});

describe('shop expert (oracle)', () => {
  it('reaches reward 1 on >= 95% of 200 goals of each split (1k catalog) within 15 steps', async () => {
    const env = make('shop-v1', { products: 1000 });
    const rates: Record<string, number> = {};
    for (const split of ['test', 'eval', 'train']) {
      let wins = 0;
      for (let i = 0; i < 200; i++) {
        const reset = await env.reset({ task: { split, index: i }, seed: i });
        const expert = makeExpert('shop-v1');
        expert.reset(reset.observation, reset.info);
        let obs = reset.observation;
        let info = reset.info;
        for (let t = 0; t < 15; t++) {
          const action = expert.act(obs, info);
          const candidates = shopQueryProposer(obs);
          expect(candidates).toContain(action); // usable as an SFT demonstration
          const r = await env.step(action);
          expect(r.info.invalid).toBeUndefined();
          obs = r.observation;
          info = r.info;
          if (r.terminated || r.truncated) {
            if (r.info.success) wins++;
            break;
          }
        }
      }
      rates[split] = wins / 200;
    }
    for (const rate of Object.values(rates)) expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it('plans with a candidate query and the goal\'s options', () => {
    const catalog = openCatalog({ seed: 0, products: 1000 });
    const goal = goalAt(0, 1000, 8);
    const plan = planShopEpisode(catalog, goal);
    expect(shopQueryVariants(goal.instruction)).toContain(plan.query);
    expect(plan.expectedReward).toBe(1);
    expect(plan.clicks).toHaveLength(goal.options.length);
  });
});
