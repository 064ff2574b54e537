/**
 * The built-in task suite: the MiniWoB-style tasks (written for this project, one file each) and
 * the shop in GUI modality. `BUILTIN_TASKS` is a plain record by name; an env may be built with
 * another suite (tests do, with fault pages).
 * @module
 */
import { clickButton } from './click-button.js';
import { enterText } from './enter-text.js';
import type { BrowserTask } from './types.js';

/** The MiniWoB-style tasks, in suite order (split indices cycle in this order). */
export const MINIWOB_TASKS: readonly BrowserTask[] = [clickButton, enterText];

export const BUILTIN_TASKS: Readonly<Record<string, BrowserTask>> = Object.fromEntries([...MINIWOB_TASKS].map((t) => [t.name, t]));

/** The tasks an env plays by default. */
export const DEFAULT_TASK_NAMES: readonly string[] = MINIWOB_TASKS.map((t) => t.name);

export type BrowserSuite = Readonly<Record<string, BrowserTask>>;
export type { BrowserTask } from './types.js';
