/**
 * WebShop's three data files, record by record, into shop-v1's Product and goal parts. Pure
 * functions over parsed JSON values; each bad record is a DataError naming the file, the record
 * (position and ASIN) and the field.
 *
 *  - Product file (`items_shuffle*.json`): a JSON array of scraped products. Fields read: `asin`,
 *    `name` (title), `full_description`, `small_description` (bullets: a list or one string),
 *    `pricing` ("$12.99", "$10.00 - $20.00" or empty), `customization_options` ({group: [{value,
 *    image}] | null} or null/empty), `category`, `query`, `product_category`, `images` (not shown).
 *    WebShop drops the other scraped keys (brand, seller, list price, ...); so do we, and the
 *    report counts keys neither list knows. Like WebShop: option names are lower-cased, values
 *    trimmed, lower-cased and '/' → ' | '; `query` lower-cased and trimmed; ASINs 'nan' or longer than
 *    10 characters are skipped (counted in the report).
 *  - Price: one listed price is the price; a range is a price inside it (WebShop draws it with
 *    Python's unseeded `random.uniform`, so its own prices differ between runs; ours is fixed by a
 *    hash of the ASIN); no price: 100.
 *  - Attribute file (`items_ins_v2*.json`): {asin: {attributes: [..], instruction?, instruction_attributes?}};
 *    a product without an entry has the attributes ['DUMMY_ATTR'] (as WebShop).
 *  - Human goals (`items_human_ins.json`): {asin: [{instruction, instruction_attributes: [..],
 *    instruction_options: [..]}]}; entries without attributes are skipped (as WebShop, counted).
 * @module
 */
import { hash32 } from '../../core/rng.js';
import { dataInvalid } from '../../core/data-errors.js';
import type { OptionGroup, Product } from '../catalog-gen.js';

/** Keys of a scraped product that WebShop reads or knowingly drops. Any other key is reported. */
export const KNOWN_PRODUCT_KEYS = new Set([
  'asin', 'name', 'full_description', 'small_description', 'pricing', 'customization_options', 'category', 'query', 'product_category', 'images',
  'product_information', 'brand', 'brand_url', 'list_price', 'availability_quantity', 'availability_status', 'total_reviews',
  'total_answered_questions', 'seller_id', 'seller_name', 'fulfilled_by_amazon', 'fast_track_message', 'aplus_present', 'small_description_old',
  'average_rating', 'Title', 'Description', 'BulletPoints', 'Reviews', 'Rating', 'Price', 'Attributes', 'options', 'option_to_image', 'MainImage',
]);

export const DUMMY_ATTRIBUTE = 'DUMMY_ATTR';

/** A product as read from the file, before attributes are joined in. */
export type WebshopProduct = Omit<Product, 'index' | 'attributes'> & { attributes?: string[] };

