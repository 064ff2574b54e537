/**
 * `ludus train --request-timeout/--connect-timeout/--rollout-waves`: the flags reach the env
 * clients' deadlines (a silent server fails in the given time, not the 60 s default).
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { configFromFlags } from '../../../cli/commands/train.js';
import { LudusError } from '../../../envs/core/errors.js';
import { resolveTrainConfig } from '../../../trainer/config.js';
import { envProviderFor, RemoteEnvProvider } from '../../../trainer/env-provider.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A WebSocket server that accepts connections and never answers a request. */
async function silentWs(): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  closers.push(() => new Promise((r) => wss.close(() => r())));
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
}

/** A TCP server that accepts and never completes the WebSocket handshake. */
async function silentTcp(): Promise<string> {
  const sockets: import('node:net').Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
  return `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function providerFrom(flags: Parameters<typeof configFromFlags>[0]): RemoteEnvProvider {
  const config = resolveTrainConfig(configFromFlags(flags));
  const provider = envProviderFor(config);
  expect(provider).toBeInstanceOf(RemoteEnvProvider);
  closers.push(() => provider.close());
  return provider as RemoteEnvProvider;
}

describe('ludus train client deadline flags', () => {
  it('map onto the config and the env clients', async () => {
    const url = await silentWs();
    const c = resolveTrainConfig(configFromFlags({ envUrl: [url], requestTimeout: '150', connectTimeout: '300', rolloutWaves: '2' }));
    expect(c).toMatchObject({ requestTimeoutMs: 150, connectTimeoutMs: 300, rolloutWaves: 2 });
    const provider = providerFrom({ envUrl: [url], requestTimeout: '150', connectTimeout: '300' });
    expect(provider.clientOptions).toMatchObject({ requestTimeoutMs: 150, connectTimeoutMs: 300 });
    expect(resolveTrainConfig(configFromFlags({})).rolloutWaves).toBe(1);
    expect(() => configFromFlags({ requestTimeout: '-1' })).toThrow(/--request-timeout/);
    expect(() => configFromFlags({ connectTimeout: '0' })).toThrow(/--connect-timeout/);
  });

  it('--request-timeout: a server that never answers fails the group within the deadline', async () => {
    const provider = providerFrom({ envUrl: [await silentWs()], requestTimeout: '200' });
    const t0 = Date.now();
    const err = (await provider.openGroup(2, 0).catch((e: unknown) => e)) as LudusError;
    expect(err).toBeInstanceOf(LudusError);
    expect(err.message).toMatch(/within 200 ms \(requestTimeoutMs\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('--connect-timeout: a handshake that never completes fails within the deadline', async () => {
    const provider = providerFrom({ envUrl: [await silentTcp()], connectTimeout: '250' });
    const t0 = Date.now();
    const err = (await provider.openGroup(2, 0).catch((e: unknown) => e)) as LudusError;
    expect(err).toBeInstanceOf(LudusError);
    expect(err.message).toMatch(/250 ms/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
