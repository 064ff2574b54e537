/**
 * What a browser-v1 task is. A task is plain data and pure functions — no browser in here:
 *
 *  - `generate(rng, ctx)`: the seeded instance (plain JSON): the target, the distractors, the
 *    page's content. Everything random is drawn here, so an instance is a pure function of its
 *    seed.
 *  - `goal(instance)`: the instruction, in words.
 *  - `serve(instance, request)`: the page(s), served from memory on the private origin. Pages are
 *    deterministic HTML (their scripts never read the clock; `Math.random` is seeded). Elements the
 *    reward cares about carry `data-key` (clicks and focus become events), buttons that submit
 *    carry `data-submit` (their form's named fields become a `submit` event).
 *  - `check(instance, events, ctx)`: the reward so far from the episode's events, and whether the
 *    task is over. Pure; rewards are in [−1, 1] and success is a reward of exactly 1.
 *  - `fillValues(instance)`: the values `fill` candidates use (taken from the goal, and for tasks
 *    whose answer is on the page, a few values from the page among distractors).
 *  - `solve(instance, view, memory)`: the expert's hook. Given the hidden instance and the current
 *    tree (parsed back from the observation text), the next action. `memory` is the planner's own
 *    scratch space for the episode.
 * @module
 */
import type { Rng } from '../../core/rng.js';
import type { JsonValue } from '../../core/types.js';
import type { Catalog } from '../../shop/catalog.js';
import type { TreeNode } from '../axtree.js';
import type { PageEvent } from '../page-script.js';

export type TaskEvent = PageEvent;

export interface PageRequest {
  /** The URL path on the private origin, e.g. `/` or `/search`. */
  path: string;
  /** Query parameters (the last value wins for repeated names). */
  query: Record<string, string>;
  method: string;
  /** The raw path + query, as requested. */
  url: string;
}

export interface PageResponse {
  status: number;
  /** `text/html` unless given. */
  contentType?: string;
  body: string;
  /** Binary content (images, fonts), served instead of `body` when given. */
  bytes?: Buffer;
}

/** What tasks may need beyond their instance (the shop tasks read the catalog). */
export interface TaskContext {
  /** The shop catalog, opened lazily (only shop tasks touch it). */
  catalog(): Catalog;
}

export interface TaskCheck {
  /** The task is over (the episode terminates). */
  done: boolean;
  /** The task's reward, in [−1, 1]; given when `done` (0 before). 1 is success, partial credit is not. */
  reward: number;
  /** What the reward is made of (every task reports its own named parts). */
  components: Record<string, number>;
}

/** The expert's view of the page: the parsed tree and the URL. */
export interface PageView {
  nodes: readonly TreeNode[];
  url: string;
  /** Path of the URL on the private origin. */
  path: string;
}

export interface BrowserTask<I = any> {
  /** Task name, also its `info.task.type` (kebab-case, e.g. `click-button`). */
  readonly name: string;
  /** One line for docs and `ludus envs`. */
  readonly description: string;
  /** MiniWoB's episode time in ms, for the optional time-decayed reward. */
  readonly maxTimeMs: number;
  /** The instance (plain JSON) for an instance seed. */
  generate(rng: Rng, ctx: TaskContext, seed: number): I;
  /** The path the episode starts on (default `/`). */
  startPath?(instance: I): string;
  goal(instance: I): string;
  serve(instance: I, request: PageRequest, ctx: TaskContext): PageResponse | null;
  check(instance: I, events: readonly TaskEvent[], ctx: TaskContext): TaskCheck;
  fillValues(instance: I): string[];
  solve(instance: I, view: PageView, memory: Record<string, JsonValue>): string;
  /**
   * Tasks whose instruction only the page knows (MiniWoB++-style pages: the utterance appears
   * when the page starts its episode): the goal read from the reset's page events, or an error
   * message when the page did not start one. `goal(instance)` is not used for them.
   */
  goalFromEvents?(instance: I, events: readonly TaskEvent[]): { goal: string } | { error: string };
  /** With goalFromEvents: the fill values, from the goal. */
  fillValuesFromGoal?(goal: string): string[];
}

/** The check result while nothing decisive happened. */
export const PENDING: TaskCheck = Object.freeze({ done: false, reward: 0, components: {} }) as TaskCheck;

export function done(reward: number, components: Record<string, number> = {}): TaskCheck {
  return { done: true, reward: Math.max(-1, Math.min(1, reward)), components: { ...components } };
}
