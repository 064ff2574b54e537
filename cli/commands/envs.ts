/** `ludus envs [--json]`: the registered envs, their kind, snapshot capability, splits and limits. */
import type { Command } from 'commander';
import { list } from '../../envs/core/registry.js';

export function registerEnvsCommand(program: Command, out: (line: string) => void): void {
  program
    .command('envs')
    .description('list the registered environments')
    .option('--json', 'print JSON instead of a table')
    .action((opts: { json?: boolean }) => {
      const envs = list();
      if (opts.json) {
        out(JSON.stringify(envs, null, 2));
        return;
      }
      const rows = envs.map((e) => [
        e.id,
        e.kind === 'multi' ? `multi (${e.seats?.count} seats)` : 'single',
        e.capabilities.snapshot,
        String(e.maxEpisodeSteps ?? '-'),
        Object.entries(e.splits)
          .map(([k, v]) => `${k}:${v}`)
          .join(' '),
        e.description,
      ]);
      const header = ['id', 'kind', 'snapshot', 'max steps', 'splits', 'description'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
      const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
      out(fmt(header));
      for (const r of rows) out(fmt(r));
    });
}
