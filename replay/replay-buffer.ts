/**
 * The ARPO replay buffer: per (env, task) FIFO of successful trajectories (docs/algorithms.md, "ARPO").
 *
 * Capacity is per task (default 8, as ARPO); adding past it evicts the oldest. Sampling is uniform
 * with replacement (`random.choices`, k = 1). The buffer does not judge success: the trainer adds
 * only fresh rollouts whose eval > 0.1, after injection (replayed items are not re-added).
 *
 * Two implementations share this interface and one contract test: {@link MemoryReplayBuffer} and
 * the SQLite one returned by `RunStore.replayBuffer()`, which survives restarts.
 * @module
 */
import type { ReplayEntry, ReplayInput } from './types.js';

export const DEFAULT_REPLAY_CAPACITY = 8;

export interface ReplayBuffer {
  /** Trajectories kept per (env, task). */
  readonly capacity: number;
  /** Appends a trajectory, then evicts the oldest of its task beyond capacity. */
  add(item: ReplayInput): { entry: ReplayEntry; evicted: number };
  /**
   * One stored trajectory of the task, uniformly at random; null when the task has none.
   * @param random uniform in [0, 1) (default Math.random); pass a seeded one for reproducibility.
   */
  sample(envId: string, taskId: string, random?: () => number): ReplayEntry | null;
  size(envId: string, taskId: string): number;
  /** The task's trajectories, oldest first. */
  list(envId: string, taskId: string): ReplayEntry[];
  /** Evicts the task's oldest trajectories until at most `keep` (default: capacity) remain. */
  evict(envId: string, taskId: string, keep?: number): number;
  /** Empties the buffer (all tasks). */
  clear(): void;
}

export function checkCapacity(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`Replay buffer capacity must be a positive integer; got ${capacity}.`);
  }
  return capacity;
}

export function checkKeep(keep: number): number {
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`evict(keep) must be an integer >= 0; got ${keep}.`);
  return keep;
}

/** Draws an index in [0, n) from a uniform [0, 1) source, guarding against sources that return 1. */
export function pickIndex(n: number, random: () => number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** In-process buffer for runs without a store. Same behaviour as the SQLite one. */
export class MemoryReplayBuffer implements ReplayBuffer {
  readonly capacity: number;
  private readonly scope: string;
  private readonly byTask = new Map<string, ReplayEntry[]>();
  private nextId = 1;

  constructor(options: { capacity?: number; scope?: string } = {}) {
    this.capacity = checkCapacity(options.capacity ?? DEFAULT_REPLAY_CAPACITY);
    this.scope = options.scope ?? '';
  }

  add(item: ReplayInput): { entry: ReplayEntry; evicted: number } {
    const entry: ReplayEntry = {
      id: this.nextId++,
      scope: this.scope,
      envId: item.envId,
      taskId: item.taskId,
      return: item.return,
      trajectory: structuredClone(item.trajectory),
      runId: item.runId ?? null,
      episodeId: item.episodeId ?? null,
      createdAt: Date.now(),
    };
    const key = taskKey(item.envId, item.taskId);
    const list = this.byTask.get(key) ?? [];
    list.push(entry);
    this.byTask.set(key, list);
    return { entry: structuredClone(entry), evicted: this.evict(item.envId, item.taskId) };
  }

  sample(envId: string, taskId: string, random: () => number = Math.random): ReplayEntry | null {
    const list = this.byTask.get(taskKey(envId, taskId));
    if (list === undefined || list.length === 0) return null;
    return structuredClone(list[pickIndex(list.length, random)]!);
  }

  size(envId: string, taskId: string): number {
    return this.byTask.get(taskKey(envId, taskId))?.length ?? 0;
  }

  list(envId: string, taskId: string): ReplayEntry[] {
    return structuredClone(this.byTask.get(taskKey(envId, taskId)) ?? []);
  }

  evict(envId: string, taskId: string, keep: number = this.capacity): number {
    checkKeep(keep);
    const list = this.byTask.get(taskKey(envId, taskId));
    if (list === undefined || list.length <= keep) return 0;
    return list.splice(0, list.length - keep).length;
  }

  clear(): void {
    this.byTask.clear();
  }
}

function taskKey(envId: string, taskId: string): string {
  return JSON.stringify([envId, taskId]);
}
