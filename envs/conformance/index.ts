/**
 * The conformance kit: every env must pass it, in process and over a WebSocket (`ludus check`).
 * @module
 */
export * from './kit.js';
export { SINGLE_AGENT_CHECKS, checkEnv } from './single-agent-checks.js';
export { MULTI_AGENT_CHECKS, checkMultiAgentEnv } from './multi-agent-checks.js';
export { ConformanceAgent } from './conformance-agent.js';
