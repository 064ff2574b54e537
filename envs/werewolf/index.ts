/**
 * werewolf-v1: the env, its spec, and the pure rules other parts read (the claim grammar, the
 * record-line format, the deal of a task).
 * @module
 */
export { WerewolfEnv, WEREWOLF_ENV_ID } from './env.js';
export { WerewolfSession } from './session.js';
export { werewolfSpec, WEREWOLF_SEAT_AGENTS } from './spec.js';
export { werewolfOptionsSchema, DEFAULT_WEREWOLF_OPTIONS, MAX_SPEECH_CHARS, type WerewolfOptions, type WerewolfOptionsInput } from './options.js';
export { ROLES, ROLE_DECK, PLAYER_COUNT, sideOf, dealFromSeed, type Role, type Side } from './roles.js';
export { WEREWOLF_SPLITS, dealForTask, resolveWerewolfTask, taskForSeed, werewolfTaskId, type WerewolfSplit, type WerewolfTask } from './tasks.js';
export { parseAction, formatAction, SPEECH_PLACEHOLDER, MAX_BID, type WerewolfAction } from './actions.js';
export { parseRecordLine, formatEventLines, type RecordLine } from './record-lines.js';
export { parseClaims, claimText, speechOf, type Claim, type ClaimType } from './claims.js';
export { STATUS_SEPARATOR, STATUS_HEADER } from './render.js';
export type { GameEvent, Winner } from './events.js';
export type { WerewolfState } from './game.js';
