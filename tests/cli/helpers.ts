import { Readable } from 'node:stream';
import { main } from '../../cli/main.js';

export interface CliRun {
  out: string[];
  err: string[];
  exitCode: number;
}

/** Runs the CLI in process with the given argv and stdin text. */
export async function runCli(args: string[], stdin = ''): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await main(['node', 'ludus', ...args], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      stdin: () => Readable.from([stdin]),
    });
    return { out, err, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
  }
}
