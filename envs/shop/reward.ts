/**
 * WebShop's reward (goal.get_reward), as a pure function:
 *
 *   r_type = 1;  if not (query_match or category_match or title_score > 0.2): r_type = 0.5
 *                if title_score < 0.1: r_type = 0.1;  if title_score == 0: r_type = 0
 *   reward = r_type × (attribute matches + option matches + price ok) / (|attributes| + |options| + 1)
 *
 * - query_match: same product-type query; category_match: the '›'-split category paths share ≥ 2
 *   parts; title_score: |nouns(bought title) ∩ nouns(goal title)| / |nouns(goal title)| (0.2 when the
 *   goal title has no noun).
 * - An attribute matches when fuzzball's token_set_ratio with one of the product's attributes is
 *   > 85, else when it is a substring of the title, the bullet points or the description.
 * - An option matches when token_set_ratio with one of the selected option values is > 85
 *   (WebShop also normalises color names; our values are already plain).
 * - Price: ok when price ≤ the bound; a goal without a price clause always counts it as ok.
 *
 * Nouns: WebShop tags titles with spaCy (NOUN/PROPN). We use a lightweight heuristic: lower-case
 * alphabetic words of ≥ 3 letters that are not stop words, not known adjectives (colours, sizes,
 * qualities such as "premium", "slim") and not attribute-only words; see `titleNouns`.
 *
 * Buying before choosing options is allowed (as in WebShop): unchosen options simply do not match.
 * @module
 */
import { token_set_ratio } from 'fuzzball';
import type { Product } from './catalog-gen.js';
import type { ShopGoal } from './goals.js';

export interface RewardComponents {
  [key: string]: number;
  reward: number;
  r_type: number;
  query_match: number;
  category_match: number;
  title_score: number;
  r_att: number;
  w_att: number;
  num_attr_matches: number;
  r_option: number;
  w_option: number;
  num_option_matches: number;
  r_price: number;
  w_price: number;
}

const NON_NOUNS = new Set(
  (
    'the and for with from that this you your our its are was all any new one two men women mens womens kids ' +
    'premium classic everyday deluxe essential signature pro ultra original select ' +
    'black white navy grey gray red blue green pink beige brown olive purple burgundy khaki charcoal teal yellow orange ivory light dark rose gold ' +
    'small medium large extra slim relaxed regular high low long short soft quick easy heavy non free full natural raw ' +
    'wireless fast dual compact adjustable organic vegan durable lightweight thick extra instant cold hot sensitive dry oil ' +
    'plant based ready great whole sugar gluten dairy fragrance alcohol paraben sulfate cruelty latex aluminum'
  ).split(' '),
);

/** Heuristic nouns of a title (see the module doc). */
export function titleNouns(title: string): Set<string> {
  const words = title.toLowerCase().replace(/'s\b/g, '').match(/[a-z]+/g) ?? [];
  return new Set(words.filter((w) => w.length >= 3 && !NON_NOUNS.has(w)));
}

function fuzzyMatch(a: string, b: string): boolean {
  return token_set_ratio(a, b) > 85;
}

export function titleScore(boughtTitle: string, goalTitle: string): number {
  const goalNouns = titleNouns(goalTitle);
  if (goalNouns.size === 0) return 0.2;
  const bought = titleNouns(boughtTitle);
  let n = 0;
  for (const w of goalNouns) if (bought.has(w)) n++;
  return n / goalNouns.size;
}

export type RewardGoal = Pick<ShopGoal, 'query' | 'productCategory' | 'name' | 'attributes' | 'options' | 'priceUpper'>;
export type RewardProduct = Pick<Product, 'query' | 'productCategory' | 'title' | 'attributes' | 'bullets' | 'description' | 'price'>;

/** The reward for buying `product` with `selected` options (group → value) under `goal`. Pure. */
export function shopReward(goal: RewardGoal, product: RewardProduct, selected: Readonly<Record<string, string>>): RewardComponents {
  const queryMatch = product.query === goal.query;
  const goalCats = new Set(goal.productCategory.split('›').map((s) => s.trim()));
  const shared = new Set(product.productCategory.split('›').map((s) => s.trim()).filter((s) => goalCats.has(s)));
  const categoryMatch = shared.size >= 2;
  const tScore = titleScore(product.title, goal.name);
  let rType = 1;
  if (!(queryMatch || categoryMatch || tScore > 0.2)) rType = 0.5;
  if (tScore < 0.1) rType = 0.1;
  if (tScore === 0) rType = 0;

  const lowerTitle = product.title.toLowerCase();
  const lowerBullets = product.bullets.join(' ').toLowerCase();
  const lowerDesc = product.description.toLowerCase();
  let attrMatches = 0;
  for (const g of goal.attributes) {
    if (product.attributes.some((p) => fuzzyMatch(p, g))) attrMatches++;
    else if (lowerTitle.includes(g) || lowerBullets.includes(g) || lowerDesc.includes(g)) attrMatches++;
  }

  const chosen = Object.values(selected);
  let optionMatches = 0;
  for (const o of goal.options) if (chosen.some((v) => fuzzyMatch(v, o.value))) optionMatches++;

  const priceOk = goal.priceUpper === null || product.price <= goal.priceUpper;
  const nA = goal.attributes.length;
  const nO = goal.options.length;
  const denom = nA + nO + 1;
  const reward = (rType * (attrMatches + optionMatches + (priceOk ? 1 : 0))) / denom;
  return {
    reward,
    r_type: rType,
    query_match: queryMatch ? 1 : 0,
    category_match: categoryMatch ? 1 : 0,
    title_score: tScore,
    r_att: nA === 0 ? 0 : attrMatches / nA,
    w_att: nA / denom,
    num_attr_matches: attrMatches,
    r_option: nO === 0 ? 0 : optionMatches / nO,
    w_option: nO / denom,
    num_option_matches: optionMatches,
    r_price: priceOk ? 1 : 0,
    w_price: 1 / denom,
  };
}
