/**
 * `ludus check <env-id|ws-url> [--env ID] [--episodes N]`: the conformance kit, in process or over
 * a WebSocket; multi-agent envs get the multi-agent checks (seats, turns, privacy).
 */
import type { Command } from 'commander';
import { checkEnv, checkMultiAgentEnv, type ConformanceOptions, type ConformanceReport, type EnvFactory, type MultiAgentEnvFactory } from '../../envs/conformance/index.js';
import { make, makeAny, makeMulti, spec } from '../../envs/core/registry.js';
import type { EnvSummary } from '../../envs/core/spec.js';
import { RemoteEnvClient } from '../../envs/client/remote-env-client.js';
import { CliUsageError, parseInteger } from '../errors.js';
import { parseTaskRef } from '../task-ref.js';

interface CheckOptions {
  env?: string;
  episodes: string;
  seed: string;
  task?: string[];
  token?: string;
  json?: boolean;
}

export function registerCheckCommand(program: Command, out: (line: string) => void): void {
  program
    .command('check')
    .description('run the conformance checks on an env id (in process) or a server URL (over WebSocket)')
    .argument('<target>', 'an env id such as household-v1, or ws://HOST:PORT')
    .option('--env <id>', 'with a URL: the env to check (default: every env the server lists)')
    .option('--episodes <n>', 'episodes per trajectory check', '3')
    .option('--seed <n>', 'base seed', '1234')
    .option('--task <ref...>', 'tasks to play (split:index or id), cycled over episodes')
    .option('--token <token>', 'auth token for the server')
    .option('--json', 'print the report as JSON')
    .action(async (target: string, opts: CheckOptions) => {
      const episodes = parseInteger('--episodes', opts.episodes, 1);
      const seed = parseInteger('--seed', opts.seed, 0);
      const tasks = (opts.task ?? []).map((t) => parseTaskRef(t)).filter((t) => t !== undefined);
      const reports: { env: string; where: string; report: ConformanceReport }[] = [];
      if (/^wss?:\/\//.test(target)) {
        const client = await RemoteEnvClient.connect(target, opts.token === undefined ? {} : { token: opts.token });
        try {
          const listed = await client.listEnvs();
          const ids = opts.env ? [opts.env] : listed.map((e) => e.id);
          for (const id of ids) {
            const summary: EnvSummary | undefined = listed.find((e) => e.id === id);
            const options: Partial<ConformanceOptions> = { episodes, seed, tasks, snapshot: summary?.capabilities.snapshot ?? 'native' };
            if (summary?.kind === 'multi') {
              const factory: MultiAgentEnvFactory = async (o) => (await client.openMulti(id, o ?? {}))[0]!;
              reports.push({ env: id, where: target, report: await checkMultiAgentEnv(factory, options) });
            } else {
              const factory: EnvFactory = async (o) => (await client.open(id, o ?? {}))[0]!;
              reports.push({ env: id, where: target, report: await checkEnv(factory, options) });
            }
          }
        } finally {
          await client.close();
        }
      } else {
        if (opts.env) throw new CliUsageError('--env goes with a ws:// URL; for a local env pass its id as the target');
        void makeAny(target).env.close(); // fail fast with "did you mean" on a bad id
        const envSpec = spec(target);
        const options: Partial<ConformanceOptions> = { episodes, seed, tasks, snapshot: envSpec.capabilities.snapshot };
        const report = envSpec.kind === 'multi' ? await checkMultiAgentEnv((o) => makeMulti(target, o), options) : await checkEnv((o) => make(target, o), options);
        reports.push({ env: target, where: 'in process', report });
      }
      if (opts.json) out(JSON.stringify(reports, null, 2));
      else {
        for (const { env, where, report } of reports) {
          out(`${env} (${where})`);
          for (const r of report.results) {
            out(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms.toFixed(0)} ms)${r.ok ? '' : `\n       ${r.message}`}`);
          }
          out(`  ${report.results.filter((r) => r.ok).length}/${report.results.length} checks passed`);
        }
      }
      if (!reports.every((r) => r.report.ok)) process.exitCode = 1;
    });
}
