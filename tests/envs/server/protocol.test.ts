import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { list, make } from '../../../envs/core/registry.js';
import { EnvServer, startServer } from '../../../envs/server/index.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';
import { probeLog, RawClient, registerProbeEnv, PROBE_ENV_ID } from './test-support.js';

registerToyEnv();
registerProbeEnv();

let server: EnvServer;
let client: RawClient;

beforeAll(async () => {
  server = await startServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  if (client) await client.close();
  client = await RawClient.connect(server.url);
  probeLog.length = 0;
});

async function openOne(env = TOY_ENV_ID, options?: Record<string, unknown>): Promise<string> {
  const { sessions } = await client.call('session.open', { env, ...(options ? { options } : {}) });
  return sessions[0];
}

/** After a bad input: a fresh client can still open, reset and step. */
async function expectServerServes(): Promise<void> {
  const other = await RawClient.connect(server.url);
  const { sessions } = await other.call('session.open', { env: TOY_ENV_ID });
  const reset = await other.call('session.reset', { session: sessions[0], seed: 1 });
  expect(reset.observation.text).toMatch(/Guess/);
  await other.close();
}

describe('methods', () => {
  it('envs.list returns the registry summaries', async () => {
    const result = await client.call('envs.list');
    expect(result).toEqual({ envs: list() });
    expect(result.envs.map((e: { id: string }) => e.id)).toContain(TOY_ENV_ID);
  });

  it('envs.list accepts absent params but rejects unknown ones', async () => {
    client.sendText(JSON.stringify({ jsonrpc: '2.0', id: 'a', method: 'envs.list' }));
    expect((await client.next()).result.envs.length).toBeGreaterThan(0);
    const reply = await client.request('envs.list', { verbose: true });
    expect(reply.error).toMatchObject({ code: -32602, data: { code: 'INVALID_PARAMS' } });
    expect(reply.error.message).toMatch(/'verbose'/);
  });

  it('session.open returns one id, or `copies` distinct ids', async () => {
    const one = await client.call('session.open', { env: TOY_ENV_ID });
    expect(one.sessions).toHaveLength(1);
    const three = await client.call('session.open', { env: TOY_ENV_ID, options: { maxNumber: 5 }, copies: 3 });
    expect(new Set(three.sessions).size).toBe(3);
    expect(three.sessions).not.toContain(one.sessions[0]);
  });

  it('session.reset and session.step return exactly what a local env returns', async () => {
    const session = await openOne(TOY_ENV_ID, { maxNumber: 50 });
    const local = make(TOY_ENV_ID, { maxNumber: 50 });
    expect(await client.call('session.reset', { session, seed: 7 })).toEqual(await local.reset({ seed: 7 }));
    for (const action of ['guess 25', 'nonsense', 'guess 10']) {
      expect(await client.call('session.step', { session, action })).toEqual(await local.step(action));
    }
  });

  it('session.reset passes the task through (unknown task → -32007)', async () => {
    const session = await openOne(PROBE_ENV_ID);
    const reply = await client.request('session.reset', { session, task: 'missing' });
    expect(reply.error).toMatchObject({ code: -32007, data: { code: 'TASK_UNKNOWN' } });
    expect(reply.error.message).toMatch(/No task 'missing'/);
    const ok = await client.request('session.reset', { session, task: { split: 'train', index: 0 } });
    expect(ok.result.observation.text).toBe('ready');
  });

  it('session.snapshot and session.restore fork an episode', async () => {
    const session = await openOne(TOY_ENV_ID, { maxNumber: 50 });
    await client.call('session.reset', { session, seed: 3 });
    await client.call('session.step', { session, action: 'guess 1' });
    const { state } = await client.call('session.snapshot', { session });
    const first = await client.call('session.step', { session, action: 'guess 40' });
    await client.call('session.step', { session, action: 'guess 41' });
    expect(await client.call('session.restore', { session, state })).toEqual({});
    const again = await client.call('session.step', { session, action: 'guess 40' });
    expect(again).toEqual(first);
    expect(again.info.elapsedSteps).toBe(2);
  });

  it('session.restore with a foreign state → -32008; without state → -32602 naming state', async () => {
    const session = await openOne();
    await client.call('session.reset', { session, seed: 1 });
    const bad = await client.request('session.restore', { session, state: { nope: 1 } });
    expect(bad.error).toMatchObject({ code: -32008, data: { code: 'STATE_INVALID' } });
    const missing = await client.request('session.restore', { session });
    expect(missing.error).toMatchObject({ code: -32602 });
    expect(missing.error.message).toMatch(/state/);
  });

  it('session.close closes the env; the id is then unknown ("it was closed")', async () => {
    const before = server.sessionCount;
    const session = await openOne();
    expect(server.sessionCount).toBe(before + 1);
    expect(await client.call('session.close', { session })).toEqual({});
    expect(server.sessionCount).toBe(before);
    const reply = await client.request('session.step', { session, action: 'guess 1' });
    expect(reply.error).toMatchObject({ code: -32002, data: { code: 'SESSION_UNKNOWN', session } });
    expect(reply.error.message).toMatch(/was closed/);
  });
});

