/**
 * The wire format of the step protocol, shared by the server (envs/server) and the client
 * (envs/client): method names, params schemas, results, JSON-RPC error codes and the mapping
 * between them and LudusErrors. See docs/protocol.md.
 * @module
 */
export * from './messages.js';
export * from './rpc-errors.js';
