/**
 * The seeded product generator. A product is a pure function of (catalog seed, index): the SQLite
 * file only holds the search index, and pages regenerate the product they show in microseconds.
 * ASINs encode the index through an invertible 32-bit mix of (seed, index), so a URL's ASIN maps
 * back to its product without a lookup, and a made-up ASIN is recognised as unknown.
 * @module
 */
import { hash32, Rng } from '../core/rng.js';
import { PRODUCT_TYPES, REVIEW_OPENERS, TITLE_FLOURISHES, type OptionGroupDef } from './vocab.js';

/** Bump when generated products change: cached catalog files carry it in their name and meta. */
export const CATALOG_GENERATOR_VERSION = 1;

export interface OptionGroup {
  name: string;
  values: string[];
}

export interface Review {
  rating: number;
  title: string;
  body: string;
}

export interface Product {
  asin: string;
  index: number;
  title: string;
  /** The search phrase of its product type (WebShop's `query`), e.g. "men's shorts". */
  query: string;
  /** Department (WebShop's `category`). */
  category: string;
  /** `department › sub-department › type` (WebShop's `product_category`). */
  productCategory: string;
  attributes: string[];
  options: OptionGroup[];
  price: number;
  description: string;
  bullets: string[];
  reviews: Review[];
  /** Mean review rating (one decimal), null without reviews ("N.A."). */
  rating: number | null;
}

// --- ASIN codec -------------------------------------------------------------------------------

const MULT = 0x9e3779b1;
const MULT_INV = (() => {
  let inv = MULT;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(MULT, inv));
  return inv >>> 0;
})();

function mix(x: number): number {
  let y = Math.imul(x >>> 0, MULT) >>> 0;
  y = (y ^ (y >>> 16)) >>> 0;
  return y;
}

function unmix(y: number): number {
  const x = (y ^ (y >>> 16)) >>> 0;
  return Math.imul(x, MULT_INV) >>> 0;
}

export function asinOf(seed: number, index: number): string {
  const code = mix((index ^ hash32(`shop-asin/${seed}`)) >>> 0);
  return `B0${code.toString(36).toUpperCase().padStart(8, '0')}`;
}

/** The product index an ASIN encodes for this catalog, or null when it is not one of its products. */
export function indexOfAsin(seed: number, size: number, asin: string): number | null {
  const m = /^B0([0-9A-Z]{8})$/.exec(asin.trim().toUpperCase());
  if (!m) return null;
  const code = parseInt(m[1] as string, 36);
  if (!Number.isFinite(code) || code > 0xffffffff) return null;
  const index = (unmix(code) ^ hash32(`shop-asin/${seed}`)) >>> 0;
  return index < size && asinOf(seed, index) === asin.trim().toUpperCase() ? index : null;
}

// --- generation -------------------------------------------------------------------------------

function titleCase(s: string): string {
  return s.replace(/(^|[\s-])([a-z])/g, (_, pre: string, c: string) => pre + c.toUpperCase());
}

function pickOptions(rng: Rng, group: OptionGroupDef): OptionGroup {
  const n = Math.min(group.values.length, rng.range(group.min, group.max));
  const chosen = new Set(rng.sample(group.values, n));
  // Keep the vocabulary's order (sizes ascending), as a shop would list them.
  return { name: group.name, values: group.values.filter((v) => chosen.has(v)) };
}

const BULLET_TAILS = [
  'for everyday comfort',
  'you can count on',
  'made to last',
  'loved by our customers',
  'at a fair price',
  'tested for quality',
  'that makes a great gift',
  'for home or travel',
];

/** Product `index` of catalog `seed`. Pure: same arguments, same product. */
export function generateProduct(seed: number, index: number): Product {
  const rng = new Rng(`shop-product/${seed}/${index}`);
  const type = PRODUCT_TYPES[rng.int(PRODUCT_TYPES.length)]!;
  const dept = type.department;
  const brand = rng.pick(dept.brands);

  const typeAttrs = type.attributes ?? [];
  const pool = [...new Set([...typeAttrs, ...dept.attributes])];
  const nAttrs = rng.range(2, 5);
  const fromType = rng.sample(typeAttrs, Math.min(typeAttrs.length, rng.range(0, 2)));
  const attributes = [...new Set([...fromType, ...rng.sample(pool, nAttrs)])].slice(0, Math.max(nAttrs, fromType.length));

  const options: OptionGroup[] = [];
  for (const group of type.options) if (rng.bool(0.75)) options.push(pickOptions(rng, group));

  const [lo, hi] = type.price;
  const cents = rng.bool(0.6) ? 99 : rng.int(100);
  const price = Math.round((lo + rng.int(Math.max(1, hi - lo)) + cents / 100) * 100) / 100;

  const inTitle = attributes.slice(0, rng.range(1, Math.min(2, attributes.length)));
  const gender = type.sub === 'men' ? "Men's " : type.sub === 'women' ? "Women's " : '';
  const flourish = rng.bool(0.5) ? `${rng.pick(TITLE_FLOURISHES)} ` : '';
  const lead = inTitle[0] ? `${titleCase(inTitle[0])} ` : '';
  const tail = inTitle[1] ? `, ${titleCase(inTitle[1])}` : '';
  const title = `${brand} ${flourish}${gender}${lead}${type.noun}${tail}`;

  const bullets = attributes.map((a, i) => `${titleCase(a)}: ${type.noun.toLowerCase()} ${BULLET_TAILS[(i + rng.int(BULLET_TAILS.length)) % BULLET_TAILS.length]}`);
  if (rng.bool(0.5)) bullets.push(`Satisfaction guaranteed: contact ${brand} with any question`);
  const described = rng.sample(attributes, Math.min(2, attributes.length));
  const description =
    `The ${brand} ${type.noun.toLowerCase()} is ${described.join(' and ')}. ` +
    `${rng.pick(['Designed', 'Made', 'Built', 'Crafted'])} for ${rng.pick(['daily use', 'busy people', 'the whole family', 'gifting', 'home and travel'])}.` +
    (options.length > 0 ? ` Available in ${options.map((o) => `${o.values.length} ${o.name === 'size' ? 'sizes' : `${o.name} options`}`).join(' and ')}.` : '');

  const nReviews = rng.int(5);
  const reviews: Review[] = Array.from({ length: nReviews }, () => {
    const rating = rng.range(1, 5);
    return { rating, title: rng.pick(REVIEW_OPENERS), body: `${rng.pick(REVIEW_OPENERS)} The ${type.noun.toLowerCase()} ${rating >= 4 ? 'is great' : rating >= 3 ? 'is fine' : 'disappointed me'}.` };
  });
  const rating = nReviews === 0 ? null : Math.round((reviews.reduce((s, r) => s + r.rating, 0) / nReviews) * 10) / 10;

  return {
    asin: asinOf(seed, index),
    index,
    title,
    query: type.query,
    category: dept.name,
    productCategory: `${dept.name} › ${type.sub} › ${type.query}`,
    attributes,
    options,
    price,
    description,
    bullets,
    reviews,
    rating,
  };
}

/** WebShop's search document: title + description + first bullet + option text, lower-cased. */
export function searchDocument(p: Product): string {
  const opts = p.options.map((o) => `${o.name}: ${o.values.join(', ')}`).join(', and ');
  return `${p.title} ${p.description} ${p.bullets[0] ?? ''} ${opts}`.toLowerCase();
}
