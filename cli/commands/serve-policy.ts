/**
 * `ludus serve-policy --checkpoint DIR`: a trained policy behind the OpenAI chat-completions API
 * (`/v1/models`, `/v1/chat/completions`, streaming optional); prints `listening http://HOST:PORT/v1`.
 * A scorer checkpoint answers with one of the admissible actions; a language-model checkpoint
 * generates (agents/policy-server/lm-engine.ts).
 */
import type { Command } from 'commander';
import { selectBackend } from '../../agents/policy/backend.js';
import { loadScorer } from '../../agents/policy/checkpoint.js';
import { isLmCheckpoint, loadLmCheckpoint } from '../../agents/lm/checkpoint.js';
import { PolicyServer } from '../../agents/policy-server/policy-server.js';
import { CliUsageError, parseInteger } from '../errors.js';
import { serveUntilSignal } from '../serve-until-signal.js';
import { resolveCheckpoint } from './eval.js';

interface ServePolicyFlags {
  checkpoint: string;
  host: string;
  port: string;
  model: string;
  apiKey?: string;
  maxBatch?: string;
  batchWindow?: string;
  maxBodyBytes?: string;
  seed: string;
  backend: string;
  rateLimit?: string;
  rateBurst?: string;
}

export function registerServePolicyCommand(program: Command, out: (line: string) => void): void {
  program
    .command('serve-policy')
    .description('serve a trained policy as an OpenAI-compatible endpoint; prints `listening http://HOST:PORT/v1`')
    .requiredOption('--checkpoint <dir>', "a checkpoint folder, or a run's checkpoint dir (its newest checkpoint)")
    .option('--host <host>', 'interface to bind (a non-loopback host needs --api-key)', '127.0.0.1')
    .option('--port <port>', 'port; 0 picks a free one', '8000')
    .option('--model <name>', 'the model id clients send', 'ludus-policy')
    .option('--api-key <key>', 'Bearer key clients must send (default $LUDUS_POLICY_API_KEY; none on loopback)')
    .option('--max-batch <n>', 'most decisions scored in one forward pass (default 256)')
    .option('--batch-window <ms>', 'how long a decision waits for others to share its forward pass (default 2)')
    .option('--max-body-bytes <n>', 'largest request body (default 4194304)')
    .option('--seed <n>', 'seeds sampling for requests without a seed', '0')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu', 'auto')
    .option('--rate-limit <n>', 'accept n chat requests per second on average; the rest get 429 with Retry-After (load and backoff tests; default: no limit)')
    .option('--rate-burst <n>', 'requests accepted at once before --rate-limit applies (default max(1, n))')
    .action(async (flags: ServePolicyFlags) => {
      const dir = await resolveCheckpoint(flags.checkpoint);
      const backend = flags.backend as 'auto';
      const selection = await selectBackend({ prefer: backend, allowCpu: backend === ('cpu' as string) });
      const lm = isLmCheckpoint(dir) ? (await loadLmCheckpoint(dir)).lm : undefined;
      const scorer = lm === undefined ? await loadScorer(dir) : undefined;
      const policy = lm ?? scorer!;
      const release = () => (lm === undefined ? scorer?.dispose() : lm.model.dispose());
      const apiKey = flags.apiKey ?? process.env.LUDUS_POLICY_API_KEY;
      let server: PolicyServer;
      try {
        server = await new PolicyServer(policy, {
          host: flags.host,
          port: parseInteger('--port', flags.port, 0),
          model: flags.model,
          seed: parseInteger('--seed', flags.seed, 0),
          ...(apiKey === undefined || apiKey === '' ? {} : { apiKey }),
          ...(flags.maxBatch === undefined ? {} : { maxBatch: parseInteger('--max-batch', flags.maxBatch, 1) }),
          ...(flags.batchWindow === undefined ? {} : { batchWindowMs: parseInteger('--batch-window', flags.batchWindow, 0) }),
          ...(flags.rateLimit === undefined ? {} : { rateLimit: positiveNumber('--rate-limit', flags.rateLimit) }),
          ...(flags.rateBurst === undefined ? {} : { rateBurst: positiveNumber('--rate-burst', flags.rateBurst) }),
          ...(flags.maxBodyBytes === undefined ? {} : { maxBodyBytes: parseInteger('--max-body-bytes', flags.maxBodyBytes, 1024) }),
        }, (line) => process.stderr.write(`${line}\n`)).listen();
      } catch (err) {
        release();
        throw err;
      }
      const stopped = serveUntilSignal(server); // handlers first: a supervisor may signal as soon as it reads the line
      out(`listening ${server.url} (model ${flags.model}, checkpoint ${dir}, ${lm === undefined ? 'scorer' : `language model of ${lm.model.parameterCount()} parameters`}, backend ${selection.name})`);
      try {
        await stopped;
      } finally {
        release();
      }
    });
}

function positiveNumber(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`${name} must be a number > 0, got '${value}'`);
  return n;
}
