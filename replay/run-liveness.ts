/**
 * Dead-run detection. A process that records a run stamps it with its process id, its host name
 * and a heartbeat (refreshed by the store while the run is open, and by every write). A run still
 * marked 'running' whose process is gone is reported as 'crashed':
 *
 * - on the same host: its process id no longer exists;
 * - from another host (or a run written before heartbeats existed): its heartbeat (or last
 *   update) is older than `staleAfterMs`.
 *
 * Nothing is rewritten: the status is derived when a run is read, so a read-only viewer sees it
 * too, and `--resume` (which stamps the run again) brings it back to 'running'.
 * @module
 */
import { hostname } from 'node:os';
import type { RunStore } from './store.js';
import type { RunInfo } from './types.js';

/** A heartbeat older than this marks a run of another host (or of an old ludus) as crashed. */
export const DEFAULT_STALE_AFTER_MS = 10 * 60_000;

/** How often an open store refreshes the heartbeat of the runs it is recording. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** This machine's name, as stamped on runs. */
export const HOST = hostname();

/** True when a process with this id exists (and may be signalled or not: EPERM still means alive). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RunLivenessFacts {
  pid: number | null;
  host: string | null;
  heartbeatAt: number | null;
  updatedAt: number;
}

/** Why a 'running' run is dead, or null when it may still be alive. */
export function deadRunReason(run: RunLivenessFacts, now = Date.now(), staleAfterMs = DEFAULT_STALE_AFTER_MS): string | null {
  const beat = run.heartbeatAt ?? run.updatedAt;
  if (run.pid !== null && run.host === HOST) {
    return processAlive(run.pid) ? null : `its process ${run.pid} on ${run.host} is gone`;
  }
  if (now - beat > staleAfterMs) {
    const where = run.pid !== null && run.host !== null ? `process ${run.pid} on ${run.host}` : 'its process';
    return `${where} sent no heartbeat for ${Math.round((now - beat) / 60_000)} min`;
  }
  return null;
}

export interface ResumeFacts {
  runId: number;
  lastIteration: number | null;
  /** The newest checkpoint recorded for the run, if any. */
  checkpoint: { iteration: number; path: string } | null;
  /** The run's checkpoint folder and store file, for the command line. */
  checkpointDir: string | null;
  db: string;
}

/** What `ludus train --resume` can and cannot do for a crashed (or killed) run, in one paragraph. */
export function resumeAdvice(f: ResumeFacts): string {
  const kept =
    f.lastIteration === null
      ? 'It recorded no iteration.'
      : `Its recorded iterations 0..${f.lastIteration} stay in the store and can be viewed.`;
  if (f.checkpoint === null) {
    return (
      `${kept} It saved no checkpoint, so \`--resume\` cannot continue it (there are no weights, optimizer or RNG state to resume from): ` +
      'start a new run (with another --checkpoint-dir, or the same one once you removed it).'
    );
  }
  const dir = f.checkpointDir ?? `<the run's --checkpoint-dir>`;
  const redo = f.lastIteration !== null && f.lastIteration > f.checkpoint.iteration ? ` Iterations ${f.checkpoint.iteration + 1}..${f.lastIteration} were recorded after it and are dropped, then collected again.` : '';
  return (
    `${kept} \`ludus train --resume --checkpoint-dir ${dir} --db ${f.db}\` continues it from its last checkpoint ` +
    `(iteration ${f.checkpoint.iteration}) as the same run.${redo}`
  );
}

/** For a crashed or killed training run: what `--resume` can and cannot do (from the store); else null. */
export function resumeText(store: RunStore, run: RunInfo): string | null {
  if (run.kind !== 'train' || (run.status !== 'crashed' && run.status !== 'killed')) return null;
  const checkpoint = store.latestCheckpoint(run.id);
  const dir = run.config.checkpointDir;
  return resumeAdvice({
    runId: run.id,
    lastIteration: run.lastIteration,
    checkpoint: checkpoint === null ? null : { iteration: checkpoint.iteration, path: checkpoint.path },
    checkpointDir: typeof dir === 'string' ? dir : null,
    db: store.path,
  });
}
