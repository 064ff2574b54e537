/**
 * RemoteEnv: the Env interface over a WebSocket session. Code cannot tell it from a local env:
 * results are the same JSON and failures are the same LudusErrors (class and `code`).
 *
 * @example
 * const env = await RemoteEnv.connect('ws://127.0.0.1:8765', { env: 'household-v1' });
 * const { observation } = await env.reset({ seed: 1 });
 * const step = await env.step(observation.actions[0]!);
 * await env.close(); // closes the session, and the socket because connect() opened it
 * @module
 */
import { EnvClosedError, LudusError } from '../core/errors.js';
import type { Env, EnvState, ResetOptions, ResetResult, StepResult } from '../core/types.js';
import { RemoteEnvClient, type BatchCall, type RemoteEnvClientOptions } from './remote-env-client.js';

export interface RemoteEnvConnectOptions extends RemoteEnvClientOptions {
  /** The env id to open, e.g. `household-v1`. */
  env: string;
  /** Options for the server's `make(env, options)`. */
  options?: Record<string, unknown>;
}

export class RemoteEnv implements Env {
  private closed = false;
  private closing?: Promise<void>;

  /** Use `RemoteEnv.connect` or `client.open`. */
  constructor(
    /** The connection this session lives on. */
    readonly client: RemoteEnvClient,
    /** The server's session id. */
    readonly session: string,
    /** The env id this session plays. */
    readonly id: string,
    /** Whether `close()` also closes the connection (true when made by `RemoteEnv.connect`). */
    private readonly ownsClient = false,
  ) {}

  /** Opens a connection with one session on it; `close()` closes both. */
  static async connect(url: string, options: RemoteEnvConnectOptions): Promise<RemoteEnv> {
    const { env, options: makeOptions, ...clientOptions } = options;
    const client = await RemoteEnvClient.connect(url, clientOptions);
    try {
      const { sessions } = await client.call('session.open', { env, options: makeOptions ?? {} });
      return new RemoteEnv(client, sessions[0] as string, env, true);
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  reset(options: ResetOptions = {}): Promise<ResetResult> {
    return this.guard(() => this.client.call('session.reset', resetParams(this.session, options)) as Promise<ResetResult>);
  }

  step(action: string): Promise<StepResult> {
    return this.guard(() => this.client.step(this.session, action));
  }

  async snapshot(): Promise<EnvState> {
    return (await this.guard(() => this.client.call('session.snapshot', { session: this.session }))).state;
  }

  async restore(state: EnvState): Promise<void> {
    await this.guard(() => this.client.call('session.restore', { session: this.session, state }));
  }

  /**
   * Closes the server session (and the connection if this env owns it). Idempotent; a connection
   * that is already gone, or a server that does not answer within `closeTimeoutMs`, counts as closed.
   */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      try {
        await this.client.closeSession(this.session);
      } finally {
        if (this.ownsClient) await this.client.close();
      }
    })();
    return this.closing;
  }

  /** The batch call for `client.stepMany`. */
  stepCall(action: string, client: RemoteEnvClient): BatchCall {
    this.check(client);
    return { method: 'session.step', params: { session: this.session, action } };
  }

  /** The batch call for `client.resetMany`. */
  resetCall(options: ResetOptions, client: RemoteEnvClient): BatchCall {
    this.check(client);
    return { method: 'session.reset', params: resetParams(this.session, options) };
  }

  private check(client: RemoteEnvClient): void {
    if (client !== this.client) throw new RangeError(`Session ${this.session} belongs to another connection (${this.client.url}).`);
    if (this.closed) throw new EnvClosedError();
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new EnvClosedError());
    return call();
  }
}

function resetParams(session: string, options: ResetOptions): Record<string, unknown> {
  const params: Record<string, unknown> = { session };
  if (options.seed !== undefined) params.seed = options.seed;
  if (options.task !== undefined) params.task = options.task;
  return params;
}