describe('env errors', () => {
  it('unknown env → -32001 with "did you mean"', async () => {
    const reply = await client.request('session.open', { env: 'toy-gues-v0' });
    expect(reply.error.code).toBe(-32001);
    expect(reply.error.message).toMatch(/Did you mean 'toy-guess-v0'/);
    expect(reply.error.data).toMatchObject({ code: 'ENV_UNKNOWN', suggestions: ['toy-guess-v0'] });
    await expectServerServes();
  });

  it('options rejected by make → -32602 with make\'s message', async () => {
    const before = server.sessionCount;
    const reply = await client.request('session.open', { env: TOY_ENV_ID, options: { maxNumber: 'ten' } });
    expect(reply.error).toMatchObject({ code: -32602, data: { code: 'OPTIONS_INVALID' } });
    expect(reply.error.message).toMatch(/maxNumber/);
    const typo = await client.request('session.open', { env: TOY_ENV_ID, options: { maxNumbr: 3 }, copies: 2 });
    expect(typo.error.message).toMatch(/'maxNumbr'/);
    expect(server.sessionCount).toBe(before);
  });

  it('step before reset → -32004; step after the episode ended → -32003', async () => {
    const session = await openOne(TOY_ENV_ID, { maxNumber: 1 });
    const early = await client.request('session.step', { session, action: 'guess 0' });
    expect(early.error).toMatchObject({ code: -32004, data: { code: 'RESET_NEEDED' } });
    await client.call('session.reset', { session, seed: 0 });
    let done = false;
    for (const action of ['guess 0', 'guess 1']) {
      const r = await client.call('session.step', { session, action });
      if (r.terminated) {
        done = true;
        break;
      }
    }
    expect(done).toBe(true);
    const late = await client.request('session.step', { session, action: 'guess 0' });
    expect(late.error).toMatchObject({ code: -32003, data: { code: 'EPISODE_OVER' } });
    expect(late.error.message).toMatch(/reset\(\)/);
    // a new episode on the same session works
    expect((await client.call('session.reset', { session, seed: 0 })).observation.text).toMatch(/Guess/);
  });

  it('an env that throws → -32000 for that request only; the session and server keep serving', async () => {
    const session = await openOne(PROBE_ENV_ID);
    await client.call('session.reset', { session });
    const reply = await client.request('session.step', { session, action: 'boom' });
    expect(reply.error).toMatchObject({ code: -32000, data: { code: 'INTERNAL_ERROR', name: 'TypeError' } });
    expect(reply.error.message).toMatch(/probe exploded/);
    expect((await client.call('session.step', { session, action: 'ok' })).observation.text).toBe('p:ok');
    await expectServerServes();
  });

  it('a result that is not JSON → -32000 for that request only, alone or in a batch', async () => {
    const session = await openOne(PROBE_ENV_ID);
    await client.call('session.reset', { session });
    const reply = await client.request('session.step', { session, action: 'unserializable' });
    expect(reply.error).toMatchObject({ code: -32000, data: { code: 'INTERNAL_ERROR' } });
    expect(reply.error.message).toMatch(/not plain JSON/);
    client.sendText(
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'session.step', params: { session, action: 'unserializable' } },
        { jsonrpc: '2.0', id: 2, method: 'session.step', params: { session, action: 'fine' } },
      ]),
    );
    const replies = await client.next();
    expect(replies[0].error.code).toBe(-32000);
    expect(replies[1].result.observation.text).toBe('p:fine');
  });
});

