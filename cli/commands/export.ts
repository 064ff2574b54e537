/**
 * `ludus export --format jsonl [--db] [--run] [--split] [--out]`: trajectories as chat-style JSONL
 * (loss masks, per-turn rewards and advantages) for other trainers. Format: docs/replay.md.
 */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { exportJsonl } from '../../replay/export.js';
import { DEFAULT_STORE_PATH, openStore } from '../../replay/store.js';
import type { EpisodeFilter } from '../../replay/types.js';
import { CliUsageError, parseInteger } from '../errors.js';

interface ExportOptions {
  format: string;
  db: string;
  run?: string;
  split?: string;
  env?: string;
  taskType?: string;
  success?: string;
  iteration?: string;
  limit?: string;
  out?: string;
  actions?: boolean;
}

export function registerExportCommand(program: Command, out: (line: string) => void, err: (line: string) => void): void {
  program
    .command('export')
    .description('export recorded trajectories as chat-style JSONL (loss masks, rewards, advantages)')
    .option('--format <format>', 'output format (jsonl)', 'jsonl')
    .option('--db <file>', 'SQLite run store', DEFAULT_STORE_PATH)
    .option('--run <id>', 'episodes of this run only')
    .option('--split <split>', 'episodes of this task split only')
    .option('--env <id>', 'episodes of this env only')
    .option('--task-type <type>', 'episodes of this task type only')
    .option('--success <bool>', 'only successful (true) or failed (false) episodes')
    .option('--iteration <n>', 'episodes of this iteration only')
    .option('--limit <n>', 'at most n episodes')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--no-actions', 'do not list the admissible actions in the user turns')
    .action((opts: ExportOptions) => {
      if (opts.format !== 'jsonl') throw new CliUsageError(`--format must be jsonl, got '${opts.format}'`);
      const filter: EpisodeFilter = {};
      if (opts.run !== undefined) filter.runId = parseInteger('--run', opts.run, 1);
      if (opts.split !== undefined) filter.split = opts.split;
      if (opts.env !== undefined) filter.envId = opts.env;
      if (opts.taskType !== undefined) filter.taskType = opts.taskType;
      if (opts.iteration !== undefined) filter.iteration = parseInteger('--iteration', opts.iteration, 0);
      if (opts.success !== undefined) {
        if (opts.success !== 'true' && opts.success !== 'false') throw new CliUsageError(`--success must be true or false, got '${opts.success}'`);
        filter.success = opts.success === 'true';
      }
      const limit = opts.limit === undefined ? undefined : parseInteger('--limit', opts.limit, 1);
      if (opts.out !== undefined) checkOutPath(opts.out);
      const store = openStore(opts.db, { readonly: true });
      let fd: number | null;
      try {
        fd = opts.out === undefined ? null : openSync(opts.out, 'w');
      } catch (e) {
        store.close();
        throw new CliUsageError(`--out ${opts.out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a file in a folder you can write to`);
      }
      try {
        const write = fd === null ? out : (line: string) => void writeSync(fd, `${line}\n`);
        const n = exportJsonl(store, write, { filter, ...(limit === undefined ? {} : { limit }), includeActions: opts.actions !== false });
        if (fd !== null) err(`exported ${n} episode${n === 1 ? '' : 's'} to ${opts.out}`);
      } finally {
        if (fd !== null) closeSync(fd);
        store.close();
      }
    });
}

/** `--out` must name a file in an existing folder (the export does not create folders). */
function checkOutPath(out: string): void {
  const dir = path.dirname(path.resolve(out));
  if (!existsSync(dir)) throw new CliUsageError(`--out ${out}: the folder ${dir} does not exist; create it first (mkdir -p ${dir}) or choose another path`);
  if (!statSync(dir).isDirectory()) throw new CliUsageError(`--out ${out}: ${dir} is not a folder`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new CliUsageError(`--out ${out} is a folder; name a file, e.g. ${path.join(out, 'episodes.jsonl')}`);
}
