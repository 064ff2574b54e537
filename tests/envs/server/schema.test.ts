/**
 * docs/protocol.schema.json against real frames captured from a running server.
 * The validator below covers exactly the JSON Schema keywords the file uses, and fails on any other
 * assertion keyword, so the schema cannot silently grow past what is checked here.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../../../envs/server/index.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { computeAdvantages } from '../../../trainer/advantages/compute-request.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';
import { registerToyGame, TOY_GAME_ID } from '../../helpers/toy-game.js';
import '../../../envs/builtin.js';
import { RawClient, registerProbeEnv, PROBE_ENV_ID } from './test-support.js';

type Schema = boolean | { [key: string]: any };
const root = JSON.parse(readFileSync(new URL('../../../docs/protocol.schema.json', import.meta.url), 'utf8')) as { [key: string]: any };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'examples', '$comment', '$defs']);
const KEYWORDS = new Set([
  '$ref', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items',
  'minItems', 'minLength', 'maxLength', 'minimum', 'maximum', 'oneOf', 'anyOf',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Returns the errors of `value` against `schema` (empty when valid). */
function validate(schema: Schema, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value allowed`];
  const errors: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !KEYWORDS.has(key)) throw new Error(`schema keyword '${key}' is not supported by the test validator`);
  }
  if (schema.$ref !== undefined) errors.push(...validate(resolveRef(schema.$ref), value, path));
  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) errors.push(`${path}: expected ${types.join('|')}, got ${t}`);
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum !== undefined && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
  if (typeof value === 'number' && schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.items !== undefined) value.forEach((item, i) => errors.push(...validate(schema.items, item, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path}: missing '${key}'`);
    const props = schema.properties ?? {};
    for (const [key, v] of Object.entries(obj)) {
      if (key in props) errors.push(...validate(props[key], v, `${path}.${key}`));
      else if (schema.additionalProperties !== undefined) errors.push(...validate(schema.additionalProperties, v, `${path}.${key}`));
    }
  }
  if (schema.anyOf !== undefined) {
    const branches = schema.anyOf.map((s: Schema) => validate(s, value, path));
    if (!branches.some((b: string[]) => b.length === 0)) errors.push(`${path}: matches no anyOf branch (${branches.map((b: string[]) => b[0]).join(' / ')})`);
  }
  if (schema.oneOf !== undefined) {
    const branches = schema.oneOf.map((s: Schema) => validate(s, value, path));
    const matched = branches.filter((b: string[]) => b.length === 0).length;
    if (matched !== 1) errors.push(`${path}: matches ${matched} oneOf branches (${branches.map((b: string[]) => b[0]).join(' / ')})`);
  }
  return errors;
}

function resolveRef(ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: any = root;
  for (const part of ref.slice(2).split('/')) node = node?.[part];
  if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  return node;
}

const def = (name: string) => resolveRef(`#/$defs/${name}`);
const defName = (method: string) => method.split('.').map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');

registerToyEnv();
registerProbeEnv();
registerToyGame();

let server: EnvServer;
let client: RawClient;

