/**
 * `session.stepMany`: many sessions' steps in one frame, each with its own outcome, and the
 * client's coalescing of RemoteEnv steps issued in one tick into that one frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import { EpisodeOverError, LudusError, ResetNeededError } from '../../../envs/core/errors.js';
import { make } from '../../../envs/core/registry.js';
import { EnvServer, startServer } from '../../../envs/server/index.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';
import { RawClient } from './test-support.js';

registerToyEnv();

let server: EnvServer;
beforeAll(async () => {
  server = await startServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
});

/** A counter's value from the server's /metrics (0 when absent). */
async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(server.url.replace('ws://', 'http://') + '/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describe('session.stepMany', () => {
  it('answers each entry on its own: a result, or the error session.step would have given', async () => {
    const raw = await RawClient.connect(server.url);
    const { sessions } = await raw.call('session.open', { env: TOY_ENV_ID, options: { maxNumber: 3 }, copies: 3 });
    const [a, b, c] = sessions as string[];
    await raw.call('session.reset', { session: a, seed: 1 });
    await raw.call('session.reset', { session: c, seed: 1 });
    const local = make(TOY_ENV_ID, { maxNumber: 3 });
    await local.reset({ seed: 1 });
    const expected = await local.step('guess 1');
    const { results } = await raw.call('session.stepMany', {
      steps: [
        { session: a, action: 'guess 1' },
        { session: b, action: 'guess 1' }, // never reset
        { session: 's_nope', action: 'guess 1' },
        { session: c, action: 'guess 1' },
      ],
    });
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual({ result: expected });
    expect(results[1].error.data.code).toBe('RESET_NEEDED');
    expect(results[2].error.data.code).toBe('SESSION_UNKNOWN');
    expect(results[3]).toEqual({ result: expected });
    await raw.close();
  });

  it('runs entries on one session in order', async () => {
    const raw = await RawClient.connect(server.url);
    const [s] = (await raw.call('session.open', { env: TOY_ENV_ID, options: { maxNumber: 9 } })).sessions as string[];
    await raw.call('session.reset', { session: s, seed: 3 });
    const actions = ['guess 1', 'guess 2', 'guess 3', 'guess 4'];
    const { results } = await raw.call('session.stepMany', { steps: actions.map((action) => ({ session: s, action })) });
    const local = make(TOY_ENV_ID, { maxNumber: 9 });
    await local.reset({ seed: 3 });
    for (const [i, action] of actions.entries()) {
      const r = results[i];
      if ('error' in r) {
        expect(r.error.data.code).toBe('EPISODE_OVER');
        await expect(local.step(action)).rejects.toThrow(EpisodeOverError);
      } else expect(r.result).toEqual(await local.step(action));
    }
    await raw.close();
  });

  it('refuses bad params and more entries than maxBatch as a whole', async () => {
    const small = await startServer({ port: 0, maxBatch: 2 });
    const raw = await RawClient.connect(small.url);
    const [s] = (await raw.call('session.open', { env: TOY_ENV_ID })).sessions as string[];
    const tooMany = await raw.request('session.stepMany', { steps: [1, 2, 3].map(() => ({ session: s, action: 'guess 1' })) });
    expect(tooMany.error.data.code).toBe('FRAME_TOO_LARGE');
    const empty = await raw.request('session.stepMany', { steps: [] });
    expect(empty.error.data.code).toBe('INVALID_PARAMS');
    const bad = await raw.request('session.stepMany', { steps: [{ session: s, action: 3 }] });
    expect(bad.error.data.code).toBe('INVALID_PARAMS');
    expect(bad.error.message).toMatch(/steps\.0\.action/);
    await raw.close();
    await small.close();
  });
});

describe('RemoteEnvClient coalescing', () => {
  it('sends the steps issued in one tick as one session.stepMany frame; each settles on its own', async () => {
    const client = await RemoteEnvClient.connect(server.url);
    const envs = await client.open(TOY_ENV_ID, { maxNumber: 5 }, 4);
    await Promise.all(envs.slice(0, 3).map((e) => e.reset({ seed: 2 })));
    const frames0 = await metric('ludus_requests_total', '{method="session.stepMany",outcome="ok"}');
    const single0 = await metric('ludus_requests_total', '{method="session.step",outcome="ok"}');
    const steps0 = await metric('ludus_steps_total');
    const outcomes = await Promise.allSettled(envs.map((e) => e.step('guess 1')));
    expect(await metric('ludus_requests_total', '{method="session.stepMany",outcome="ok"}')).toBe(frames0 + 1);
    expect(await metric('ludus_requests_total', '{method="session.step",outcome="ok"}')).toBe(single0);
    expect(await metric('ludus_steps_total')).toBe(steps0 + 3);
    expect(outcomes.slice(0, 3).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const failed = outcomes[3] as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(ResetNeededError); // the same class a local env throws
    // A step alone in its tick is a plain session.step.
    await envs[0]!.step('guess 2');
    expect(await metric('ludus_requests_total', '{method="session.step",outcome="ok"}')).toBe(single0 + 1);
    await client.close();
  });

  it('client.stepMany is one request; coalesceSteps: false sends one frame per step', async () => {
    const client = await RemoteEnvClient.connect(server.url, { coalesceSteps: false });
    const envs = await client.open(TOY_ENV_ID, { maxNumber: 5 }, 3);
    await client.resetMany(envs, { seed: 4 });
    const many0 = await metric('ludus_requests_total', '{method="session.stepMany",outcome="ok"}');
    const single0 = await metric('ludus_requests_total', '{method="session.step",outcome="ok"}');
    await Promise.all(envs.map((e) => e.step('hello')));
    expect(await metric('ludus_requests_total', '{method="session.step",outcome="ok"}')).toBe(single0 + 3);
    const results = await client.stepMany(envs, ['hello', 'hello', 'hello']);
    expect(results).toHaveLength(3);
    expect(await metric('ludus_requests_total', '{method="session.stepMany",outcome="ok"}')).toBe(many0 + 1);
    await client.close();
  });

  it('a connection closed before the flush rejects every queued step with CONNECTION_CLOSED', async () => {
    const client = await RemoteEnvClient.connect(server.url);
    const envs = await client.open(TOY_ENV_ID, {}, 2);
    await client.resetMany(envs, { seed: 1 });
    const pending = envs.map((e) => e.step('guess 1').then(() => null, (err: unknown) => err));
    const closing = client.close(); // before this tick's frame goes out
    const errors = await Promise.all(pending);
    expect(errors.map((e) => (e as LudusError).code)).toEqual(['CONNECTION_CLOSED', 'CONNECTION_CLOSED']);
    await closing;
  });
});
