/**
 * The WebSocket step protocol, server side. See docs/protocol.md.
 * @module
 */
export { EnvServer, startServer, SERVER_STATE, type ServerState } from './env-server.js';
export { DEFAULT_SERVER_OPTIONS, isLoopbackHost, resolveServerOptions, type EnvServerOptions } from './options.js';
export { Dispatcher, type DispatcherLimits } from './dispatcher.js';
export { Peer, Session, SessionTable, type SessionLimits } from './sessions.js';
export {
  METHODS,
  PARAMS,
  PROTOCOL_VERSION,
  SEAT_TURN_NOTIFICATION,
  isMethod,
  parseParams,
  type Method,
  type Params,
  type Results,
  type RpcId,
  type RpcRequest,
  type RpcResponse,
} from '../protocol/messages.js';
export { ProtocolError, RPC_CODES, fromRpcError, toRpcError, type RpcErrorObject } from '../protocol/rpc-errors.js';
export type { ProtocolErrorCode } from '../core/errors.js';
export type { ServerServices } from './server-services.js';
