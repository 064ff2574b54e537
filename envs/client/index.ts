/**
 * The WebSocket step protocol, client side: RemoteEnv (the Env interface over a session) and
 * RemoteEnvClient (one connection, many sessions, batches). See docs/protocol.md.
 * @module
 */
export { RemoteEnv, type RemoteEnvConnectOptions } from './remote-env.js';
export { RemoteMultiAgentEnv } from './remote-multi-agent-env.js';
export { RemoteGame, RemoteSeat, type SeatEvent } from './remote-game.js';
export { playSeat, type PlaySeatOptions } from './play-seat.js';
export {
  RemoteEnvClient,
  type OpenGameOptions,
  type BatchCall,
  type BatchOutcome,
  type CallOptions,
  type NotificationHandler,
  type RemoteEnvClientOptions,
} from './remote-env-client.js';
export { DEFAULT_CLIENT_TIMINGS, type ClientTimings } from './liveness.js';