beforeAll(async () => {
  server = await startServer({ port: 0 }, { advantages: computeAdvantages }) // as `ludus serve` starts it;
  client = await RawClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** Plays a session exercising every method, success and failure, and returns the frames both ways. */
async function capture(): Promise<{ sent: string[]; received: string[] }> {
  const invalid = new Set<string>(['{not json', '[]']);
  /** A request the client gets wrong on purpose: not a valid ClientFrame, so not validated as one. */
  const wrong = async (method: string, params: unknown) => {
    await client.request(method, params);
    invalid.add(client.sent.at(-1)!);
  };
  await client.call('envs.list');
  const { sessions } = await client.call('session.open', { env: TOY_ENV_ID, options: { maxNumber: 3 }, copies: 2 });
  const [s1, s2] = sessions;
  await client.request('session.step', { session: s1, action: 'guess 1' }); // RESET_NEEDED
  await client.call('session.reset', { session: s1, seed: 5, task: { split: 'train', index: 0 } });
  await client.call('session.reset', { session: s2, seed: 5, task: 'any-id' });
  await client.call('session.step', { session: s1, action: 'hello' }); // invalid action → info.invalid
  const { state } = await client.call('session.snapshot', { session: s1 });
  for (const a of ['guess 0', 'guess 1', 'guess 2', 'guess 3']) {
    const r = await client.call('session.step', { session: s1, action: a });
    if (r.terminated) break;
  }
  await client.request('session.step', { session: s1, action: 'guess 0' }); // EPISODE_OVER
  await client.call('session.restore', { session: s1, state });
  await client.request('session.restore', { session: s1, state: 3 }); // STATE_INVALID
  client.sendText(JSON.stringify([
    { jsonrpc: '2.0', id: 'b1', method: 'session.step', params: { session: s1, action: 'guess 2' } },
    { jsonrpc: '2.0', id: 'b2', method: 'session.step', params: { session: s2, action: 'guess 2' } },
    { jsonrpc: '2.0', method: 'session.snapshot', params: { session: s2 } },
  ]));
  await client.next();
  // One frame for several sessions: an ok entry and an unknown session answer separately.
  await client.call('session.reset', { session: s2, seed: 5, task: { split: 'train', index: 0 } });
  await client.call('session.stepMany', { steps: [{ session: s2, action: 'guess 1' }, { session: 's_gone', action: 'guess 1' }] });
  await client.call('advantages.compute', {
    estimator: 'gigpo',
    rows: [
      { groupId: 'g', trajId: 'a', t: 0, reward: 0, anchor: 'start' },
      { groupId: 'g', trajId: 'a', t: 1, reward: 1, anchor: 'room' },
      { groupId: 'g', trajId: 'b', t: 0, reward: 0, anchor: 'start', invalid: true },
    ],
    options: { gamma: 0.9 },
  });
  await client.call('advantages.compute', { estimator: 'grpo', rows: [{ groupId: 'g', trajId: 'a', t: 0, reward: 1 }] });
  await client.request('advantages.compute', { estimator: 'gigpo', rows: [{ groupId: 'g', trajId: 'a', t: 0, reward: 0 }], options: { gama: 1 } }); // INVALID_PARAMS: unknown option
  await client.request('session.open', { env: 'toy-gess-v0' }); // ENV_UNKNOWN
  await client.request('session.open', { env: TOY_ENV_ID, options: { maxNumber: 0 } }); // OPTIONS_INVALID
  await wrong('session.step', { session: s1, action: 3 }); // INVALID_PARAMS
  await wrong('session.fly', {}); // METHOD_NOT_FOUND
  const [probe] = (await client.call('session.open', { env: PROBE_ENV_ID })).sessions;
  await client.call('session.reset', { session: probe });
  await client.request('session.step', { session: probe, action: 'boom' }); // INTERNAL_ERROR
  await client.request('session.reset', { session: probe, task: 'missing' }); // TASK_UNKNOWN
  // Multi-agent, stepped by the opener.
  const [k] = (await client.call('session.open', { env: 'kuhn-poker-v1' })).sessions;
  await client.call('session.reset', { session: k, task: 'kuhn/train/0' });
  const kState = (await client.call('session.snapshot', { session: k })).state;
  await client.call('session.step', { session: k, actions: { 0: 'bet', 1: 'call' } }); // seat 1 is not to act: NOT_YOUR_TURN in its info
  await client.call('session.restore', { session: k, state: kState });
  await client.request('session.step', { session: k, action: 'bet' }); // INVALID_PARAMS: a multi-agent session takes actions by seat
  await client.request('seat.claim', { session: k, seat: 0 }); // INVALID_REQUEST: not played by seats
  // Multi-agent, played by seats: pushes interleave with responses.
  const notes: any[] = [];
  let id = 1000;
  const ask = async (method: string, params: unknown) => {
    const mine = id++;
    client.sendText(JSON.stringify({ jsonrpc: '2.0', id: mine, method, params }));
    for (;;) {
      const frame = await client.next();
      if (Array.isArray(frame) && typeof frame[0]?.method === 'string') notes.push(...frame); // turns pushed together
      else if (frame.id === mine) return frame;
      else notes.push(frame);
    }
  };
  const note = async (method: string) => {
    for (;;) {
      const found = notes.findIndex((n) => n.method === method);
      if (found >= 0) return notes.splice(found, 1)[0];
      const frame = await client.next();
      if (Array.isArray(frame)) notes.push(...frame);
      else notes.push(frame);
    }
  };
  const g = (await ask('session.open', { env: TOY_GAME_ID, options: { target: 1 }, seats: { 2: 'random' }, turnTimeoutMs: 5000, fallback: 'random' })).result.sessions[0];
  await ask('seat.claim', { session: g, seat: 0 });
  await ask('seat.claim', { session: g, seat: 1 });
  await ask('seat.claim', { session: g, seat: 0 }); // SEAT_TAKEN
  await ask('seat.claim', { session: g, seat: 9 }); // SEAT_UNKNOWN
  await ask('seat.act', { session: g, seat: 0, action: 'add 1' }); // RESET_NEEDED
  const started = (await ask('session.reset', { session: g, seed: 3 })).result;
  if (started.game.actors[0] !== 2) {
    // A client seat counts to the target (else the built-in agent did), then everyone votes.
    const turn = (await note('seat.turn')).params;
    await ask('seat.act', { session: g, seat: turn.seat, action: 'add 1', turn: turn.turn });
  }
  const votes = [(await note('seat.turn')).params, (await note('seat.turn')).params];
  await ask('seat.act', { session: g, seat: votes[0].seat, action: 'yes', turn: votes[0].turn });
  await ask('seat.act', { session: g, seat: votes[0].seat, action: 'no', turn: votes[0].turn }); // ALREADY_ACTED
  await ask('seat.act', { session: g, seat: 2, action: 'no' }); // SEAT_NOT_HELD
  await ask('seat.act', { session: g, seat: votes[1].seat, action: 'no', turn: votes[1].turn });
  await note('game.over');
  await ask('seat.release', { session: g, seat: 1 });
  await ask('session.step', { session: g, actions: { 0: 'yes' } }); // INVALID_REQUEST: played by seats
  await ask('session.close', { session: g });
  await client.call('session.close', { session: k });
  for (const s of [s1, s2, probe]) await client.call('session.close', { session: s });
  await client.request('session.close', { session: s1 }); // SESSION_UNKNOWN
  client.sendText('{not json'); // PARSE_ERROR (the malformed frame itself is not a ClientFrame)
  await client.next();
  client.sendText('[]');
  await client.next();
  return { sent: client.sent.filter((f) => !invalid.has(f)), received: client.received };
}

describe('docs/protocol.schema.json', () => {
  it('has a def for every method\'s request and response', () => {
    for (const method of METHODS) {
      expect(def(`${defName(method)}Request`)).toBeTypeOf('object');
      expect(def(`${defName(method)}Response`)).toBeTypeOf('object');
    }
  });

  it('the validator is not vacuous: it rejects malformed messages', () => {
    const good = { jsonrpc: '2.0', id: 1, result: { observation: { text: '', actions: [], anchor: '' }, reward: 0, terminated: false, truncated: false, info: { rewardComponents: {}, stateKey: 'k' } } };
    expect(validate(def('SessionStepResponse'), good)).toEqual([]);
    const { reward: _r, ...noReward } = good.result;
    expect(validate(def('SessionStepResponse'), { ...good, result: noReward })).not.toEqual([]);
    expect(validate(def('Request'), { jsonrpc: '2.0', id: 1, method: 'session.step', params: { session: 's' } })).not.toEqual([]);
    expect(validate(def('Request'), { jsonrpc: '2.0', id: 1, method: 'session.warp', params: {} })).not.toEqual([]);
    expect(validate(def('ErrorResponse'), { jsonrpc: '2.0', id: 1, error: { code: -1, message: 'x', data: { code: 'X' } } })).not.toEqual([]);
    expect(validate(def('ClientFrame'), [])).not.toEqual([]);
  });

  it('validates every frame captured from a real server, each response against its method', async () => {
    const { sent, received } = await capture();
    const methodById = new Map<unknown, string>();
    let checkedResults = 0;
    let checkedErrors = 0;
    for (const frame of sent) {
      const msg = JSON.parse(frame);
      expect(validate(def('ClientFrame'), msg), frame).toEqual([]);
      for (const req of Array.isArray(msg) ? msg : [msg]) {
        expect(validate(def(`${defName(req.method)}Request`), req), frame).toEqual([]);
        if ('id' in req) methodById.set(req.id, req.method);
      }
    }
    const notifications = new Set<string>();
    for (const frame of received) {
      const msg = JSON.parse(frame);
      expect(validate(def('ServerFrame'), msg), frame).toEqual([]);
      if (Array.isArray(msg) && typeof msg[0]?.method === 'string') {
        for (const n of msg) notifications.add(n.method); // notifications pushed together
        continue;
      }
      if (!Array.isArray(msg) && typeof msg.method === 'string') {
        notifications.add(msg.method);
        continue;
      }
      for (const res of Array.isArray(msg) ? msg : [msg]) {
        if ('error' in res) {
          expect(validate(def('ErrorResponse'), res), frame).toEqual([]);
          checkedErrors += 1;
        } else {
          const method = methodById.get(res.id);
          expect(method, frame).toBeDefined();
          expect(validate(def(`${defName(method!)}Response`), res), frame).toEqual([]);
          checkedResults += 1;
        }
      }
    }
    const errorCodes = new Set(received.flatMap((f) => [JSON.parse(f)].flat()).filter((r) => r.error).map((r) => r.error.data.code));
    expect([...errorCodes].sort()).toEqual(
      [
        'ALREADY_ACTED', 'ENV_UNKNOWN', 'EPISODE_OVER', 'INTERNAL_ERROR', 'INVALID_PARAMS', 'INVALID_REQUEST', 'METHOD_NOT_FOUND', 'OPTIONS_INVALID',
        'PARSE_ERROR', 'RESET_NEEDED', 'SEAT_NOT_HELD', 'SEAT_TAKEN', 'SEAT_UNKNOWN', 'SESSION_UNKNOWN', 'STATE_INVALID', 'TASK_UNKNOWN',
      ].sort(),
    );
    expect([...notifications].sort()).toEqual(['game.over', 'seat.turn']);
    expect(checkedResults).toBeGreaterThan(10);
    expect(checkedErrors).toBeGreaterThanOrEqual(errorCodes.size);
  });
});
