/**
 * `ludus replay [--db] [--port] [--host]`: the local web viewer over a run store.
 * `ludus replay --verify <episode-id>`: re-simulate a recorded episode and report any drift
 * (exit 0 when identical, 1 on drift); `--verify game:<id>` does the same for a league game.
 */
import type { Command } from 'commander';
import { DEFAULT_STORE_PATH, openStore } from '../../replay/store.js';
import { formatVerifyReport, verifyEpisode } from '../../replay/verify.js';
import { formatGameVerifyReport, verifyLeagueGame } from '../../replay/game-replay.js';
import { LeagueStore } from '../../replay/league-store.js';
import { startViewer } from '../../replay/viewer/server.js';
import { parseInteger } from '../errors.js';
import { listenExplained, parsePort } from '../ports.js';
import { serveUntilSignal } from '../serve-until-signal.js';

interface ReplayOptions {
  db: string;
  port: string;
  host: string;
  verify?: string;
  json?: boolean;
  token?: string;
}


export function registerReplayCommand(program: Command, out: (line: string) => void, err: (line: string) => void): void {
  program
    .command('replay')
    .description('web viewer of a run store (runs, curves, episodes, step timelines); prints `listening http://HOST:PORT`')
    .option('--db <file>', 'SQLite run store', DEFAULT_STORE_PATH)
    .option('--port <port>', 'port; 0 picks a free one', '8080')
    .option('--host <host>', 'interface to bind (a non-loopback host needs --token)', '127.0.0.1')
    .option('--token <token>', 'secret every request must carry (Authorization: Bearer, or open ?token= once); default $LUDUS_VIEWER_TOKEN')
    .option('--verify <episode-id>', 're-simulate this episode (or game:<id>, a league game) from env, task, seed and actions; exit 1 on drift')
    .option('--json', 'with --verify: print the report as JSON')
    .action(async (opts: ReplayOptions) => {
      if (opts.verify !== undefined && opts.verify.startsWith('game:')) {
        const id = parseInteger('--verify game:', opts.verify.slice(5), 1);
        const store = openStore(opts.db, { readonly: true });
        try {
          const report = await verifyLeagueGame(new LeagueStore(store), id);
          if (opts.json) out(JSON.stringify(report, null, 2));
          else for (const line of formatGameVerifyReport(report)) out(line);
          if (!report.identical) process.exitCode = 1;
        } finally {
          store.close();
        }
        return;
      }
      if (opts.verify !== undefined) {
        const id = parseInteger('--verify', opts.verify, 1);
        const store = openStore(opts.db, { readonly: true });
        try {
          const report = await verifyEpisode(store, id);
          if (opts.json) out(JSON.stringify(report, null, 2));
          else for (const line of formatVerifyReport(report)) out(line);
          if (!report.identical) process.exitCode = 1;
        } finally {
          store.close();
        }
        return;
      }
      const port = parsePort(opts.port);
      const token = opts.token ?? (process.env.LUDUS_VIEWER_TOKEN || undefined);
      const viewer = await listenExplained(opts.host, port, () => startViewer({ db: opts.db, port, host: opts.host, ...(token === undefined ? {} : { token }) }));
      out(`listening ${viewer.url}`);
      await serveUntilSignal(viewer);
    });
}
