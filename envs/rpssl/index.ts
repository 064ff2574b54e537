/**
 * rpssl-v1: rock-paper-scissors-Spock-lizard where the move is carried by what a player says — the
 * toy with a known answer (the uniform equilibrium) for latent-space policy optimisation.
 * @module
 */
export { rpsslSpec } from './spec.js';
export { RpsslEnv, RPSSL_ENV_ID, RPSSL_SPLITS, RPSSL_SPEECH_PLACEHOLDER, RPSSL_MAX_SPEECH, parseSay } from './env.js';
export * from './rules.js';
