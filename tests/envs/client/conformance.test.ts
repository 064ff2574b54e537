/**
 * The conformance kit the local envs pass, run over a WebSocket session: code written against
 * the Env interface cannot tell a RemoteEnv from a local one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUILTIN_SPECS } from '../../../envs/builtin.js';
import { make } from '../../../envs/core/registry.js';
import { Rng } from '../../../envs/core/rng.js';
import type { Env } from '../../../envs/core/types.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { describeConformance, describeMultiAgentConformance } from '../../helpers/conformance.js';
import { registerToyEnv, TOY_ENV_ID } from '../../helpers/toy-env.js';
import { registerToyGame, TOY_GAME_ID } from '../../helpers/toy-game.js';

registerToyEnv();
registerToyGame();

let server: EnvServer;
let client: RemoteEnvClient;

beforeAll(async () => {
  server = await startServer({ port: 0 });
  client = await RemoteEnvClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

// Every builtin env (and the toy env) passes the kit over a real WebSocket server, as it does in process.
/** Options that keep each env small enough for a unit test (shop: the 1k catalog, not 100k). */
const TEST_OPTIONS: Record<string, Record<string, unknown>> = { 'shop-v1': { products: 1000 } };

// browser-v1 runs the same kit over a WebSocket on a smaller budget in tests/envs/browser/conformance.test.ts.
const OWN_FILE = new Set(['browser-v1']);

for (const id of [TOY_ENV_ID, ...BUILTIN_SPECS.filter((s) => s.kind === 'single').map((s) => s.id).filter((id) => !OWN_FILE.has(id))]) {
  describeConformance(`${id} over WebSocket`, async (options: Record<string, unknown> | undefined) => (await client.open(id, { ...TEST_OPTIONS[id], ...options }))[0]!);
}
for (const id of [TOY_GAME_ID, ...BUILTIN_SPECS.filter((s) => s.kind === 'multi').map((s) => s.id)]) {
  describeMultiAgentConformance(`${id} over WebSocket`, async (options: Record<string, unknown> | undefined) => (await client.openMulti(id, { ...TEST_OPTIONS[id], ...options }))[0]!);
}

it('household-v1 plays the same trajectory remotely and locally, bit for bit', async () => {
  const play = async (env: Env) => {
    const rng = new Rng(7);
    const out: unknown[] = [];
    let { observation } = await env.reset({ seed: 3, task: { split: 'train', index: 2 } });
    out.push(observation);
    for (let t = 0; t < 30; t++) {
      const action = observation.actions.length > 0 && t % 5 !== 4 ? observation.actions[rng.int(observation.actions.length)]! : 'dance wildly';
      const step = await env.step(action);
      out.push(step);
      if (step.terminated || step.truncated) break;
      observation = step.observation;
    }
    out.push(await env.snapshot());
    return out;
  };
  const [remote] = await client.open('household-v1');
  const local = make('household-v1');
  expect(JSON.stringify(await play(remote!))).toBe(JSON.stringify(await play(local)));
  await remote!.close();
  await local.close();
});
