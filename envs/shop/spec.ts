/**
 * The shop-v1 spec: what `register` needs. Max 15 steps per episode (verl-agent's WebShop limit).
 * @module
 */
import type { EnvSpec } from '../core/spec.js';
import { SHOP_ENV_ID, ShopEnv } from './env.js';
import { SHOP_SPLITS } from './goals.js';
import { shopOptionsSchema, type ShopOptions } from './options.js';

export const shopSpec: EnvSpec<ShopOptions> = {
  id: SHOP_ENV_ID,
  description: 'WebShop-like shopping: generated catalog, BM25 search, search[...] / click[...], WebShop reward',
  kind: 'single',
  capabilities: { snapshot: 'native' },
  entryPoint: (options) => new ShopEnv(options),
  options: shopOptionsSchema,
  maxEpisodeSteps: 15,
  invalidActionPolicy: 'noop',
  splits: { ...SHOP_SPLITS },
};
