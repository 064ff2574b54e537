/** `/healthz`, `/livez` and `/metrics` on the env server's port, with numbers that follow the traffic. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { RemoteEnvClient } from '../../../envs/client/remote-env-client.js';
import { startServer, type EnvServer } from '../../../envs/server/env-server.js';
import { RawClient, registerProbeEnv } from './test-support.js';

registerProbeEnv();

let server: EnvServer;
let http: string;
beforeAll(async () => {
  server = await startServer({ port: 0, maxSessions: 50 });
  http = server.url.replace('ws://', 'http://');
});
afterAll(async () => {
  await server.close();
});

/** Samples of the exposition: `name{labels}` → value. Throws on a line that is not the text format. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (m === null) throw new Error(`not Prometheus text format: ${line}`);
    out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return out;
}

describe('env server health and metrics', () => {
  it('answers /livez and /healthz with the load, and /metrics with counters that follow the traffic', async () => {
    expect((await fetch(`${http}/livez`)).status).toBe(200);
    const client = await RemoteEnvClient.connect(server.url);
    const envs = await client.open('probe-v0', {}, 3);
    await Promise.all(envs.map((e) => e.reset()));
    for (let i = 0; i < 4; i++) await Promise.all(envs.map((e) => e.step('sleep:1')));
    await envs[0]!.step('end');
    await expect(envs[0]!.step('sleep:1')).rejects.toMatchObject({ code: 'EPISODE_OVER' });
    const raw = await RawClient.connect(server.url);
    raw.sendText('{not json');
    await raw.next();

    const res = await fetch(`${http}/healthz`);
    expect(res.status).toBe(200);
    const load = (await res.json()) as Record<string, number | string>;
    expect(load).toMatchObject({ status: 'ok', sessions: 3, capacity: 50, connections: 2, inFlight: 0 });
    expect(load.stepsPerSecond as number).toBeGreaterThan(0);
    expect(load.eventLoopUtilization as number).toBeGreaterThanOrEqual(0);
    expect(load.eventLoopUtilization as number).toBeLessThanOrEqual(1);

    const metrics = await fetch(`${http}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain('# TYPE ludus_request_duration_seconds histogram');
    const m = samples(text);
    expect(m.get('ludus_sessions_open')).toBe(3);
    expect(m.get('ludus_sessions_capacity')).toBe(50);
    expect(m.get('ludus_connections_open')).toBe(2);
    expect(m.get('ludus_steps_total')).toBe(13);
    // 4 rounds of 3 steps issued together: 4 session.stepMany frames; the 2 lone steps: session.step.
    expect(m.get('ludus_requests_total{method="session.stepMany",outcome="ok"}')).toBe(4);
    expect(m.get('ludus_requests_total{method="session.step",outcome="ok"}')).toBe(1);
    expect(m.get('ludus_requests_total{method="session.step",outcome="error"}')).toBe(1);
    expect(m.get('ludus_errors_total{code="EPISODE_OVER"}')).toBe(1);
    expect(m.get('ludus_requests_total{method="session.open",outcome="ok"}')).toBe(1);
    expect(m.get('ludus_request_duration_seconds_count{method="session.step"}')).toBe(2);
    expect(m.get('ludus_request_duration_seconds_bucket{le="+Inf",method="session.step"}')).toBe(2);
    expect(m.get('ludus_draining')).toBe(0);
    expect(m.get('ludus_process_resident_memory_bytes')).toBeGreaterThan(0);
    await client.close();
    raw.ws.close();
  });

  it('keeps /metrics behind the token when there is one; /healthz and /livez stay open for probes', async () => {
    const locked = await startServer({ port: 0, token: 's3cret' });
    try {
      const base = locked.url.replace('ws://', 'http://');
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/livez`)).status).toBe(200);
    } finally {
      await locked.close();
    }
  });

  it('answers other paths with 426 and other methods with 405', async () => {
    const other = await fetch(`${http}/`);
    expect(other.status).toBe(426);
    expect(await other.text()).toMatch(/connect with a WebSocket/);
    const post = await fetch(`${http}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
