/** Every builtin env passes the conformance kit over a real WebSocket server, as it does in process. */
import { afterAll, beforeAll } from 'vitest';
import { BUILTIN_SPECS } from '../../envs/builtin.js';
import { RemoteEnvClient } from '../../envs/client/remote-env-client.js';
import { startServer, type EnvServer } from '../../envs/server/env-server.js';
import { describeConformance } from '../helpers/conformance.js';

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

for (const spec of BUILTIN_SPECS) {
  describeConformance(`${spec.id} over WebSocket`, async (options) => (await client.open(spec.id, options ?? {}))[0]!, { episodes: 2 });
}
