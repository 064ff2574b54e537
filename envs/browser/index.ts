/**
 * browser-v1: GUI tasks driven through Playwright. The spec is what the registry needs; the rest
 * is exported for tools, tests, the expert and custom task suites.
 * @module
 */
export { browserSpec } from './spec.js';
export { BrowserEnv, BROWSER_ENV_ID, BROWSER_SPLITS } from './env.js';
export { browserOptionsSchema, SCREENSHOT_MODES, type BrowserOptions, type BrowserOptionsInput, type ScreenshotMode } from './options.js';
export { parseAction, formatAction, callPart, repairAction, VERBS, type BrowserAction } from './actions.js';
export { formatTree, parseTree, parseLine, anchorText, type TreeNode } from './axtree.js';
export { candidateActions } from './candidates.js';
export { BrowserHost, sharedBrowser, findChromium, CHROMIUM_FLAGS, type ChromiumLocation } from './chromium.js';
export { PRIVATE_ORIGIN, BLOCKED_KINDS, type BlockedCounts, type BlockedKind } from './confinement.js';
export { BrowserError, type BrowserErrorCode, type Fault } from './errors.js';
export { resolveBrowserTask, browserTaskId, instanceSeed, splitSizes, BROWSER_SPLITS_PER_TASK, TEST_SEED_OFFSET, type ResolvedTask } from './splits.js';
export { BUILTIN_TASKS, MINIWOB_TASKS, DEFAULT_TASK_NAMES, type BrowserSuite } from './tasks/index.js';
export type { BrowserTask, PageView, TaskCheck, TaskEvent, TaskContext, PageRequest, PageResponse } from './tasks/types.js';
