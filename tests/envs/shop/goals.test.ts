import { describe, expect, it } from 'vitest';
import { UnknownTaskError } from '../../../envs/core/errors.js';
import { generateProduct } from '../../../envs/shop/catalog-gen.js';
import { goalAt, goalIndexOf, instructionText, priceBounds, resolveShopTask, sessionTask, SHOP_SPLITS } from '../../../envs/shop/goals.js';
import { shopReward } from '../../../envs/shop/reward.js';

describe('WebShop price-bracket rule', () => {
  it('takes the (up to) 4 values of 10, 20, ..., 990 above the price; none when fewer than 2', () => {
    expect(priceBounds(23.5)).toEqual([30, 40, 50, 60]);
    expect(priceBounds(30)).toEqual([40, 50, 60, 70]);
    expect(priceBounds(975)).toEqual([980, 990]);
    expect(priceBounds(985)).toBeNull();
  });
});

describe('goals', () => {
  it('are pure and made from one product: its attributes, one value per option group, a price bound above its price', () => {
    for (let g = 0; g < 300; g++) {
      const goal = goalAt(0, 1000, g);
      expect(goalAt(0, 1000, g)).toEqual(goal);
      const p = generateProduct(0, goal.productIndex);
      expect(goal.asin).toBe(p.asin);
      for (const a of goal.attributes) expect(p.attributes).toContain(a);
      expect(goal.options.map((o) => o.name)).toEqual(p.options.map((o) => o.name));
      for (const o of goal.options) expect(p.options.find((x) => x.name === o.name)!.values).toContain(o.value);
      if (goal.priceUpper !== null) expect(priceBounds(p.price)).toContain(goal.priceUpper);
      const selected = Object.fromEntries(goal.options.map((o) => [o.name, o.value]));
      expect(shopReward(goal, p, selected).reward).toBe(1);
    }
  });

  it('say attributes, options and price in words', () => {
    expect(instructionText('i need', ['machine wash', 'slim fit'], "men's t-shirt", [{ name: 'color', value: 'navy' }, { name: 'size', value: 'large' }], 30, false)).toBe(
      "i need a machine wash and slim fit men's t-shirt with color: navy, and size: large, and price lower than 30.00 dollars",
    );
    const goal = goalAt(0, 1000, 5);
    for (const o of goal.options) expect(goal.instruction).toContain(`${o.name}: ${o.value}`);
    for (const a of goal.attributes) expect(goal.instruction).toContain(a);
  });

  it('split by goal index like WebShop: test 0..499, eval 500..1499, train from 1500', () => {
    expect(SHOP_SPLITS).toEqual({ test: 500, eval: 1000, train: 10_000 });
    expect(goalIndexOf('test', 499)).toBe(499);
    expect(goalIndexOf('eval', 0)).toBe(500);
    expect(goalIndexOf('train', 0)).toBe(1500);
  });

  it('resolve task references and say the valid ranges otherwise', () => {
    expect(resolveShopTask('shop/eval/00007')).toEqual({ split: 'eval', index: 7 });
    expect(resolveShopTask({ split: 'test', index: 499 })).toEqual({ split: 'test', index: 499 });
    expect(resolveShopTask({ id: 'shop/train/9999' })).toEqual({ split: 'train', index: 9999 });
    expect(() => resolveShopTask({ split: 'test', index: 500 })).toThrow(UnknownTaskError);
    expect(() => resolveShopTask('shop/valid/1')).toThrow(/test \(0\.\.499\)/);
    expect(() => resolveShopTask(42 as never)).toThrow(UnknownTaskError);
  });

  it('map site sessions to tasks', () => {
    expect(sessionTask('test-12')).toEqual({ split: 'test', index: 12 });
    expect(sessionTask('guest')).toEqual(sessionTask('guest'));
    expect(sessionTask('guest')!.split).toBe('train');
    expect(sessionTask('../etc/passwd')).toBeNull();
    expect(sessionTask('test-500')!.split).toBe('train');
  });
});