export type ProductVerdict = { ok: true; product: WebshopProduct; unknownKeys: string[] } | { ok: false; skip: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(file: string, where: string, rec: Record<string, unknown>, key: string, optional = false): string {
  const v = rec[key];
  if (v === undefined || v === null) {
    if (optional) return '';
    throw dataInvalid(file, where, `field '${key}' is missing (a string is needed)`, { field: key });
  }
  if (typeof v !== 'string') throw dataInvalid(file, where, `field '${key}' must be a string, got ${typeName(v)}`, { field: key });
  return v;
}

export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Prices in a WebShop pricing string: every `$<number>`, the first two kept. */
export function parsePricing(pricing: string): number[] {
  return pricing
    .split('$')
    .slice(1)
    .map((part) => Number(part.replace(/[^\d.]/g, '')))
    .filter((n) => Number.isFinite(n))
    .slice(0, 2);
}

/** The fixed price of a product (see the module doc). */
export function productPrice(asin: string, pricing: readonly number[]): number {
  if (pricing.length === 0) return 100;
  if (pricing.length === 1) return pricing[0]!;
  const [lo, hi] = [Math.min(pricing[0]!, pricing[1]!), Math.max(pricing[0]!, pricing[1]!)];
  const u = hash32(`webshop-price/${asin}`) / 0x100000000;
  return Math.round((lo + u * (hi - lo)) * 100) / 100;
}

export function normalizeOptionValue(v: string): string {
  return v.trim().replace(/\//g, ' | ').toLowerCase();
}

/** One element of the product file (position `i`, 0-based). */
export function readProduct(file: string, i: number, value: unknown): ProductVerdict {
  const where0 = `product #${i}`;
  if (!isRecord(value)) throw dataInvalid(file, where0, `must be an object, got ${typeName(value)}`);
  const rawAsin = value.asin;
  if (typeof rawAsin !== 'string') throw dataInvalid(file, where0, `field 'asin' must be a string, got ${typeName(rawAsin)}`, { field: 'asin' });
  const asin = rawAsin.trim();
  if (asin === 'nan' || asin === '' || asin.length > 10) return { ok: false, skip: `asin '${asin.slice(0, 20)}' is not a product id ('nan', empty or longer than 10; WebShop skips these too)` };
  const where = `product #${i} (asin ${asin})`;
  const title = str(file, where, value, 'name');
  const description = str(file, where, value, 'full_description', true);
  const sd = value.small_description;
  let bullets: string[];
  if (sd === undefined || sd === null) bullets = [];
  else if (typeof sd === 'string') bullets = sd === '' ? [] : [sd];
  else if (Array.isArray(sd) && sd.every((b) => typeof b === 'string')) bullets = sd as string[];
  else throw dataInvalid(file, where, `field 'small_description' must be a string or a list of strings, got ${typeName(sd)}`, { field: 'small_description' });
  const pr = value.pricing;
  let pricing: number[];
  if (pr === undefined || pr === null || pr === '') pricing = [];
  else if (typeof pr === 'string') pricing = parsePricing(pr);
  else if (Array.isArray(pr) && pr.every((p) => typeof p === 'number')) pricing = (pr as number[]).slice(0, 2);
  else throw dataInvalid(file, where, `field 'pricing' must be a string like "$12.99" (or a list of numbers), got ${typeName(pr)}`, { field: 'pricing' });
  const options: OptionGroup[] = [];
  const co = value.customization_options;
  if (co !== undefined && co !== null && co !== '') {
    if (!isRecord(co)) throw dataInvalid(file, where, `field 'customization_options' must be an object {group: [{value}]}, got ${typeName(co)}`, { field: 'customization_options' });
    for (const [name, contents] of Object.entries(co)) {
      if (contents === null) continue;
      if (!Array.isArray(contents)) throw dataInvalid(file, where, `field 'customization_options.${name}' must be a list of {value}, got ${typeName(contents)}`, { field: `customization_options.${name}` });
      const values: string[] = [];
      contents.forEach((c, k) => {
        if (!isRecord(c) || typeof c.value !== 'string') throw dataInvalid(file, where, `field 'customization_options.${name}[${k}].value' must be a string`, { field: `customization_options.${name}[${k}].value` });
        values.push(normalizeOptionValue(c.value));
      });
      const group = name.toLowerCase();
      const existing = options.find((g) => g.name === group);
      if (existing) existing.values.push(...values);
      else options.push({ name: group, values });
    }
  }
  const unknownKeys = Object.keys(value).filter((k) => !KNOWN_PRODUCT_KEYS.has(k));
  return {
    ok: true,
    unknownKeys,
    product: {
      asin,
      title,
      query: str(file, where, value, 'query').toLowerCase().trim(),
      category: str(file, where, value, 'category'),
      productCategory: str(file, where, value, 'product_category', true),
      options,
      price: productPrice(asin, pricing),
      description,
      bullets,
      reviews: [],
      rating: null,
    },
  };
}

/** One entry of the attribute file: the product's attributes. */
export function readAttributes(file: string, asin: string, value: unknown): string[] {
  const where = `entry '${asin}'`;
  if (!isRecord(value)) throw dataInvalid(file, where, `must be an object with 'attributes', got ${typeName(value)}`);
  const a = value.attributes;
  if (a === undefined) return [];
  if (!Array.isArray(a) || !a.every((x) => typeof x === 'string')) throw dataInvalid(file, where, `field 'attributes' must be a list of strings, got ${typeName(a)}`, { field: 'attributes' });
  return a as string[];
}

export interface HumanInstruction {
  instruction: string;
  attributes: string[];
  options: string[];
}

/** One entry of the human-goal file: the instructions written for product `asin`. */
export function readHumanInstructions(file: string, asin: string, value: unknown): HumanInstruction[] {
  const where = `entry '${asin}'`;
  if (!Array.isArray(value)) throw dataInvalid(file, where, `must be a list of {instruction, instruction_attributes, instruction_options}, got ${typeName(value)}`);
  return value.map((v, k) => {
    const w = `${where}[${k}]`;
    if (!isRecord(v)) throw dataInvalid(file, w, `must be an object, got ${typeName(v)}`);
    const instruction = str(file, w, v, 'instruction');
    const list = (key: string): string[] => {
      const x = v[key];
      if (x === undefined || x === null) return [];
      if (Array.isArray(x) && x.every((e) => typeof e === 'string')) return x as string[];
      if (key === 'instruction_options' && isRecord(x) && Object.values(x).every((e) => typeof e === 'string')) return Object.values(x) as string[];
      throw dataInvalid(file, w, `field '${key}' must be a list of strings, got ${typeName(x)}`, { field: key });
    };
    return { instruction, attributes: list('instruction_attributes'), options: list('instruction_options') };
  });
}
