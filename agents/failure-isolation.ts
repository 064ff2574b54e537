/**
 * What the batched loops (runEpisodes, runGames) do with an env that fails mid-batch: errors the
 * caller isolates (a dropped connection) fail the env's whole group — every env with the same
 * `groupOf` — and the rest of the batch goes on; any other error is rethrown at once.
 * @module
 */
import type { ResetOptions } from '../envs/core/types.js';

export class FailureIsolation {
  private readonly failedGroups = new Map<string, unknown>();

  constructor(
    private readonly isolate: ((error: unknown) => boolean) | undefined,
    private readonly groupOf: (index: number) => string = (i) => String(i),
  ) {}

  /** Records env `index`'s failure, or rethrows an error the caller does not isolate. */
  fail(index: number, error: unknown): void {
    if (!(this.isolate?.(error) ?? false)) throw error;
    const group = this.groupOf(index);
    if (!this.failedGroups.has(group)) this.failedGroups.set(group, error);
  }

  /** True when env `index`'s group failed. */
  failed(index: number): boolean {
    return this.failedGroups.has(this.groupOf(index));
  }

  /** The error that failed env `index`'s group. */
  errorOf(index: number): unknown {
    return this.failedGroups.get(this.groupOf(index));
  }
}

/** The reset options of env `index`: one object per env, or one for all. */
export function resetOptionsAt(reset: ResetOptions | readonly ResetOptions[] | undefined, index: number): ResetOptions {
  return (Array.isArray(reset) ? reset[index] : (reset as ResetOptions | undefined)) ?? {};
}