describe('malformed input', () => {
  it('invalid JSON → -32700 with id null; the connection keeps working', async () => {
    client.sendText('{"jsonrpc":"2.0", "id": 1, "method": ');
    const reply = await client.next();
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, data: { code: 'PARSE_ERROR' } } });
    expect((await client.call('envs.list')).envs.length).toBeGreaterThan(0);
    await expectServerServes();
  });

  it('unknown method → -32601 naming it and listing the methods', async () => {
    const reply = await client.request('session.teleport', {});
    expect(reply.error).toMatchObject({ code: -32601, data: { code: 'METHOD_NOT_FOUND', method: 'session.teleport' } });
    expect(reply.error.message).toMatch(/session\.teleport.*session\.step/);
    expect(reply.id).toBeTypeOf('number');
  });

  it.each([
    ['session.step', { session: 's', action: 5 }, /action/],
    ['session.step', { action: 'look' }, /session/],
    ['session.step', { session: 's', action: 'x', extra: 1 }, /'extra'/],
    ['session.reset', { session: 's', seed: 1.5 }, /seed/],
    ['session.reset', { session: 's', task: { split: 'train' } }, /task/],
    ['session.open', { env: TOY_ENV_ID, copies: 0 }, /copies/],
    ['session.open', { env: 42 }, /env/],
    ['session.open', { env: TOY_ENV_ID, options: [1] }, /options/],
    ['session.close', ['s'], /named params/],
  ])('%s with bad params %j → -32602 naming the field', async (method, params, field) => {
    const reply = await client.request(method, params);
    expect(reply.error).toMatchObject({ code: -32602, data: { code: 'INVALID_PARAMS' } });
    expect(reply.error.message).toMatch(field);
    expect(reply.error.message).toContain(method);
  });

  it.each([
    ['a number', '42', null],
    ['no jsonrpc', JSON.stringify({ id: 9, method: 'envs.list' }), 9],
    ['wrong version', JSON.stringify({ jsonrpc: '1.0', id: 'v', method: 'envs.list' }), 'v'],
    ['an object id', JSON.stringify({ jsonrpc: '2.0', id: { x: 1 }, method: 'envs.list' }), null],
    ['a non-string method', JSON.stringify({ jsonrpc: '2.0', id: 3, method: 7 }), 3],
  ])('%s → -32600', async (_name, frame, id) => {
    client.sendText(frame);
    const reply = await client.next();
    expect(reply).toMatchObject({ id, error: { code: -32600, data: { code: 'INVALID_REQUEST' } } });
  });

  it('a binary frame → -32600', async () => {
    client.ws.send(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"envs.list"}'), { binary: true });
    expect((await client.next()).error).toMatchObject({ code: -32600 });
    expect((await client.call('envs.list')).envs.length).toBeGreaterThan(0);
  });

  it('unknown session → -32002', async () => {
    const reply = await client.request('session.step', { session: 's_doesnotexist', action: 'look' });
    expect(reply.error).toMatchObject({ code: -32002, data: { code: 'SESSION_UNKNOWN' } });
    expect(reply.error.message).toMatch(/no such session on this connection/);
  });

  it('a session opened on one connection is unknown on another', async () => {
    const session = await openOne();
    const other = await RawClient.connect(server.url);
    const reply = await other.request('session.reset', { session });
    expect(reply.error).toMatchObject({ code: -32002 });
    await other.close();
    expect((await client.call('session.reset', { session, seed: 1 })).observation).toBeDefined();
  });
});

