/**
 * A `ludus serve --port 0` child process for the benchmarks that measure over the WebSocket: its
 * URL (read from the `listening ws://…` line), and its resident memory and CPU time from /proc.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ServerChild {
  process: ChildProcess;
  url: string;
  /** Resident memory now, in MiB. */
  rssMiB(): number;
  /** CPU seconds so far (utime + stime, at 100 ticks a second). */
  cpuSeconds(): number;
}

const BIN = fileURLToPath(new URL('../bin/ludus.js', import.meta.url));

/** Starts `ludus serve --port 0 [...args]` (stderr passed through) and resolves once it listens. */
export async function startServerChild(args: string[] = []): Promise<ServerChild> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /listening (ws:\/\/\S+)/.exec(line);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    process: child,
    url,
    rssMiB: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
  };
}
