/**
 * The browser-v1 spec: what `register` needs. Snapshots by replay (a browser's state is not plain
 * JSON: `make` re-plays the action log from the seed in the same context), renders screenshots.
 * Max 30 steps per episode by default (the trainer's default; MiniWoB tasks need 1-12, a shop
 * episode up to ~15).
 * @module
 */
import type { EnvSpec } from '../core/spec.js';
import { BROWSER_ENV_ID, BROWSER_SPLITS, BrowserEnv } from './env.js';
import { browserOptionsSchema, type BrowserOptions } from './options.js';

export const browserSpec: EnvSpec<BrowserOptions> = {
  id: BROWSER_ENV_ID,
  description: 'GUI tasks in Chromium through Playwright: 35 MiniWoB-style tasks and the shop, accessibility tree with stable ids, BrowserGym-style calls',
  kind: 'single',
  capabilities: { snapshot: 'replay', screenshots: true },
  entryPoint: (options) => new BrowserEnv(options),
  options: browserOptionsSchema,
  maxEpisodeSteps: 30,
  invalidActionPolicy: 'noop',
  splits: { ...BROWSER_SPLITS },
};
