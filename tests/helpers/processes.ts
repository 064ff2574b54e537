/**
 * Real `ludus` processes for tests: an env server (`ludus serve --port 0`) read back from its
 * `listening ws://…` line, and any CLI command run to completion with its output and timing.
 * Every child is killed (after SIGCONT, in case a test stopped it) by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const BIN = path.join(import.meta.dirname, '../../bin/ludus.js');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  pid: number;
  /** SIGSTOP: the process freezes; its sockets stay open but nothing answers. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  /** SIGCONT, then SIGKILL; resolves once it exited. Safe to call twice. */
  stop(): Promise<void>;
  /** What it wrote to stderr so far, and how it exited (null while running): for failure messages. */
  report(): string;
}

/** Starts `ludus serve --port 0 [...args]` and resolves with its URL. */
export async function spawnServer(args: string[] = [], timeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ludus serve printed no 'listening' line in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (ws:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ludus serve exited (${code}) before listening: ${err}`));
    });
  }).catch(async (e: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw e;
  });
  const pid = child.pid!;
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = `exit ${code ?? signal}`));
  return {
    report: () => `server ${url} (pid ${pid}, ${exit ?? 'running'}): ${err || '(no stderr)'}`,
    url,
    child,
    pid,
    freeze: () => process.kill(pid, 'SIGSTOP'),
    thaw: () => process.kill(pid, 'SIGCONT'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(pid, 'SIGCONT');
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
}

export interface CliProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** ms from start to exit. */
  ms: number;
  /** ms from the first stdout byte to exit (the summary is the only stdout of most commands). */
  msAfterFirstOutput: number | null;
}

/** Runs `ludus ...args` as a child; SIGKILLs it after `timeoutMs` (then `signal` is SIGKILL). */
export function runBin(args: string[], timeoutMs = 60_000): Promise<CliProcessRun> {
  const start = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let firstOut: number | null = null;
  child.stdout!.on('data', (d: Buffer) => {
    firstOut ??= performance.now();
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const end = performance.now();
      resolve({ code, signal, stdout, stderr, ms: end - start, msAfterFirstOutput: firstOut === null ? null : end - firstOut });
    });
  });
}
