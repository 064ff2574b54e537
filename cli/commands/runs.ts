/**
 * `ludus runs [--db] [--status s] [--json]`: the runs of a store with their status. A run whose
 * process died reads as `crashed`; for crashed and killed training runs it says what
 * `ludus train --resume` can and cannot do.
 */
import type { Command } from 'commander';
import { safeText } from '../../replay/inspect.js';
import { DEFAULT_STORE_PATH, openStore } from '../../replay/store.js';
import type { RunStatus } from '../../replay/types.js';
import { resumeText } from '../../replay/run-liveness.js';
import { CliUsageError } from '../errors.js';

const STATUSES: readonly RunStatus[] = ['running', 'finished', 'failed', 'killed', 'crashed'];

export function registerRunsCommand(program: Command, out: (line: string) => void): void {
  program
    .command('runs')
    .description('list the runs of a store with their status (a run whose process died shows as crashed)')
    .option('--db <file>', 'SQLite run store', DEFAULT_STORE_PATH)
    .option('--status <status>', `only runs with this status (${STATUSES.join(' | ')})`)
    .option('--json', 'print JSON (with, for crashed and killed runs, what --resume can do)')
    .action((opts: { db: string; status?: string; json?: boolean }) => {
      if (opts.status !== undefined && !STATUSES.includes(opts.status as RunStatus)) {
        throw new CliUsageError(`--status must be one of ${STATUSES.join(', ')}; got '${opts.status}'`);
      }
      const store = openStore(opts.db, { readonly: true });
      try {
        const runs = store.listRuns(opts.status === undefined ? {} : { status: opts.status as RunStatus });
        const withAdvice = runs.map((run) => ({ run, resume: resumeText(store, run) }));
        if (opts.json) {
          out(JSON.stringify(withAdvice.map(({ run, resume }) => ({ ...run, resume })), null, 2));
          return;
        }
        if (runs.length === 0) {
          out(`no runs in ${opts.db}${opts.status === undefined ? '' : ` with status ${opts.status}`}`);
          return;
        }
        const rows = runs.map((r) => [String(r.id), safeText(r.name), r.kind, r.algo ?? '-', r.envId, r.status, r.lastIteration === null ? '-' : String(r.lastIteration + 1)]);
        const header = ['id', 'name', 'kind', 'algo', 'env', 'status', 'iterations'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
        const fmt = (row: string[]) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd();
        out(fmt(header));
        for (const row of rows) out(fmt(row));
        for (const { run, resume } of withAdvice) {
          if (run.crashReason === null && resume === null) continue;
          out('');
          if (run.crashReason !== null) out(`run ${run.id} crashed: ${safeText(run.crashReason)}.`);
          else out(`run ${run.id} was ${run.status}.`);
          if (resume !== null) out(safeText(resume));
        }
      } finally {
        store.close();
      }
    });
}
