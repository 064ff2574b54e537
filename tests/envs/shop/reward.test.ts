import { describe, expect, it } from 'vitest';
import { shopReward, titleNouns, titleScore, type RewardGoal, type RewardProduct } from '../../../envs/shop/reward.js';

const goal: RewardGoal = {
  query: "men's shorts",
  productCategory: 'clothing › men › shorts',
  name: 'Ridgeway Classic Elastic Waist Shorts, Machine Wash',
  attributes: ['elastic waist', 'machine wash'],
  options: [
    { name: 'size', value: 'x-large' },
    { name: 'color', value: 'navy' },
  ],
  priceUpper: 40,
};

const product: RewardProduct = {
  query: "men's shorts",
  productCategory: 'clothing › men › shorts',
  title: 'Northfield Elastic Waist Shorts',
  attributes: ['elastic waist', 'drawstring closure'],
  bullets: ['Drawstring Closure: shorts made to last', 'Wash cold'],
  description: 'Machine wash these shorts.',
  price: 29.99,
};

describe('titleNouns (the noun heuristic)', () => {
  it('keeps nouns and drops stop words, adjectives, colours, sizes and short words', () => {
    expect([...titleNouns('Ridgeway Classic Elastic Waist Shorts, Machine Wash')]).toEqual(['ridgeway', 'elastic', 'waist', 'shorts', 'machine', 'wash']);
    expect([...titleNouns("Hartwell Premium Men's Slim Fit Navy T-Shirt")]).toEqual(['hartwell', 'fit', 'shirt']);
  });

  it('scores noun overlap over the goal title\'s nouns (0.2 without nouns)', () => {
    // goal nouns: ridgeway elastic waist shorts machine wash (6); shared: elastic waist shorts (3)
    expect(titleScore('Northfield Elastic Waist Shorts', goal.name)).toBeCloseTo(3 / 6, 12);
    expect(titleScore('anything', 'Premium Navy')).toBe(0.2);
    expect(titleScore('Garden Hose', goal.name)).toBe(0);
  });
});

describe('shopReward (WebShop get_reward)', () => {
  it('gives 1 for the right product with every option and price', () => {
    const r = shopReward(goal, product, { size: 'x-large', color: 'navy' });
    expect(r.reward).toBe(1);
    expect(r).toMatchObject({ r_type: 1, query_match: 1, category_match: 1, num_attr_matches: 2, num_option_matches: 2, r_price: 1 });
    expect(r.w_att + r.w_option + r.w_price).toBeCloseTo(1, 12);
  });

  it('matches an attribute found only in the description (machine wash)', () => {
    const r = shopReward(goal, { ...product, attributes: ['elastic waist'] }, { size: 'x-large', color: 'navy' });
    expect(r.num_attr_matches).toBe(2);
  });

  it('counts missing options when buying before choosing (allowed, as WebShop)', () => {
    // (2 attrs + 0 options + price) / (2 + 2 + 1) = 3/5
    const r = shopReward(goal, product, {});
    expect(r.reward).toBeCloseTo(3 / 5, 12);
    expect(r.num_option_matches).toBe(0);
    expect(r.r_option).toBe(0);
  });

  it('fails the price when over the bound; a goal without price clause always passes it', () => {
    expect(shopReward(goal, { ...product, price: 40.01 }, { size: 'x-large', color: 'navy' }).reward).toBeCloseTo(4 / 5, 12);
    expect(shopReward(goal, { ...product, price: 40 }, { size: 'x-large', color: 'navy' }).r_price).toBe(1);
    expect(shopReward({ ...goal, priceUpper: null }, { ...product, price: 999 }, { size: 'x-large', color: 'navy' }).reward).toBe(1);
  });

  it('uses fuzzy option matching (token_set_ratio > 85)', () => {
    expect(shopReward(goal, product, { size: 'X-Large', color: 'navy' }).num_option_matches).toBe(2);
    expect(shopReward(goal, product, { size: 'small', color: 'red' }).num_option_matches).toBe(0);
  });

  it('applies r_type = 0.5 when neither query, category nor title match enough', () => {
    // other type, category shares only 'clothing'; nouns shared: shorts? no -> title 'Ridgeway Waist Bag': ridgeway waist = 2/6 > 0.2 -> r_type 1
    const bag = { ...product, query: 'waist bag', productCategory: 'clothing › accessories › waist bag', title: 'Ridgeway Waist Bag' };
    expect(shopReward(goal, bag, {}).r_type).toBe(1);
    // 1 noun of 6 = 0.1667: not > 0.2, not < 0.1 -> 0.5. (2 + 0 + 1)/5 * 0.5 = 0.3
    const belt = { ...bag, title: 'Waist Belt Buckle' };
    const r = shopReward(goal, belt, {});
    expect(r.r_type).toBe(0.5);
    expect(r.reward).toBeCloseTo(0.3, 12);
  });

  it('applies r_type = 0.1 below 0.1 title score and 0 without any shared noun', () => {
    const longGoal = { ...goal, name: 'Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel Indiana Juliet Kilo Shorts' }; // 12 nouns
    const other = { ...product, query: 'hat', productCategory: 'hats › sun › hat', title: 'Kilo Sun Hat' };
    expect(shopReward(longGoal, other, {}).r_type).toBe(0.1); // 1/12 < 0.1
    expect(shopReward(goal, { ...other, title: 'Sun Hat' }, {}).r_type).toBe(0);
    expect(shopReward(goal, { ...other, title: 'Sun Hat' }, {}).reward).toBe(0);
  });
});
