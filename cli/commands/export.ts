/**
 * `ludus export --format jsonl [--db] [--run] [--split] [--out]`: trajectories as chat-style JSONL
 * (loss masks, per-turn rewards and advantages) for other trainers. Format: docs/replay.md.
 *
 * `--format trl|verl`: one row per turn for a Python trainer (prompt messages and ids, completion
 * text and ids, advantage, loss mask, old log-probs), as JSONL, or Parquet when `--out` ends in
 * `.parquet`. Says which fields some turns lack; `--require` makes a missing one an error.
 * Fields: docs/llm-training.md.
 */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { exportJsonl } from '../../replay/export.js';
import { forEachTurn, missingFieldNotes, REQUIRABLE, TURN_FORMATS, turnRow, writeTurnsParquet, type Turn, type TurnExportSummary, type TurnFormat } from '../../replay/export-turns.js';
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
  require?: string[];
  history: string;
}

export function registerExportCommand(program: Command, out: (line: string) => void, err: (line: string) => void): void {
  program
    .command('export')
    .description('export recorded trajectories: chat-style JSONL per episode (jsonl), or per turn for TRL or verl (JSONL or Parquet)')
    .option('--format <format>', 'jsonl (one chat record per episode) | trl | verl (one row per turn; Parquet when --out ends in .parquet)', 'jsonl')
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
    .option('--require <fields...>', `trl/verl: fail unless every turn has these (${REQUIRABLE.join(', ')})`)
    .option('--history <n>', 'trl/verl: past steps in a prompt rendered for turns without a language-model record', '4')
    .action(async (opts: ExportOptions) => {
      if (opts.format !== 'jsonl' && !(TURN_FORMATS as readonly string[]).includes(opts.format)) throw new CliUsageError(`--format must be jsonl, trl or verl, got '${opts.format}'`);
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
      if (opts.format !== 'jsonl') {
        await exportTurns(opts, opts.format as TurnFormat, filter, limit, out, err);
        return;
      }
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

async function exportTurns(opts: ExportOptions, format: TurnFormat, filter: EpisodeFilter, limit: number | undefined, out: (line: string) => void, err: (line: string) => void): Promise<void> {
  const required = opts.require ?? [];
  const unknown = required.filter((f) => !(REQUIRABLE as readonly string[]).includes(f));
  if (unknown.length > 0) throw new CliUsageError(`--require: unknown field(s) ${unknown.join(', ')}; choose from ${REQUIRABLE.join(', ')}`);
  const parquet = opts.out !== undefined && opts.out.endsWith('.parquet');
  const options = { filter, history: parseInteger('--history', opts.history, 0), ...(limit === undefined ? {} : { limit }) };
  const store = openStore(opts.db, { readonly: true });
  let summary: TurnExportSummary;
  const turns: Turn[] = [];
  let fd: number | null = null;
  try {
    if (parquet) {
      summary = forEachTurn(store, format, options, (t) => turns.push(t));
    } else {
      // check first (a missing required field must leave no half-written file), then write
      summary = forEachTurn(store, format, options, () => undefined);
      checkRequired(summary, required, format);
      try {
        fd = opts.out === undefined ? null : openSync(opts.out, 'w');
      } catch (e) {
        throw new CliUsageError(`--out ${opts.out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a file in a folder you can write to`);
      }
      const write = fd === null ? out : (line: string) => void writeSync(fd as number, `${line}\n`);
      forEachTurn(store, format, options, (t) => write(JSON.stringify(turnRow(format, t))));
    }
  } finally {
    if (fd !== null) closeSync(fd);
    store.close();
  }
  if (parquet) {
    checkRequired(summary, required, format);
    await writeTurnsParquet(opts.out as string, format, turns);
  }
  const where = opts.out === undefined ? 'standard output' : opts.out;
  err(`exported ${summary.turns} turns of ${summary.episodes} episodes to ${where} (${format}, ${parquet ? 'Parquet' : 'JSONL'})${summary.replacedEpisodes > 0 ? `; left out ${summary.replacedEpisodes} episodes that ARPO replays replaced` : ''}`);
  for (const m of missingFieldNotes(summary, format)) err(m.note);
}

function checkRequired(summary: TurnExportSummary, required: readonly string[], format: TurnFormat): void {
  const lacking = required.filter((f) => summary.missing[f as keyof TurnExportSummary['missing']] > 0);
  if (lacking.length === 0) return;
  const notes = missingFieldNotes(summary, format).filter((m) => lacking.includes(m.field)).map((m) => m.note);
  throw new CliUsageError(`--require ${lacking.join(' ')}: ${notes.join('; ')}; nothing was written`);
}

/** `--out` must name a file in an existing folder (the export does not create folders). */
function checkOutPath(out: string): void {
  const dir = path.dirname(path.resolve(out));
  if (!existsSync(dir)) throw new CliUsageError(`--out ${out}: the folder ${dir} does not exist; create it first (mkdir -p ${dir}) or choose another path`);
  if (!statSync(dir).isDirectory()) throw new CliUsageError(`--out ${out}: ${dir} is not a folder`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new CliUsageError(`--out ${out} is a folder; name a file, e.g. ${path.join(out, 'episodes.jsonl')}`);
}
