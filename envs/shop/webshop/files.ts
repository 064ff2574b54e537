/**
 * Finding WebShop's three files from what the user points at: a directory (WebShop's `data/`)
 * or the product file itself. The attribute file pairs with the product file by suffix
 * (`items_shuffle_1000.json` ↔ `items_ins_v2_1000.json`, `items_shuffle.json` ↔ `items_ins_v2.json`);
 * the human goals are `items_human_ins.json` beside them. A directory holding several product
 * files is ambiguous: the error lists them and asks for the file.
 * @module
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../../core/data-errors.js';

export interface WebshopFiles {
  products: string;
  attributes: string;
  goals: string;
}

const PRODUCT_FILE = /^items_shuffle(.*)\.json$/;

export function locateWebshopFiles(given: string, overrides: { attributes?: string; goals?: string } = {}): WebshopFiles {
  const p = path.resolve(given);
  if (!existsSync(p)) throw new DataError('DATA_MISSING', `No WebShop data at ${p}: pass WebShop's data directory or its items_shuffle*.json (docs/real-benchmarks.md says where to get them).`, { file: p });
  let products: string;
  if (statSync(p).isDirectory()) {
    const found = readdirSync(p).filter((f) => PRODUCT_FILE.test(f)).sort();
    if (found.length === 0) {
      throw new DataError('DATA_MISSING', `${p} holds no WebShop product file (items_shuffle*.json): is this WebShop's data/ directory? It has: ${readdirSync(p).slice(0, 10).join(', ') || 'nothing'}.`, { file: p });
    }
    if (found.length > 1) {
      throw new DataError('DATA_AMBIGUOUS', `${p} holds several WebShop product files (${found.join(', ')}): pass the one to load, e.g. catalog: { path: '${path.join(p, found[0]!)}' }.`, { file: p, candidates: found });
    }
    products = path.join(p, found[0]!);
  } else {
    products = p;
  }
  const dir = path.dirname(products);
  const m = PRODUCT_FILE.exec(path.basename(products));
  const suffix = m ? m[1]! : '';
  const attributes = path.resolve(overrides.attributes ?? path.join(dir, `items_ins_v2${suffix}.json`));
  const goals = path.resolve(overrides.goals ?? path.join(dir, 'items_human_ins.json'));
  for (const [what, f] of [['attribute file (items_ins_v2*.json)', attributes], ['human goal file (items_human_ins.json)', goals]] as const) {
    if (!existsSync(f)) throw new DataError('DATA_MISSING', `WebShop's ${what} is missing: expected ${f} beside ${path.basename(products)} (or name it with catalog.${what.startsWith('attr') ? 'attributes' : 'goals'}).`, { file: f });
  }
  return { products, attributes, goals };
}
