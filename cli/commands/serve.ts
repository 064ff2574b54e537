/**
 * `ludus serve [--host] [--port] [--token]`: serve every registered env over WebSocket (JSON-RPC
 * 2.0), with `GET /healthz`, `/livez` and `/metrics` on the same port. SIGTERM drains (open
 * sessions go on for up to --drain-timeout, new ones are refused), then exits; a second signal
 * exits at once.
 */
import type { Command } from 'commander';
import { startServer } from '../../envs/server/env-server.js';
import { computeAdvantages } from '../../trainer/advantages/compute-request.js';
import { parseInteger } from '../errors.js';
import { listenExplained, parsePort } from '../ports.js';
import { serveUntilSignal } from '../serve-until-signal.js';

interface ServeOptions {
  host: string;
  port: string;
  token?: string;
  maxSessions?: string;
  idleTimeout?: string;
  maxPayload?: string;
  drainTimeout: string;
}

export function registerServeCommand(program: Command, out: (line: string) => void): void {
  program
    .command('serve')
    .description('serve the registered envs over WebSocket; prints `listening ws://HOST:PORT`')
    .option('--host <host>', 'interface to bind (a non-loopback host needs --token)', '127.0.0.1')
    .option('--port <port>', 'port; 0 picks a free one', '8765')
    .option('--token <token>', 'shared secret clients must send (Authorization: Bearer, or ?token=); default $LUDUS_TOKEN')
    .option('--max-sessions <n>', 'open sessions across all connections (default 1024)')
    .option('--idle-timeout <ms>', 'close sessions unused for this long; 0 never (default 300000)')
    .option('--max-payload <bytes>', 'largest inbound frame (default 1048576)')
    .option('--drain-timeout <ms>', 'on SIGTERM, how long open sessions may go on before the server closes', '30000')
    .action(async (opts: ServeOptions) => {
      const token = opts.token ?? (process.env.LUDUS_TOKEN || undefined);
      const port = parsePort(opts.port);
      const options = {
        host: opts.host,
        port,
        ...(token === undefined ? {} : { token }),
        ...(opts.maxSessions === undefined ? {} : { maxSessions: parseInteger('--max-sessions', opts.maxSessions, 1) }),
        ...(opts.idleTimeout === undefined ? {} : { idleTimeoutMs: parseInteger('--idle-timeout', opts.idleTimeout, 0) }),
        ...(opts.maxPayload === undefined ? {} : { maxPayload: parseInteger('--max-payload', opts.maxPayload, 1) }),
      };
      const drainMs = parseInteger('--drain-timeout', opts.drainTimeout, 0);
      const server = await listenExplained(opts.host, port, () => startServer(options, { advantages: computeAdvantages }));
      const stopped = serveUntilSignal({ close: () => server.close(), drain: () => server.drain(drainMs) }); // handlers before the announcement
      out(`listening ${server.url}`);
      await stopped;
    });
}
