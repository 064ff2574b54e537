/**
 * Draining (what SIGTERM does to `ludus serve`): the steps under way finish, new connections and
 * new sessions are refused, open sessions go on until their owners close them (or the drain
 * timeout), then the server closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { RemoteEnvClient } from '../../../envs/client/remote-env-client.js';
import { startServer, type EnvServer } from '../../../envs/server/env-server.js';
import { registerProbeEnv } from './test-support.js';

registerProbeEnv();

let server: EnvServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const health = async (s: EnvServer) => {
  const res = await fetch(s.url.replace('ws://', 'http://') + '/healthz');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('EnvServer.drain', () => {
  it('finishes the step under way, refuses new sessions and connections, lets open sessions go on, then closes', async () => {
    server = await startServer({ port: 0 });
    const url = server.url;
    const client = await RemoteEnvClient.connect(url);
    const [env, other] = await client.open('probe-v0', { tag: 'a' }, 2);
    await env!.reset();
    await other!.reset();
    const slow = env!.step('sleep:300'); // under way when the drain starts
    await new Promise((r) => setTimeout(r, 50));
    const drained = server.drain(10_000);
    expect(server.isDraining).toBe(true);
    await expect(slow).resolves.toMatchObject({ observation: { text: 'a:sleep:300' } });
    expect(await health(server)).toMatchObject({ status: 503, body: { status: 'draining', sessions: 2 } });
    await expect(client.open('probe-v0', {}, 1)).rejects.toMatchObject({ code: 'SERVER_DRAINING', message: expect.stringMatching(/draining.*another server/) });
    await expect(RemoteEnvClient.connect(url)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED', data: { status: 503 } });
    // open sessions go on: a whole new episode even
    await expect(other!.step('sleep:1')).resolves.toMatchObject({ reward: 0 });
    await other!.reset();
    let closedAt = 0;
    void drained.then(() => (closedAt = Date.now()));
    await new Promise((r) => setTimeout(r, 100));
    expect(closedAt).toBe(0); // still waiting for the two open sessions
    await env!.close();
    await other!.close();
    const done = Date.now();
    await drained;
    expect(closedAt - done).toBeLessThan(1000);
    await expect(fetch(url.replace('ws://', 'http://') + '/livez')).rejects.toThrow();
    await client.close();
  });

  it('after the drain timeout, closes the sessions still open once their steps under way finish', async () => {
    server = await startServer({ port: 0 });
    const client = await RemoteEnvClient.connect(server.url);
    const [env] = await client.open('probe-v0', { tag: 'b' }, 1);
    await env!.reset();
    const started = Date.now();
    const drained = server.drain(200);
    await new Promise((r) => setTimeout(r, 150));
    const slow = env!.step('sleep:400'); // in flight when the timeout passes
    await drained;
    await expect(slow).resolves.toMatchObject({ observation: { text: 'b:sleep:400' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await expect(env!.step('sleep:1')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await client.close();
  });

  it('close() during a drain closes at once; drain() is idempotent', async () => {
    server = await startServer({ port: 0 });
    const client = await RemoteEnvClient.connect(server.url);
    await client.open('probe-v0', {}, 1);
    const a = server.drain(60_000);
    expect(server.drain(60_000)).toBe(a);
    const t0 = Date.now();
    await server.close();
    await a;
    expect(Date.now() - t0).toBeLessThan(2000);
    await client.close();
  });
});
