/**
 * Opening WebShop's own files as a shop-v1 catalog (`catalog: { path }`): the files are located
 * (files.ts), imported once by streaming (import.ts) into an SQLite catalog cached BESIDE the
 * product file as `<items_shuffle…json>.ludus-<key>.db` (or in the cache dir when that directory
 * is not writable), where the key hashes the loader version and each file's size, mtime and first
 * and last MiB. A later load with the same files reuses the cache; an edited file gets a new key
 * and a new import (older caches of that file are removed). Imports write a temp file and rename
 * it, so a crash leaves no half-made cache; concurrent loads in one process share one import.
 * @module
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { defaultCacheDir, openCatalog, type Catalog } from '../catalog.js';
import { locateWebshopFiles, type WebshopFiles } from './files.js';
import { importWebshop, webshopCacheKey, type WebshopLoadReport } from './import.js';

export interface WebshopCatalogOptions {
  /** WebShop's data directory, or its product file. */
  path: string;
  /** The attribute file, when not beside the product file with the matching suffix. */
  attributes?: string;
  /** The human goal file, when not beside the product file. */
  goals?: string;
  /** Where the index goes when the data directory is read-only. */
  cacheDir?: string;
  /** Where the one-line import notice goes (default: stderr). */
  notice?: (line: string) => void;
}

export interface WebshopCatalog {
  catalog: Catalog;
  report: WebshopLoadReport;
  /** True when an existing cache was reused (no import this time). */
  reused: boolean;
  cacheFile: string;
}

const IN_FLIGHT = new Map<string, Promise<WebshopCatalog>>();

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the cached catalog of these files lives (beside the product file when possible). */
export function webshopCachePath(files: WebshopFiles, key: string, cacheDir?: string): string {
  const dir = path.dirname(files.products);
  const base = `${path.basename(files.products)}.ludus-${key}.db`;
  if (writable(dir)) return path.join(dir, base);
  return path.join(cacheDir ?? defaultCacheDir(), base);
}

function readReport(file: string): WebshopLoadReport {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const json = db.prepare("SELECT value FROM meta WHERE key = 'report'").pluck().get() as string | undefined;
    return JSON.parse(json ?? '{}') as WebshopLoadReport;
  } finally {
    db.close();
  }
}

/** Opens (importing on first use) the catalog of WebShop's files. */
export function openWebshopCatalog(options: WebshopCatalogOptions): Promise<WebshopCatalog> {
  const files = locateWebshopFiles(options.path, options);
  const key = webshopCacheKey(files);
  const cacheFile = webshopCachePath(files, key, options.cacheDir);
  let p = IN_FLIGHT.get(cacheFile);
  if (p === undefined) {
    p = load(files, key, cacheFile, options).finally(() => IN_FLIGHT.delete(cacheFile));
    IN_FLIGHT.set(cacheFile, p);
  }
  return p;
}

async function load(files: WebshopFiles, key: string, cacheFile: string, options: WebshopCatalogOptions): Promise<WebshopCatalog> {
  if (existsSync(cacheFile)) return { catalog: openCatalog({ seed: 0, products: 0, catalogPath: cacheFile }), report: readReport(cacheFile), reused: true, cacheFile };
  const say = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  say(`shop-v1: importing WebShop's ${path.basename(files.products)} into ${cacheFile} (one time; streaming, about 1 min per 100k products)...`);
  mkdirSync(path.dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
  let report: WebshopLoadReport;
  try {
    report = await importWebshop(files, tmp, key);
    renameSync(tmp, cacheFile);
  } catch (err) {
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
    throw err;
  }
  // Older caches of the same product file (another key) are stale.
  const prefix = `${path.basename(files.products)}.ludus-`;
  for (const f of readdirSync(path.dirname(cacheFile))) {
    if (f.startsWith(prefix) && f.endsWith('.db') && path.join(path.dirname(cacheFile), f) !== cacheFile) rmSync(path.join(path.dirname(cacheFile), f), { force: true });
  }
  return { catalog: openCatalog({ seed: 0, products: 0, catalogPath: cacheFile }), report, reused: false, cacheFile };
}
