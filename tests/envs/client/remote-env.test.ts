import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import {
  EnvClosedError,
  EpisodeOverError,
  InvalidStateError,
  LudusError,
  OptionsError,
  ResetNeededError,
  UnknownEnvError,
} from '../../../envs/core/errors.js';
import { list, make } from '../../../envs/core/registry.js';
import type { Env } from '../../../envs/core/types.js';
import { RemoteEnv, RemoteEnvClient } from '../../../envs/client/index.js';
import { Dispatcher, EnvServer, ProtocolError, startServer } from '../../../envs/server/index.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';
import { registerProbeEnv, PROBE_ENV_ID, waitFor } from '../server/test-support.js';

registerToyEnv();
registerProbeEnv();

let server: EnvServer;
let client: RemoteEnvClient;

beforeAll(async () => {
  server = await startServer({ port: 0, maxPayload: 64 * 1024 });
  client = await RemoteEnvClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** Runs `fn` and returns what it threw. */
async function thrown(fn: () => Promise<unknown>): Promise<LudusError> {
  try {
    await fn();
  } catch (err) {
    return err as LudusError;
  }
  throw new Error('expected a throw');
}

async function play(env: Env, seed: number, actions: string[]): Promise<unknown[]> {
  const out: unknown[] = [await env.reset({ seed })];
  for (const action of actions) out.push(await env.step(action));
  return out;
}

describe('RemoteEnv', () => {
  it('plays the same trajectory as a local env', async () => {
    const [remote] = await client.open(TOY_ENV_ID, { maxNumber: 30 });
    const local = make(TOY_ENV_ID, { maxNumber: 30 });
    const actions = ['guess 15', 'guess 7', 'what', 'guess 22', 'guess 3'];
    expect(await play(remote!, 5, actions)).toEqual(await play(local, 5, actions));
    expect(remote!.id).toBe(TOY_ENV_ID);
    await remote!.close();
  });

  it('forks with snapshot/restore like a local env', async () => {
    const [remote] = await client.open(TOY_ENV_ID, { maxNumber: 30 });
    await remote!.reset({ seed: 2 });
    await remote!.step('guess 1');
    const state = await remote!.snapshot();
    const a = await remote!.step('guess 20');
    await remote!.restore(state);
    expect(await remote!.step('guess 20')).toEqual(a);
    const local = make(TOY_ENV_ID, { maxNumber: 30 });
    await local.reset({ seed: 2 });
    await local.step('guess 1');
    expect(await local.snapshot()).toEqual(state);
    await remote!.close();
  });

  it('throws the same typed errors as a local env (class, code, message)', async () => {
    const [remote] = await client.open(TOY_ENV_ID, { maxNumber: 1 });
    const local = make(TOY_ENV_ID, { maxNumber: 1 });
    for (const [env] of [[remote!], [local]] as const) {
      const early = await thrown(() => env.step('guess 0'));
      expect(early).toBeInstanceOf(ResetNeededError);
      expect(early.code).toBe('RESET_NEEDED');
      expect(await thrown(() => env.snapshot())).toBeInstanceOf(ResetNeededError);
      await env.reset({ seed: 0 });
      const bad = await thrown(() => env.restore({ garbage: true }));
      expect(bad).toBeInstanceOf(InvalidStateError);
      for (const a of ['guess 0', 'guess 1']) if ((await env.step(a)).terminated) break;
      const over = await thrown(() => env.step('guess 0'));
      expect(over).toBeInstanceOf(EpisodeOverError);
      expect(over.message).toBe(new EpisodeOverError().message);
      await env.close();
      await env.close(); // idempotent
      const closed = await thrown(() => env.step('guess 0'));
      expect(closed).toBeInstanceOf(EnvClosedError);
      expect(closed.code).toBe('ENV_CLOSED');
    }
  });

  it('open() with a bad id or bad options throws like make()', async () => {
    const unknown = await thrown(() => client.open('toy-guess-v1'));
    const localUnknown = await thrown(async () => make('toy-guess-v1'));
    expect(unknown).toBeInstanceOf(UnknownEnvError);
    expect(unknown.message).toBe(localUnknown.message);
    expect(unknown.data).toEqual(localUnknown.data);
    const options = await thrown(() => client.open(TOY_ENV_ID, { maxNumber: -3 }));
    const localOptions = await thrown(async () => make(TOY_ENV_ID, { maxNumber: -3 }));
    expect(options).toBeInstanceOf(OptionsError);
    expect(options.code).toBe('OPTIONS_INVALID');
    expect(options.message).toBe(localOptions.message);
  });

  it('protocol failures are ProtocolErrors; env exceptions are REMOTE_ERROR', async () => {
    const unknownSession = await thrown(() => client.call('session.step', { session: 's_nope', action: 'x' }));
    expect(unknownSession).toBeInstanceOf(ProtocolError);
    expect(unknownSession.code).toBe('SESSION_UNKNOWN');
    const [probe] = await client.open(PROBE_ENV_ID);
    await probe!.reset();
    const boom = await thrown(() => probe!.step('boom'));
    expect(boom).toBeInstanceOf(LudusError);
    expect(boom.code).toBe('REMOTE_ERROR');
    expect(boom.data).toMatchObject({ remoteCode: 'INTERNAL_ERROR', rpcCode: -32000, name: 'TypeError' });
    expect((await probe!.step('fine')).observation.text).toBe('p:fine');
    await probe!.close();
  });

  it('RemoteEnv.connect owns its connection: close() closes the session and the socket', async () => {
    const env = await RemoteEnv.connect(server.url, { env: TOY_ENV_ID, options: { maxNumber: 4 } });
    const before = server.sessionCount;
    expect((await env.reset({ seed: 1 })).observation.actions).toHaveLength(5);
    await Promise.all([env.close(), env.close()]);
    expect(env.client.closed).toBe(true);
    await waitFor(() => server.sessionCount === before - 1);
  });

  it('RemoteEnv.connect with bad options rejects and leaves no connection behind', async () => {
    const connections = server.connectionCount;
    await expect(RemoteEnv.connect(server.url, { env: TOY_ENV_ID, options: { nope: 1 } })).rejects.toBeInstanceOf(OptionsError);
    await waitFor(() => server.connectionCount === connections);
  });
});

describe('RemoteEnvClient', () => {
  it('listEnvs() is the server registry', async () => {
    expect(await client.listEnvs()).toEqual(list());
  });

  it('copies play identical trajectories', async () => {
    const group = await client.open(TOY_ENV_ID, { maxNumber: 100 }, 4);
    expect(group).toHaveLength(4);
    const runs = await Promise.all(group.map((env) => play(env, 99, ['guess 50', 'guess 30', 'x', 'guess 70'])));
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
    await Promise.all(group.map((env) => env.close()));
  });

  it('stepMany/resetMany send one frame and match one-by-one results', async () => {
    const group = await client.open(TOY_ENV_ID, { maxNumber: 9 }, 3);
    const single = await client.open(TOY_ENV_ID, { maxNumber: 9 });
    const frames = vi.spyOn(Dispatcher.prototype, 'handleFrame');
    const resets = await client.resetMany(group, [{ seed: 0 }, { seed: 1 }, { seed: 2 }]);
    const steps = await client.stepMany(group, ['guess 1', 'guess 2', 'guess 3']);
    expect(frames).toHaveBeenCalledTimes(2);
    frames.mockRestore();
    for (let i = 0; i < 3; i++) {
      expect(resets[i]).toEqual(await single[0]!.reset({ seed: i }));
      expect(steps[i]).toEqual(await single[0]!.step(`guess ${i + 1}`));
    }
    await expect(client.stepMany(group, ['guess 1'])).rejects.toThrow(RangeError);
    await Promise.all([...group, ...single].map((env) => env.close()));
  });

  it('stepMany rejects with the typed error of the first failing env', async () => {
    const group = await client.open(TOY_ENV_ID, {}, 2);
    await group[0]!.reset({ seed: 1 });
    const err = await thrown(() => client.stepMany(group, ['guess 1', 'guess 1']));
    expect(err).toBeInstanceOf(ResetNeededError);
    await Promise.all(group.map((env) => env.close()));
  });

  it('batch() reports each call\'s outcome in order', async () => {
    const [env] = await client.open(TOY_ENV_ID);
    const outcomes = await client.batch([
      { method: 'session.reset', params: { session: env!.session, seed: 4 } },
      { method: 'session.step', params: { session: env!.session, action: 7 as unknown as string } },
      { method: 'envs.list' },
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1] as { ok: false; error: LudusError };
    expect(failed.error.code).toBe('INVALID_PARAMS');
    expect(failed.error.message).toMatch(/action/);
    expect(await client.batch([])).toEqual([]);
    await env!.close();
  });

  it('refuses a frame over the server\'s maxPayload locally, and the connection stays usable', async () => {
    expect(client.serverMaxPayload).toBe(64 * 1024);
    const [env] = await client.open(TOY_ENV_ID);
    await env!.reset({ seed: 1 });
    const err = await thrown(() => env!.step('x'.repeat(70 * 1024)));
    expect(err.code).toBe('FRAME_TOO_LARGE');
    expect(client.closed).toBe(false);
    expect((await env!.step('guess 1')).info.elapsedSteps).toBe(1);
    await env!.close();
  });

  it('receives responses larger than the server\'s maxPayload (the cap is for inbound frames)', async () => {
    const [probe] = await client.open(PROBE_ENV_ID);
    await probe!.reset();
    expect((await probe!.step('big')).observation.text).toHaveLength(2_000_000);
    await probe!.close();
  });

  it('rejects in-flight and later requests with CONNECTION_CLOSED when the server goes away', async () => {
    const own = await startServer({ port: 0 });
    const c = await RemoteEnvClient.connect(own.url);
    const [probe] = await c.open(PROBE_ENV_ID);
    await probe!.reset();
    const inFlight = thrown(() => probe!.step('sleep:100'));
    await own.close();
    const err = await inFlight;
    expect(err.code).toBe('CONNECTION_CLOSED');
    expect(err.message).toMatch(/1001/);
    expect(c.closed).toBe(true);
    expect((await thrown(() => c.listEnvs())).code).toBe('CONNECTION_CLOSED');
    await probe!.close(); // closing over a dead connection is fine
    await c.close();
  });

  it('rejects something that is not a URL with OPTIONS_INVALID', async () => {
    await expect(RemoteEnvClient.connect('not a url')).rejects.toMatchObject({ code: 'OPTIONS_INVALID' });
  });

  it('reports an unreachable server as CONNECTION_CLOSED', async () => {
    const own = await startServer({ port: 0 });
    const url = own.url;
    await own.close();
    await expect(RemoteEnvClient.connect(url)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('delivers server-pushed notifications to onNotification handlers', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => ws.on('message', () => ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'seat.turn', params: { seat: 3 } }))));
    const port = (wss.address() as { port: number }).port;
    const c = await RemoteEnvClient.connect(`ws://127.0.0.1:${port}`);
    const seen = new Promise<[string, unknown]>((resolve) => c.onNotification((m, p) => resolve([m, p])));
    c.notify('envs.list');
    expect(await seen).toEqual(['seat.turn', { seat: 3 }]);
    await c.close();
    await new Promise((r) => wss.close(r));
  });
});
