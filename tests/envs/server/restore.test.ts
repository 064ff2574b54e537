/** session.restore validates states at the protocol boundary: STATE_INVALID, never -32000. */
import { describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { Dispatcher, Peer, SessionTable } from '../../../envs/server/index.js';

async function setup() {
  const dispatcher = new Dispatcher(new SessionTable({ maxSessions: 8, maxSessionsPerConnection: 8, idleTimeoutMs: 0 }), { maxCopies: 4, maxBatch: 16 });
  const peer = new Peer();
  let id = 0;
  const call = async (method: string, params: unknown): Promise<any> => JSON.parse((await dispatcher.handleFrame(peer, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params })))!);
  const raw = async (text: string): Promise<any> => JSON.parse((await dispatcher.handleFrame(peer, text))!);
  const session = (await call('session.open', { env: 'household-v1' })).result.sessions[0] as string;
  await call('session.reset', { session, seed: 4 });
  return { call, raw, session };
}

describe('session.restore', () => {
  it('answers a state nested thousands of levels deep with STATE_INVALID (-32008), not an internal error', async () => {
    const { call, raw, session } = await setup();
    for (const depth of [100, 5000, 100_000]) {
      const state = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const reply = await raw(`{"jsonrpc":"2.0","id":7,"method":"session.restore","params":{"session":"${session}","state":${state}}}`);
      expect(reply.error, `depth ${depth}`).toMatchObject({ code: -32008, data: { code: 'STATE_INVALID' } });
      expect(reply.error.message).toMatch(/nests deeper than 64 levels/);
    }
    // the session is untouched and still serves
    expect((await call('session.step', { session, action: 'look' })).result.observation.text).toBeTypeOf('string');
  });

  it('refuses a snapshot with unknown extra keys, at the top or deep inside', async () => {
    const { call, session } = await setup();
    const state = (await call('session.snapshot', { session })).result.state;
    const top = await call('session.restore', { session, state: { ...state, extra: true } });
    expect(top.error).toMatchObject({ code: -32008, data: { code: 'STATE_INVALID' } });
    const inner = structuredClone(state);
    inner.inner.inner.game.dyn.extra = true;
    const deep = await call('session.restore', { session, state: inner });
    expect(deep.error).toMatchObject({ code: -32008 });
    expect(deep.error.message).toMatch(/game\.dyn has unknown key\(s\) 'extra'/);
    expect((await call('session.restore', { session, state })).result).toEqual({});
  });
});
