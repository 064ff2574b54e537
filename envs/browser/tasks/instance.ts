/**
 * A task's instance for an instance seed: the one place the seeding is written, so the env and
 * the expert (agents/browser-expert.ts) always build the same instance.
 * @module
 */
import { Rng } from '../../core/rng.js';
import type { BrowserTask, TaskContext } from './types.js';

export function taskInstance<I>(task: BrowserTask<I>, seed: number, ctx: TaskContext): I {
  return task.generate(new Rng(`browser-v1/${task.name}/${seed}`), ctx, seed);
}
