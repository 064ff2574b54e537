/**
 * How the CLI reports failures: one line `error [CODE]: message` on stderr and a non-zero exit.
 * @module
 */
import { LudusError } from '../envs/core/errors.js';

/** A usage or input problem found by the CLI itself (exit code 2). */
export class CliUsageError extends Error {
  readonly exitCode = 2;
}

export function formatError(err: unknown): string {
  if (err instanceof LudusError) return `error [${err.code}]: ${err.message}`;
  if (err instanceof CliUsageError) return `error [USAGE]: ${err.message}`;
  if (err instanceof Error) return `error: ${err.message}`;
  return `error: ${String(err)}`;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof CliUsageError ? 2 : 1;
}

/** Parses `--option key=value` pairs; values are JSON when they parse, else strings. */
export function parseKeyValues(pairs: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`--option expects key=value, got '${pair}'`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    try {
      out[key] = JSON.parse(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

export function parseInteger(name: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliUsageError(`${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}
