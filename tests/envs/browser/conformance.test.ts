/**
 * browser-v1 passes the conformance kit in process and over a WebSocket, on a small budget (a
 * few episodes over tasks of every kind of widget) so the file stays fast. `npm run bench:browser
 * -- --conformance` and `ludus check browser-v1` run the full default budget.
 */
import { afterAll, beforeAll } from 'vitest';
import '../../../envs/builtin.js';
import { sharedBrowser } from '../../../envs/browser/chromium.js';
import { RemoteEnvClient } from '../../../envs/client/index.js';
import type { ConformanceOptions } from '../../../envs/conformance/index.js';
import { make } from '../../../envs/core/registry.js';
import { startServer, type EnvServer } from '../../../envs/server/index.js';
import { describeConformance } from '../../helpers/conformance.js';

const SMALL: Partial<ConformanceOptions> = {
  episodes: 1,
  maxSteps: 5,
  admissibleProbeStates: 2,
  admissibleProbeActions: 6,
  tasks: ['form-sequence/train/00004'],
};

let server: EnvServer;
let client: RemoteEnvClient;

beforeAll(async () => {
  server = await startServer({ port: 0 });
  client = await RemoteEnvClient.connect(server.url);
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  await sharedBrowser.close();
});

describeConformance('browser-v1 in process', (o) => make('browser-v1', o ?? {}), SMALL);
describeConformance('browser-v1 over WebSocket', async (o) => (await client.open('browser-v1', o ?? {}))[0]!, {
  ...SMALL,
  tasks: ['email-inbox-reply/test/00002'],
});
