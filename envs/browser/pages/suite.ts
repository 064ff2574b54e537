/**
 * A directory of MiniWoB++-style task pages as a browser-v1 task suite (`tasks: { dir }`).
 *
 * Layout: `dir` is the served root. The task pages are the `*.html` files of `dir/miniwob/` when
 * that directory exists (MiniWoB++'s own `miniwob/html/` layout: `core/`, `common/`, `miniwob/`),
 * else of `dir` itself. Every file under `dir` is served on the private origin at its relative
 * path, read-only; nothing outside `dir` is (`..`, absolute paths and symlinks leading out are
 * refused), and every other origin stays blocked as for the built-in tasks (confinement.ts).
 *
 * A page that does not follow the protocol (protocol.ts) or whose name is not a task name is left
 * out, with the reason (`skipped`, and `ludus bench-data check DIR`).
 * @module
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../../core/data-errors.js';
import type { BrowserTask, PageRequest, PageResponse, TaskEvent } from '../tasks/types.js';
import { done, PENDING } from '../tasks/types.js';
import { protocolProblem, withBootstrap } from './protocol.js';
import { quotedValues, solvePage } from './solve.js';

export interface PageTaskInstance {
  /** The page, relative to the served root (e.g. `miniwob/click-button.html`). */
  page: string;
  seed: number;
}

export interface PageSuite {
  root: string;
  tasks: Record<string, BrowserTask<PageTaskInstance>>;
  skipped: { file: string; reason: string }[];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};
const BINARY = new Set(['.png', '.jpg', '.jpeg', '.gif']);
/** MiniWoB's default EPISODE_MAX_TIME (ms), for the optional time decay. */
export const PAGE_MAX_TIME_MS = 10_000;

/** The file under `root` a request path names, or null when it would leave `root` or is not a file. */
export function fileUnder(root: string, requestPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== root && !file.startsWith(`${root}${path.sep}`)) return null;
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  const real = realpathSync(file);
  if (real !== root && !real.startsWith(`${realpathSync(root)}${path.sep}`)) return null;
  return file;
}

function serveFile(root: string, req: PageRequest, instance: PageTaskInstance): PageResponse | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const file = fileUnder(root, req.path);
  if (file === null) return null;
  const ext = path.extname(file).toLowerCase();
  const contentType = TYPES[ext] ?? 'application/octet-stream';
  if (BINARY.has(ext)) return { status: 200, contentType, body: '', bytes: readFileSync(file) };
  const text = readFileSync(file, 'utf8');
  const isTaskPage = path.relative(root, file).split(path.sep).join('/') === instance.page;
  return { status: 200, contentType, body: isTaskPage ? withBootstrap(text, instance.seed) : text };
}

function pageTask(root: string, page: string, name: string): BrowserTask<PageTaskInstance> {
  return {
    name,
    description: `MiniWoB++-style task page ${page}`,
    maxTimeMs: PAGE_MAX_TIME_MS,
    generate: (_rng, _ctx, seed) => ({ page, seed }),
    startPath: (i) => `/${i.page}`,
    goal: () => '',
    serve: (i, req) => serveFile(root, req, i),
    check: (_i, events: readonly TaskEvent[]) => {
      const end = events.find((e) => e.type === 'wob-end');
      if (end === undefined) return PENDING;
      const raw = Number(end.raw);
      return done(Number.isFinite(raw) ? raw : 0, { raw_reward: Number.isFinite(raw) ? raw : 0 });
    },
    fillValues: () => [],
    goalFromEvents: (_i, events) => {
      const err = events.find((e) => e.type === 'wob-error');
      if (err !== undefined) return { error: `${page}: the page did not start its episode: ${String(err.message)}` };
      const start = events.find((e) => e.type === 'wob-start');
      if (start === undefined) return { error: `${page}: the page never reported the start of its episode` };
      return { goal: String(start.utterance ?? '') };
    },
    fillValuesFromGoal: (goal) => quotedValues(goal),
    solve: (i, view, memory) => solvePage(String(memory.goal ?? ''), view, memory),
  };
}

/** Reads the task pages of `dir` (see the module doc). Throws when there is no page directory at all. */
export function pageSuite(dir: string): PageSuite {
  const root = path.resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new DataError('DATA_MISSING', `No task-page directory at ${root}: pass MiniWoB++'s miniwob/html directory (with core/ and miniwob/) or a directory of task pages.`, { file: root });
  const pagesDir = existsSync(path.join(root, 'miniwob')) && statSync(path.join(root, 'miniwob')).isDirectory() ? path.join(root, 'miniwob') : root;
  const files = readdirSync(pagesDir).filter((f) => f.endsWith('.html')).sort();
  if (files.length === 0) throw new DataError('DATA_MISSING', `${pagesDir} holds no *.html task pages.`, { file: pagesDir });
  const tasks: PageSuite['tasks'] = {};
  const skipped: PageSuite['skipped'] = [];
  for (const f of files) {
    const rel = path.relative(root, path.join(pagesDir, f)).split(path.sep).join('/');
    const name = f.replace(/\.html$/, '');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      skipped.push({ file: rel, reason: `'${name}' is not a task name (lower-case letters, digits and '-')` });
      continue;
    }
    const html = readFileSync(path.join(pagesDir, f), 'utf8');
    const problem = protocolProblem(html);
    if (problem !== null) {
      skipped.push({ file: rel, reason: problem });
      continue;
    }
    const core = /<script[^>]+src=["']([^"']*core\.js)["']/i.exec(html)![1]!;
    const coreFile = path.resolve(path.dirname(path.join(root, rel)), core);
    if (!coreFile.startsWith(`${root}${path.sep}`) || !existsSync(coreFile)) {
      skipped.push({ file: rel, reason: `its script ${core} is not under ${root} (serve MiniWoB's html/ root, which holds core/)` });
      continue;
    }
    tasks[name] = pageTask(root, rel, name);
  }
  return { root, tasks, skipped };
}
