/**
 * `ludus shop build --products N [--out file] [--seed S]`: builds a shop-v1 catalog file (SQLite,
 * FTS5 + BM25 postings). Without --out it fills the cache the env uses (.ludus-cache/).
 * `ludus shop serve [--port 0] [--host 127.0.0.1] [--products N] [--seed S] [--catalog file]`:
 * serves the shop as a web site; prints `listening http://HOST:PORT`.
 * @module
 */
import type { Command } from 'commander';
import { buildCatalogFile, cachedCatalogPath, openCatalog } from '../../envs/shop/catalog.js';
import { defaultCatalogSize } from '../../envs/shop/options.js';
import { startShopSite } from '../../envs/shop/site.js';
import { CliUsageError, parseInteger } from '../errors.js';
import { serveUntilSignal } from '../serve-until-signal.js';
import { listenExplained, parsePort } from '../ports.js';

interface BuildOptions {
  products: string;
  out?: string;
  seed: string;
}

interface ServeOptions {
  host: string;
  port: string;
  products?: string;
  seed: string;
  catalog?: string;
}

export function registerShopCommand(program: Command, out: (line: string) => void): void {
  const shop = program.command('shop').description('shop-v1 tools: build a catalog, serve the shop as a web site');
  shop
    .command('build')
    .description('build a catalog file (SQLite with an FTS5 index and BM25 postings)')
    .option('--products <n>', 'number of products', '100000')
    .option('--out <file>', 'output file (default: the cache file the env opens for these settings)')
    .option('--seed <n>', 'catalog seed', '0')
    .action((opts: BuildOptions) => {
      const products = parseInteger('--products', opts.products, 10);
      const seed = parseInteger('--seed', opts.seed, 0);
      const file = opts.out ?? cachedCatalogPath(seed, products);
      const stats = buildCatalogFile(file, seed, products);
      out(`built ${stats.products} products (seed ${seed}) in ${stats.seconds.toFixed(1)} s: ${stats.path}`);
    });
  shop
    .command('serve')
    .description('serve the shop over HTTP; prints `listening http://HOST:PORT`')
    .option('--host <host>', 'interface to bind (loopback only)', '127.0.0.1')
    .option('--port <port>', 'port; 0 picks a free one', '3000')
    .option('--products <n>', 'catalog size (default: the env default)')
    .option('--seed <n>', 'catalog seed', '0')
    .option('--catalog <file>', 'a catalog file made by `ludus shop build`')
    .action(async (opts: ServeOptions) => {
      if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) throw new CliUsageError(`--host must be a loopback address (127.0.0.1, localhost or ::1), got '${opts.host}': the shop site has no authentication`);
      const port = parsePort(opts.port); // before the catalog, which may take a while to build
      const catalog = openCatalog({
        seed: parseInteger('--seed', opts.seed, 0),
        products: opts.products === undefined ? defaultCatalogSize() : parseInteger('--products', opts.products, 10),
        ...(opts.catalog === undefined ? {} : { catalogPath: opts.catalog }),
      });
      const site = await listenExplained(opts.host, port, () => startShopSite(catalog, { host: opts.host, port }));
      out(`listening ${site.url}`);
      await serveUntilSignal(site);
    });
}
