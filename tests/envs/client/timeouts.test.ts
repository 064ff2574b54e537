/**
 * A client never hangs: request deadlines, the connect handshake deadline, the heartbeat, and a
 * close() that does not wait on a dead server. Against a real `ludus serve` process frozen with
 * SIGSTOP (its sockets stay open; nothing answers), and against an in-process server that accepts
 * the WebSocket and then never answers anything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { LudusError, OptionsError, TimeoutError } from '../../../envs/core/errors.js';
import { DEFAULT_CLIENT_TIMINGS, RemoteEnv, RemoteEnvClient } from '../../../envs/client/index.js';
import { spawnServer, type ServerProcess } from '../../helpers/processes.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function realServer(): Promise<ServerProcess> {
  const server = await spawnServer();
  cleanups.push(() => server.stop());
  return server;
}

/** Accepts WebSocket connections and never answers a frame (a hung server, a deadlock). */
async function silentServer(): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
  await new Promise((r) => wss.once('listening', r));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

/** What `promise` settles to, and after how many ms. */
async function timed<T>(promise: Promise<T>): Promise<{ ms: number; value?: T; error?: LudusError }> {
  const start = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error: error as LudusError };
  }
}

describe('client deadlines against a server frozen with SIGSTOP mid-episode', () => {
  it('step and stepMany reject with TIMEOUT after requestTimeoutMs; close() does not wait on the dead server', async () => {
    const server = await realServer();
    const client = await RemoteEnvClient.connect(server.url, { requestTimeoutMs: 400, heartbeatMs: 0, closeTimeoutMs: 200 });
    cleanups.push(() => client.close());
    const group = await client.open('household-v1', {}, 2);
    const [first] = await client.resetMany(group, { task: { split: 'train', index: 0 }, seed: 1 });
    await group[0]!.step(first!.observation.actions[0]!);

    server.freeze();
    const step = await timed(group[0]!.step('look'));
    expect(step.error).toBeInstanceOf(TimeoutError);
    expect(step.error!.code).toBe('TIMEOUT');
    expect(step.error!.message).toMatch(/session\.step to ws:\/\/127\.0\.0\.1:\d+ got no answer within 400 ms \(requestTimeoutMs\)/);
    expect(step.ms).toBeGreaterThanOrEqual(350);
    expect(step.ms).toBeLessThan(3000);

    const many = await timed(client.stepMany(group, ['look', 'look']));
    expect(many.error?.code).toBe('TIMEOUT');
    const batch = await timed(client.batch([{ method: 'envs.list' }, { method: 'envs.list' }], { timeoutMs: 150 }));
    expect(batch.value!.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['TIMEOUT', 'TIMEOUT']);
    expect(batch.ms).toBeLessThan(2000);

    const closeEnv = await timed(group[1]!.close());
    expect(closeEnv.error).toBeUndefined();
    expect(closeEnv.ms).toBeLessThan(1500);
    const closeClient = await timed(client.close());
    expect(closeClient.error).toBeUndefined();
    expect(closeClient.ms).toBeLessThan(1500);
  });

  it('the heartbeat finds the frozen peer dead: requests in flight reject with CONNECTION_CLOSED, then close() returns at once', async () => {
    const server = await realServer();
    const env = await RemoteEnv.connect(server.url, { env: 'household-v1', requestTimeoutMs: 0, heartbeatMs: 200 });
    cleanups.push(() => env.close());
    await env.reset({ seed: 3 });
    server.freeze();
    const step = await timed(env.step('look'));
    expect(step.error?.code).toBe('CONNECTION_CLOSED');
    expect(step.error!.message).toMatch(/answered no heartbeat ping for 600 ms/); // 3 silent intervals
    expect(step.ms).toBeGreaterThanOrEqual(500);
    expect(step.ms).toBeLessThan(2500);
    expect(env.client.closed).toBe(true);
    const close = await timed(env.close());
    expect(close.error).toBeUndefined();
    expect(close.ms).toBeLessThan(200);
  });

  it('connect gives up after connectTimeoutMs with TIMEOUT when the handshake is never answered', async () => {
    const server = await realServer();
    server.freeze();
    const attempt = await timed(RemoteEnvClient.connect(server.url, { connectTimeoutMs: 300 }));
    expect(attempt.error).toBeInstanceOf(TimeoutError);
    expect(attempt.error!.message).toMatch(/handshake did not finish within 300 ms \(connectTimeoutMs\)/);
    expect(attempt.ms).toBeLessThan(2000);
  });
});

describe('client deadlines against a server that accepts and never answers', () => {
  it('every request times out: open, reset, step, snapshot, restore; RemoteEnv.connect too; close() is bounded', async () => {
    const url = await silentServer();
    const client = await RemoteEnvClient.connect(url, { requestTimeoutMs: 150, heartbeatMs: 0, closeTimeoutMs: 100 });
    cleanups.push(() => client.close());
    expect((await timed(client.open('household-v1'))).error?.code).toBe('TIMEOUT');
    const env = new RemoteEnv(client, 's_fake', 'household-v1');
    const calls: (() => Promise<unknown>)[] = [() => env.reset({ seed: 1 }), () => env.step('look'), () => env.snapshot(), () => env.restore({})];
    for (const call of calls) {
      const r = await timed(call());
      expect(r.error?.code).toBe('TIMEOUT');
      expect(r.ms).toBeLessThan(1500);
    }
    const closeEnv = await timed(env.close());
    expect(closeEnv.error).toBeUndefined();
    expect(closeEnv.ms).toBeLessThan(1000);
    expect((await timed(client.close())).ms).toBeLessThan(1000);

    const connected = await timed(RemoteEnv.connect(url, { env: 'household-v1', requestTimeoutMs: 150, closeTimeoutMs: 100 }));
    expect(connected.error?.code).toBe('TIMEOUT');
    expect(connected.ms).toBeLessThan(1500);
  });

  it('a per-call timeoutMs overrides the client default, and a late answer is ignored', async () => {
    const url = await silentServer();
    const client = await RemoteEnvClient.connect(url, { requestTimeoutMs: 60_000, heartbeatMs: 0 });
    cleanups.push(() => client.close());
    const r = await timed(client.call('envs.list', {}, { timeoutMs: 100 }));
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.ms).toBeLessThan(1000);
  });

  it('the heartbeat cuts a connection whose server never pongs', async () => {
    const url = await silentServer();
    const client = await RemoteEnvClient.connect(url, { requestTimeoutMs: 0, heartbeatMs: 100 });
    cleanups.push(() => client.close());
    const r = await timed(client.call('envs.list'));
    expect(r.error?.code).toBe('CONNECTION_CLOSED');
    expect(r.ms).toBeLessThan(1000);
    expect(client.closed).toBe(true);
  });
});

describe('client options', () => {
  it('have documented defaults and are validated once', async () => {
    expect(DEFAULT_CLIENT_TIMINGS).toEqual({ connectTimeoutMs: 10_000, requestTimeoutMs: 60_000, heartbeatMs: 10_000, closeTimeoutMs: 1_000 });
    await expect(RemoteEnvClient.connect('ws://127.0.0.1:9', { requestTimeoutMs: -1 })).rejects.toThrow(OptionsError);
    await expect(RemoteEnvClient.connect('ws://127.0.0.1:9', { heartbeatMs: 1.5 })).rejects.toThrow(/heartbeatMs/);
  });
});