describe('notifications and batches', () => {
  it('a notification gets no response, but is executed', async () => {
    const session = await openOne(PROBE_ENV_ID);
    await client.call('session.reset', { session });
    client.sendText(JSON.stringify({ jsonrpc: '2.0', method: 'session.step', params: { session, action: 'note' } }));
    client.sendText(JSON.stringify({ jsonrpc: '2.0', method: 'no.such.method' }));
    expect(await client.silent(80)).toBe(true);
    expect(probeLog).toContain('end:p:note');
  });

  it('a batch steps many sessions in one frame and answers with one array', async () => {
    const { sessions } = await client.call('session.open', { env: TOY_ENV_ID, options: { maxNumber: 9 }, copies: 3 });
    const resets = sessions.map((session: string, i: number) => ({ jsonrpc: '2.0', id: `r${i}`, method: 'session.reset', params: { session, seed: i } }));
    client.sendText(JSON.stringify(resets));
    const resetReplies = await client.next();
    expect(resetReplies.map((r: { id: string }) => r.id)).toEqual(['r0', 'r1', 'r2']);
    const steps = sessions.map((session: string, i: number) => ({ jsonrpc: '2.0', id: 100 + i, method: 'session.step', params: { session, action: `guess ${i}` } }));
    client.sendText(JSON.stringify(steps));
    const replies = await client.next();
    expect(Array.isArray(replies)).toBe(true);
    expect(replies).toHaveLength(3);
    const local = make(TOY_ENV_ID, { maxNumber: 9 });
    for (let i = 0; i < 3; i++) {
      await local.reset({ seed: i });
      expect(replies[i]).toEqual({ jsonrpc: '2.0', id: 100 + i, result: await local.step(`guess ${i}`) });
    }
  });

  it('a batch mixes results, errors and notifications (no entries for notifications)', async () => {
    const session = await openOne();
    client.sendText(
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'session.reset', params: { session, seed: 2 } },
        { jsonrpc: '2.0', method: 'session.snapshot', params: { session } },
        { jsonrpc: '2.0', id: 2, method: 'nope' },
        17,
        { jsonrpc: '2.0', id: 3, method: 'session.step', params: { session, action: 'guess 1' } },
      ]),
    );
    const replies = await client.next();
    expect(replies).toHaveLength(4);
    expect(replies[0].result.observation).toBeDefined();
    expect(replies[1]).toMatchObject({ id: 2, error: { code: -32601 } });
    expect(replies[2]).toMatchObject({ id: null, error: { code: -32600 } });
    expect(replies[3]).toMatchObject({ id: 3, result: { info: { elapsedSteps: 1 } } });
  });

  it('a batch of only notifications gets no response; an empty batch → -32600', async () => {
    const session = await openOne();
    client.sendText(JSON.stringify([{ jsonrpc: '2.0', method: 'session.reset', params: { session } }]));
    expect(await client.silent(80)).toBe(true);
    client.sendText('[]');
    expect(await client.next()).toMatchObject({ id: null, error: { code: -32600, data: { code: 'INVALID_REQUEST' } } });
  });

  it('steps on one session run in order; steps on different sessions overlap', async () => {
    const a = await openOne(PROBE_ENV_ID, { tag: 'a' });
    const b = await openOne(PROBE_ENV_ID, { tag: 'b' });
    await client.call('session.reset', { session: a });
    await client.call('session.reset', { session: b });
    client.sendText(
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'session.step', params: { session: a, action: 'sleep:60' } },
        { jsonrpc: '2.0', id: 2, method: 'session.step', params: { session: a, action: 'sleep:1' } },
        { jsonrpc: '2.0', id: 3, method: 'session.step', params: { session: b, action: 'sleep:1' } },
      ]),
    );
    const replies = await client.next();
    expect(replies.map((r: { result: { observation: { text: string } } }) => r.result.observation.text)).toEqual([
      'a:sleep:60',
      'a:sleep:1',
      'b:sleep:1',
    ]);
    const at = (entry: string) => probeLog.indexOf(entry);
    expect(at('end:a:sleep:60')).toBeLessThan(at('start:a:sleep:1')); // serialized per session
    expect(at('end:b:sleep:1')).toBeLessThan(at('end:a:sleep:60')); // concurrent across sessions
  });

  it('order holds across frames too: a step sent before a close runs before it', async () => {
    const a = await openOne(PROBE_ENV_ID, { tag: 'c' });
    await client.call('session.reset', { session: a });
    client.sendText(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.step', params: { session: a, action: 'sleep:40' } }));
    client.sendText(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'session.close', params: { session: a } }));
    client.sendText(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'session.step', params: { session: a, action: 'late' } }));
    const replies = [await client.next(), await client.next(), await client.next()].sort((x, y) => x.id - y.id);
    expect(replies[0].result.observation.text).toBe('c:sleep:40');
    expect(replies[1].result).toEqual({});
    expect(replies[2].error).toMatchObject({ code: -32002 });
  });
});

describe('copies', () => {
  it('copies reset with the same task and seed produce identical trajectories', async () => {
    const { sessions } = await client.call('session.open', { env: TOY_ENV_ID, options: { maxNumber: 100 }, copies: 4 });
    const trajectories: unknown[][] = sessions.map(() => []);
    const reset = (seed: number) =>
      JSON.stringify(sessions.map((session: string, i: number) => ({ jsonrpc: '2.0', id: i, method: 'session.reset', params: { session, seed, task: 'x' } })));
    client.sendText(reset(11));
    (await client.next()).forEach((r: { result: unknown }, i: number) => trajectories[i]!.push(r.result));
    for (const action of ['guess 50', 'guess 25', 'guess 75', 'bad', 'guess 60']) {
      client.sendText(JSON.stringify(sessions.map((session: string, i: number) => ({ jsonrpc: '2.0', id: i, method: 'session.step', params: { session, action } }))));
      (await client.next()).forEach((r: { result: unknown }, i: number) => trajectories[i]!.push(r.result));
    }
    for (const t of trajectories.slice(1)) expect(t).toEqual(trajectories[0]);
    // and the group is not trivially constant: another seed plays differently
    const other = await openOne(TOY_ENV_ID, { maxNumber: 100 });
    const otherReset = await client.call('session.reset', { session: other, seed: 12 });
    const otherStep = await client.call('session.step', { session: other, action: 'guess 50' });
    expect([otherReset, otherStep]).not.toEqual(trajectories[0]!.slice(0, 2));
  });
});
