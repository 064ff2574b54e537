import { describe, expect, it } from 'vitest';
import {
  EnvClosedError,
  EpisodeOverError,
  InvalidStateError,
  LudusError,
  OptionsError,
  ResetNeededError,
  UnknownEnvError,
  UnknownTaskError,
} from '../../../envs/core/errors.js';
import { Dispatcher, Peer, ProtocolError, RPC_CODES, SessionTable, fromRpcError, toRpcError } from '../../../envs/server/index.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';

registerToyEnv();

/** Server → wire → client, as RemoteEnv sees it. */
const roundTrip = (err: unknown) => fromRpcError(JSON.parse(JSON.stringify(toRpcError(err))));

describe('error mapping', () => {
  it.each([
    [new UnknownEnvError('x-v1', ['x-v2']), UnknownEnvError, -32001],
    [new OptionsError('toy-guess-v0', ['maxNumber: too big']), OptionsError, -32602],
    [new UnknownTaskError('No task 7.'), UnknownTaskError, -32007],
    [new ResetNeededError(), ResetNeededError, -32004],
    [new EpisodeOverError(), EpisodeOverError, -32003],
    [new InvalidStateError('Bad.'), InvalidStateError, -32008],
    [new EnvClosedError(), EnvClosedError, -32011],
  ] as const)('%s keeps its class, code, message and data across the wire', (err, cls, rpc) => {
    expect(toRpcError(err).code).toBe(rpc);
    const back = roundTrip(err);
    expect(back).toBeInstanceOf(cls);
    expect(back).toBeInstanceOf(LudusError);
    expect(back.name).toBe(err.name);
    expect(back.code).toBe(err.code);
    expect(back.message).toBe(err.message);
    expect(back.data).toEqual(err.data);
  });

  it('protocol errors come back as ProtocolErrors with their code', () => {
    const err = new ProtocolError('SESSION_LIMIT', 'Too many.', { limit: 3 });
    expect(toRpcError(err)).toEqual({ code: RPC_CODES.SESSION_LIMIT, message: 'Too many.', data: { limit: 3, code: 'SESSION_LIMIT' } });
    const back = roundTrip(err);
    expect(back).toBeInstanceOf(ProtocolError);
    expect(back.code).toBe('SESSION_LIMIT');
    expect(back.data).toEqual({ limit: 3 });
  });

  it('env bugs are -32000 and come back as REMOTE_ERROR; unknown codes too', () => {
    const bug = toRpcError(new RangeError('index out of range'));
    expect(bug).toEqual({ code: -32000, message: 'The env raised an unexpected RangeError: index out of range', data: { code: 'INTERNAL_ERROR', name: 'RangeError' } });
    expect(roundTrip(new RangeError('x'))).toMatchObject({ code: 'REMOTE_ERROR', data: { remoteCode: 'INTERNAL_ERROR', rpcCode: -32000 } });
    expect(toRpcError('a string')).toMatchObject({ code: -32000, data: { name: 'string' } });
    const future = fromRpcError({ code: -32042, message: 'New thing.', data: { code: 'SOMETHING_NEW' } });
    expect(future).toMatchObject({ code: 'REMOTE_ERROR', message: 'New thing.', data: { remoteCode: 'SOMETHING_NEW', rpcCode: -32042 } });
    expect(fromRpcError('garbage')).toMatchObject({ code: 'REMOTE_ERROR' });
  });
});

describe('Dispatcher without sockets', () => {
  const table = new SessionTable({ maxSessions: 8, maxSessionsPerConnection: 8, idleTimeoutMs: 0 });
  const dispatcher = new Dispatcher(table, { maxCopies: 4, maxBatch: 8 });

  it('turns one text frame into one text frame, or none for a notification', async () => {
    const peer = new Peer();
    const opened = JSON.parse((await dispatcher.handleFrame(peer, '{"jsonrpc":"2.0","id":"o","method":"session.open","params":{"env":"toy-guess-v0"}}'))!);
    const session = opened.result.sessions[0];
    expect(peer.sessions.has(session)).toBe(true);
    expect(await dispatcher.handleFrame(peer, JSON.stringify({ jsonrpc: '2.0', method: 'session.reset', params: { session, seed: 1 } }))).toBeUndefined();
    const step = JSON.parse((await dispatcher.handleFrame(peer, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'session.step', params: { session, action: 'guess 1' } })))!);
    expect(step.result.info.elapsedSteps).toBe(1); // the notification's reset ran first
    await table.closePeer(peer);
    expect(table.size).toBe(0);
  });

  it('a connection that is gone cannot open sessions', async () => {
    const peer = new Peer();
    await table.closePeer(peer);
    const reply = JSON.parse((await dispatcher.handleFrame(peer, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.open', params: { env: TOY_ENV_ID } })))!);
    expect(reply.error.code).toBe(-32005);
    expect(table.size).toBe(0);
  });
});
