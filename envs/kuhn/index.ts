/**
 * kuhn-poker-v1: the small multi-agent env with a known answer.
 * @module
 */
export { kuhnSpec } from './spec.js';
export { KuhnPokerEnv, KUHN_ENV_ID, KUHN_SPLITS } from './env.js';
export * from './rules.js';
