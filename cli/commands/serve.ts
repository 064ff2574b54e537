/** `ludus serve [--host] [--port] [--token]`: serve every registered env over WebSocket (JSON-RPC 2.0). */
import type { Command } from 'commander';
import { startServer } from '../../envs/server/env-server.js';
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
}

export function registerServeCommand(program: Command, out: (line: string) => void): void {
  program
    .command('serve')
    .description('serve the registered envs over WebSocket; prints `listening ws://HOST:PORT`')
    .option('--host <host>', 'interface to bind (a non-loopback host needs --token)', '127.0.0.1')
    .option('--port <port>', 'port; 0 picks a free one', '8765')
    .option('--token <token>', 'shared secret clients must send (Authorization: Bearer, or ?token=)')
    .option('--max-sessions <n>', 'open sessions across all connections (default 1024)')
    .option('--idle-timeout <ms>', 'close sessions unused for this long; 0 never (default 300000)')
    .option('--max-payload <bytes>', 'largest inbound frame (default 1048576)')
    .action(async (opts: ServeOptions) => {
      const port = parsePort(opts.port);
      const options = {
        host: opts.host,
        port,
        ...(opts.token === undefined ? {} : { token: opts.token }),
        ...(opts.maxSessions === undefined ? {} : { maxSessions: parseInteger('--max-sessions', opts.maxSessions, 1) }),
        ...(opts.idleTimeout === undefined ? {} : { idleTimeoutMs: parseInteger('--idle-timeout', opts.idleTimeout, 0) }),
        ...(opts.maxPayload === undefined ? {} : { maxPayload: parseInteger('--max-payload', opts.maxPayload, 1) }),
      };
      const server = await listenExplained(opts.host, port, () => startServer(options));
      out(`listening ${server.url}`);
      await serveUntilSignal(server);
    });
}
