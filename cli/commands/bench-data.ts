/**
 * `ludus bench-data check PATH [--json]`: what benchmark data set PATH holds, what of it loads and
 * what does not (per file or game, with the reason). It recognises:
 *  - WebShop's data (a directory with items_shuffle*.json, or that file): imported (or its cache
 *    reused) exactly as shop-v1 `catalog: { path }` would;
 *  - ALFWorld's games (json_2.1.1 or one split directory): every game of every split read as
 *    household-v1 `games: { dir }` would;
 *  - MiniWoB++-style task pages (a directory of *.html using the page protocol): each page checked
 *    as browser-v1 `tasks: { dir }` would.
 * Exit codes: 0 everything found loads; 3 the data set loads but some files or games are left out
 * (listed); 1 nothing loadable (missing, unrecognised, malformed); 2 usage.
 */
import type { Command } from 'commander';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../../envs/core/data-errors.js';
import { checkTaskPages } from '../../envs/browser/pages/check.js';
import { ALFWORLD_SPLITS, loadSplit, locateSplits } from '../../envs/household/alfworld/games-dir.js';
import { closeAllCatalogs } from '../../envs/shop/catalog.js';
import { openWebshopCatalog } from '../../envs/shop/webshop/open.js';

export const EXIT_PARTIAL = 3;

export interface BenchDataReport {
  dataset: 'webshop' | 'alfworld' | 'miniwob-pages';
  path: string;
  /** What loads, in words (one line each). */
  loaded: string[];
  /** What does not, each with the reason. */
  skipped: { what: string; reason: string; count?: number }[];
  /** Everything the loader knows, for --json. */
  detail: unknown;
}

type Kind = BenchDataReport['dataset'];

/** Which data set a path looks like (null: none). */
export function detectDataset(p: string): Kind | null {
  const abs = path.resolve(p);
  if (!existsSync(abs)) throw new DataError('DATA_MISSING', `Nothing at ${abs}: pass WebShop's data directory (or items_shuffle*.json), ALFWorld's json_2.1.1 (or a split directory), or a directory of MiniWoB++-style task pages.`, { file: abs });
  if (statSync(abs).isFile()) return /^items_shuffle.*\.json$/.test(path.basename(abs)) ? 'webshop' : null;
  const entries = readdirSync(abs);
  if (entries.some((f) => /^items_shuffle.*\.json$/.test(f))) return 'webshop';
  if (entries.some((f) => (ALFWORLD_SPLITS as readonly string[]).includes(f)) || (ALFWORLD_SPLITS as readonly string[]).includes(path.basename(abs))) return 'alfworld';
  const pagesDir = entries.includes('miniwob') && statSync(path.join(abs, 'miniwob')).isDirectory() ? path.join(abs, 'miniwob') : abs;
  if (readdirSync(pagesDir).some((f) => f.endsWith('.html'))) return 'miniwob-pages';
  return null;
}

export async function checkBenchData(p: string): Promise<BenchDataReport> {
  const kind = detectDataset(p);
  const abs = path.resolve(p);
  if (kind === null) throw new DataError('DATA_MISSING', `${abs} holds no benchmark data this ludus knows: no items_shuffle*.json (WebShop), no train/ valid_seen/ valid_unseen/ (ALFWorld json_2.1.1), no *.html task pages (MiniWoB++).`, { file: abs });
  if (kind === 'webshop') {
    const w = await openWebshopCatalog({ path: abs });
    const r = w.report;
    const loaded = [
      `products: ${r.products} from ${r.files.products}`,
      `human goals: ${r.goals} (test ${r.splits.test}, eval ${r.splits.eval}, train ${r.splits.train}) from ${r.files.goals}`,
      `attributes: ${r.files.attributes} (${r.productsWithoutAttributes} products have none: DUMMY_ATTR, as WebShop)`,
      `index: ${w.cacheFile} (${w.reused ? 'reused' : `built in ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMiB} MiB`})`,
    ];
    for (const [k, n] of Object.entries(r.unknownKeys)) loaded.push(`note: product field '${k}' (in ${n} products) is not read by WebShop or ludus`);
    closeAllCatalogs();
    return { dataset: kind, path: abs, loaded, skipped: r.skipped.map((s) => ({ what: s.examples.join(', '), reason: s.reason, count: s.count })), detail: { ...r, cacheFile: w.cacheFile, reused: w.reused } };
  }
  if (kind === 'alfworld') {
    const { root, splits } = locateSplits(abs);
    const loaded: string[] = [];
    const skipped: BenchDataReport['skipped'] = [];
    const detail: Record<string, unknown> = {};
    for (const s of ALFWORLD_SPLITS) {
      const dir = splits[s];
      if (dir === undefined) continue;
      const l = loadSplit(root, s, dir);
      const byType: Record<string, number> = {};
      for (const g of l.games) byType[g.type] = (byType[g.type] ?? 0) + 1;
      loaded.push(`${s}: ${l.games.length} of ${l.games.length + l.skipped.length} games playable (${Object.entries(byType).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'})`);
      for (const k of l.skipped) skipped.push({ what: k.path, reason: k.reason });
      detail[s] = { games: l.games.map((g) => ({ path: g.path, type: g.type })), skipped: l.skipped };
    }
    return { dataset: kind, path: root, loaded, skipped, detail };
  }
  const pages = await checkTaskPages(abs);
  return {
    dataset: kind,
    path: abs,
    loaded: [`${pages.ok.length} task pages: ${pages.ok.map((t) => t.name).join(', ') || 'none'}`],
    skipped: pages.skipped.map((s) => ({ what: s.file, reason: s.reason })),
    detail: pages,
  };
}

export function registerBenchDataCommand(program: Command, out: (line: string) => void): void {
  const group = program.command('bench-data').description("check the real benchmarks' data (WebShop, ALFWorld, MiniWoB++ task pages) before evaluating on it");
  group
    .command('check')
    .description('say what data set PATH holds, what loads and what does not (exit 0 all, 3 some left out, 1 none)')
    .argument('<path>', "WebShop's data dir or items_shuffle*.json, ALFWorld's json_2.1.1 (or a split), or a task-page directory")
    .option('--json', 'print the report as JSON')
    .action(async (p: string, opts: { json?: boolean }) => {
      const report = await checkBenchData(p);
      const ok = report.loaded.length > 0 && !(report.dataset === 'alfworld' && report.loaded.every((l) => / 0 of /.test(l))) && !(report.dataset === 'miniwob-pages' && (report.detail as { ok: unknown[] }).ok.length === 0);
      if (opts.json) out(JSON.stringify(report, null, 2));
      else {
        out(`${report.dataset}: ${report.path}`);
        for (const l of report.loaded) out(`  loads: ${l}`);
        for (const s of report.skipped) out(`  left out${s.count !== undefined ? ` (${s.count})` : ''}: ${s.what}: ${s.reason}`);
        out(report.skipped.length === 0 ? 'everything found loads' : `${report.skipped.reduce((n, s) => n + (s.count ?? 1), 0)} left out (listed above)`);
      }
      process.exitCode = !ok ? 1 : report.skipped.length > 0 ? EXIT_PARTIAL : 0;
    });
}
