/** JSON-RPC ids: echoed exactly, or refused with a clear error when they cannot be. */
import { describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { Dispatcher, Peer, SessionTable } from '../../../envs/server/index.js';

const dispatcher = new Dispatcher(new SessionTable({ maxSessions: 8, maxSessionsPerConnection: 8, idleTimeoutMs: 0 }), { maxCopies: 4, maxBatch: 16 });
const peer = new Peer();
const send = async (text: string): Promise<string> => (await dispatcher.handleFrame(peer, text))!;

describe('JSON-RPC ids', () => {
  it('echoes strings and integers within ±(2^53 − 1) exactly, byte for byte', async () => {
    for (const id of ['9007199254740991', '-9007199254740991', '0', '"9007199254740993"', '"abc"', 'null']) {
      const reply = await send(`{"jsonrpc":"2.0","id":${id},"method":"envs.list"}`);
      expect(reply.startsWith(`{"jsonrpc":"2.0","id":${id},"result":`), id).toBe(true);
    }
  });

  it('refuses numeric ids beyond 2^53 − 1 (JSON.parse would round them) with a message that says to send strings', async () => {
    for (const id of ['9007199254740993', '9007199254740992', '-9007199254740993', '1e300', '123456789012345678901234567890']) {
      const reply = JSON.parse(await send(`{"jsonrpc":"2.0","id":${id},"method":"envs.list"}`));
      expect(reply.id, id).toBeNull();
      expect(reply.error).toMatchObject({ code: -32600, data: { code: 'INVALID_REQUEST' } });
      expect(reply.error.message).toMatch(/within ±9007199254740991 \(2\^53 − 1\).*Send big ids as strings/);
    }
    // in a batch, only that request is refused
    const batch = JSON.parse(await send('[{"jsonrpc":"2.0","id":9007199254740993,"method":"envs.list"},{"jsonrpc":"2.0","id":2,"method":"envs.list"}]'));
    expect(batch.map((r: { id: unknown; error?: unknown }) => [r.id, r.error === undefined])).toEqual([
      [null, false],
      [2, true],
    ]);
  });

  it('still refuses fractional ids as before', async () => {
    const reply = JSON.parse(await send('{"jsonrpc":"2.0","id":1.5,"method":"envs.list"}'));
    expect(reply.error.message).toBe('Invalid request: id must be a string, an integer or null.');
  });
});
