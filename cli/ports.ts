/**
 * Ports on the command line: `--port` parsed with a message that names the flag, and listen
 * failures (port in use, no permission) explained in the user's terms.
 * @module
 */
import { CliUsageError } from './errors.js';

/** `--port` as an integer 0..65535 (0 picks a free port). */
export function parsePort(value: string, flag = '--port'): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 65535) {
    throw new CliUsageError(`${flag} must be an integer from 0 to 65535 (0 picks a free port), got '${value}'`);
  }
  return n;
}

/** An error that tells which --host/--port could not be bound and what to do; other errors unchanged. */
export function explainListenError(err: unknown, host: string, port: number, flag = '--port'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(`${flag} ${port} is already in use on ${host}: stop what uses it, pick another port, or pass ${flag} 0 for a free one.`, { cause: err });
  }
  if (code === 'EACCES') {
    return new Error(`Not allowed to listen on ${host}:${port} (${flag}): ports below 1024 need privileges; pick a port from 1024 to 65535, or ${flag} 0.`, { cause: err });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new Error(`Cannot listen on --host ${host}: it is not an address of this machine.`, { cause: err });
  }
  return err;
}

/** Runs `listen` and rethrows its failure explained (see explainListenError). */
export async function listenExplained<T>(host: string, port: number, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    throw explainListenError(err, host, port);
  }
}
