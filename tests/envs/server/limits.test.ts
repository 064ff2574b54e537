import { request } from 'node:http';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { LudusError, OptionsError } from '../../../envs/core/errors.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import { DEFAULT_SERVER_OPTIONS, EnvServer, isLoopbackHost, SERVER_STATE, startServer, type EnvServerOptions } from '../../../envs/server/index.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';
import { probeCounts, RawClient, registerProbeEnv, PROBE_ENV_ID, waitFor } from './test-support.js';

registerToyEnv();
registerProbeEnv();

const servers: EnvServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: Partial<EnvServerOptions> = {}): Promise<EnvServer> {
  const server = await startServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

async function expectServes(server: EnvServer, headers: Record<string, string> = {}): Promise<void> {
  const c = await RawClient.connect(server.url, headers);
  const { sessions } = await c.call('session.open', { env: TOY_ENV_ID });
  expect((await c.call('session.reset', { session: sessions[0], seed: 1 })).observation.text).toMatch(/Guess/);
  await c.close();
}

describe('options', () => {
  it('spreads documented defaults and exposes url/address', async () => {
    const server = await serve();
    expect(server.options).toMatchObject(DEFAULT_SERVER_OPTIONS);
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(server.address().port).toBeGreaterThan(0);
    expect(server.state).toBe(SERVER_STATE.RUNNING);
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'example.com'])('refuses to bind non-loopback %s without a token', (host) => {
    let err: unknown;
    try {
      new EnvServer({ host });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OptionsError);
    expect((err as LudusError).code).toBe('OPTIONS_INVALID');
    expect((err as Error).message).toMatch(/pass a token/);
  });

  it('accepts loopback hosts without a token, and non-loopback ones with a token (not bound here)', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
    expect(() => new EnvServer({ host: '0.0.0.0', token: 'secret-token' })).not.toThrow();
  });

  it('names the bad option', () => {
    expect(() => new EnvServer({ maxPayload: -1 })).toThrow(/maxPayload/);
    expect(() => new EnvServer({ maxPayloads: 5 } as Partial<EnvServerOptions>)).toThrow(/'maxPayloads'/);
    expect(() => new EnvServer({ maxSessions: 2, maxSessionsPerConnection: 3 })).toThrow(/maxSessionsPerConnection/);
    expect(new EnvServer({ maxSessions: 2 }).options.maxSessionsPerConnection).toBe(2);
  });

  it('answers plain HTTP with 426', async () => {
    const server = await serve();
    const status = await new Promise<number>((resolve, reject) => {
      request(`http://127.0.0.1:${server.address().port}/`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(426);
  });
});

describe('auth', () => {
  const token = 'test-token-0123456789';

  it('rejects upgrades without the token (401) and accepts a Bearer header or ?token=', async () => {
    const server = await serve({ token });
    await expect(RawClient.connect(server.url)).rejects.toThrow(/401/);
    await expect(RawClient.connect(server.url, { authorization: 'Bearer wrong' })).rejects.toThrow(/401/);
    await expect(RawClient.connect(`${server.url}/?token=wrong`)).rejects.toThrow(/401/);
    expect(server.connectionCount).toBe(0);
    await expectServes(server, { authorization: `Bearer ${token}` });
    const viaQuery = await RawClient.connect(`${server.url}/?token=${token}`);
    expect((await viaQuery.call('envs.list')).envs.length).toBeGreaterThan(0);
    await viaQuery.close();
  });

  it('RemoteEnvClient reports a refused token as UNAUTHORIZED and connects with the right one', async () => {
    const server = await serve({ token });
    await expect(RemoteEnvClient.connect(server.url)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const client = await RemoteEnvClient.connect(server.url, { token });
    expect((await client.listEnvs()).length).toBeGreaterThan(0);
    await client.close();
  });
});

describe('limits', () => {
  it('an oversized frame closes that socket with 1009; the server keeps serving', async () => {
    const server = await serve({ maxPayload: 4096 });
    const c = await RawClient.connect(server.url);
    await c.call('session.open', { env: TOY_ENV_ID });
    expect(server.sessionCount).toBe(1);
    c.sendText(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.step', params: { session: 'x', action: 'a'.repeat(5000) } }));
    expect(await c.closedP).toBe(1009);
    await waitFor(() => server.sessionCount === 0);
    await expectServes(server);
  });

  it('caps sessions per server and per connection (-32005), and copies (-32602)', async () => {
    const server = await serve({ maxSessions: 4, maxSessionsPerConnection: 3, maxCopies: 2 });
    const a = await RawClient.connect(server.url);
    const b = await RawClient.connect(server.url);
    await a.call('session.open', { env: TOY_ENV_ID, copies: 2 });
    const tooMany = await a.request('session.open', { env: TOY_ENV_ID, copies: 2 });
    expect(tooMany.error).toMatchObject({ code: -32005, data: { code: 'SESSION_LIMIT', limit: 3 } });
    expect(tooMany.error.message).toMatch(/per connection/);
    await a.call('session.open', { env: TOY_ENV_ID });
    await b.call('session.open', { env: TOY_ENV_ID });
    const full = await b.request('session.open', { env: TOY_ENV_ID });
    expect(full.error).toMatchObject({ code: -32005, data: { code: 'SESSION_LIMIT', limit: 4 } });
    expect(full.error.message).toMatch(/limit of 4 open sessions/);
    const copies = await b.request('session.open', { env: TOY_ENV_ID, copies: 3 });
    expect(copies.error).toMatchObject({ code: -32602 });
    expect(copies.error.message).toMatch(/copies: must be at most 2/);
    expect(server.sessionCount).toBe(4);
    await a.close();
    await waitFor(() => server.sessionCount === 1);
    await b.call('session.open', { env: TOY_ENV_ID });
    await b.close();
  });

  it('caps the requests in one batch (-32010)', async () => {
    const server = await serve({ maxBatch: 2 });
    const c = await RawClient.connect(server.url);
    const req = { jsonrpc: '2.0', id: 1, method: 'envs.list' };
    c.sendText(JSON.stringify([req, req, req]));
    expect(await c.next()).toMatchObject({ id: null, error: { code: -32010, data: { code: 'FRAME_TOO_LARGE' } } });
    c.sendText(JSON.stringify([req, req]));
    expect(await c.next()).toHaveLength(2);
    await c.close();
  });

  it('reaps idle sessions; using one afterwards says it was reaped for idleness', async () => {
    const server = await serve({ idleTimeoutMs: 40 });
    const c = await RawClient.connect(server.url);
    const { sessions } = await c.call('session.open', { env: PROBE_ENV_ID, copies: 2 });
    const [idle, busy] = sessions;
    await c.call('session.reset', { session: busy });
    const closedBefore = probeCounts.closed;
    // `busy` is mid-step for longer than the idle timeout: it must survive
    const slow = c.request('session.step', { session: busy, action: 'sleep:150' });
    await waitFor(() => server.sessionCount === 1, 1000);
    expect((await slow).result.observation.text).toBe('p:sleep:150');
    expect(probeCounts.closed).toBe(closedBefore + 1);
    const reply = await c.request('session.reset', { session: idle });
    expect(reply.error).toMatchObject({ code: -32002, data: { code: 'SESSION_UNKNOWN', session: idle } });
    expect(reply.error.message).toMatch(/reaped after 40 ms idle/);
    await waitFor(() => server.sessionCount === 0, 1000);
    await c.close();
  });

  it('a client vanishing mid-episode gets its sessions closed', async () => {
    const server = await serve();
    const c = await RawClient.connect(server.url);
    const { sessions } = await c.call('session.open', { env: PROBE_ENV_ID, copies: 3 });
    for (const session of sessions) await c.call('session.reset', { session });
    const closedBefore = probeCounts.closed;
    c.sendText(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'session.step', params: { session: sessions[0], action: 'sleep:30' } }));
    c.ws.terminate(); // no close handshake: the TCP connection just drops
    await waitFor(() => server.sessionCount === 0 && probeCounts.closed === closedBefore + 3);
    expect(server.connectionCount).toBe(0);
    await expectServes(server);
  });

  it('drops a connection that stops answering pings (a half-open peer) and closes its sessions', async () => {
    const server = await serve({ heartbeatMs: 30 });
    const silent = new WebSocket(server.url, { autoPong: false });
    await new Promise((resolve) => silent.once('open', resolve));
    const closed = new Promise<number>((resolve) => silent.once('close', resolve));
    silent.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.open', params: { env: TOY_ENV_ID, copies: 2 } }));
    await waitFor(() => server.sessionCount === 2);
    await closed;
    await waitFor(() => server.sessionCount === 0 && server.connectionCount === 0);
    await expectServes(server); // a client that answers pings stays connected across heartbeats
  });

  it('close() closes every session and connection, and resolves once', async () => {
    const server = await startServer({ port: 0 });
    const url = server.url;
    const c = await RawClient.connect(url);
    await c.call('session.open', { env: PROBE_ENV_ID, copies: 2 });
    const closedBefore = probeCounts.closed;
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    expect(await c.closedP).toBe(1001);
    expect(server.sessionCount).toBe(0);
    expect(probeCounts.closed).toBe(closedBefore + 2);
    expect(server.state).toBe(SERVER_STATE.CLOSED);
    await expect(RawClient.connect(url)).rejects.toThrow();
  });
});
