/**
 * `ludus lspo`: latent space policy optimisation on a game with speech (werewolf-v1, or the
 * rpssl-v1 toy): self-play with N proposals per speech turn → per-role k-means latent strategies →
 * MCCFR in the abstracted game → DPO of the speaker towards the latent policy, for a few
 * iterations. Everything is recorded in the store (runs, iterations, clusters, latent policy, a
 * few self-play games); `ludus replay` shows each role's clusters.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { selectBackend, type BackendPreference } from '../../agents/policy/backend.js';
import { openStore, DEFAULT_STORE_PATH } from '../../replay/store.js';
import { LSPO_DOMAINS } from '../../trainer/lspo/domains/index.js';
import { runLspo, type LspoIteration } from '../../trainer/lspo/run-lspo.js';
import type { LspoConfigInput } from '../../trainer/lspo/config.js';
import { CliUsageError, parseInteger } from '../errors.js';

interface LspoFlags {
  config?: string;
  env?: string;
  iterations?: string;
  games?: string;
  proposals?: string;
  clusters?: string;
  solverIterations?: string;
  reward?: string;
  labels?: string;
  beta?: string;
  explore?: string;
  lr?: string;
  dpoEpochs?: string;
  concurrency?: string;
  seed?: string;
  db?: string;
  checkpointDir?: string;
  backend?: string;
  name?: string;
  entityContext?: boolean;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliUsageError(`${flag} must be a number, got '${value}'`);
  return n;
}

/** Flags over `--config file.json` over the domain's defaults; the schema validates the result. */
export function lspoInputFromFlags(flags: LspoFlags): LspoConfigInput {
  let base: Record<string, unknown> = {};
  if (flags.config !== undefined) {
    try {
      base = JSON.parse(readFileSync(flags.config, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new CliUsageError(`--config ${flags.config}: ${(err as Error).message}`);
    }
  }
  const int = (flag: string, v: string | undefined, min: number) => (v === undefined ? undefined : parseInteger(flag, v, min));
  const set: Record<string, unknown> = {
    envId: flags.env,
    iterations: int('--iterations', flags.iterations, 1),
    games: int('--games', flags.games, 1),
    proposals: int('--proposals', flags.proposals, 1),
    clusters: int('--clusters', flags.clusters, 1),
    solverIterations: int('--solver-iterations', flags.solverIterations, 1),
    reward: flags.reward,
    labels: flags.labels,
    beta: positiveNumber('--beta', flags.beta),
    explore: positiveNumber('--explore', flags.explore),
    learningRate: positiveNumber('--lr', flags.lr),
    dpoEpochs: int('--dpo-epochs', flags.dpoEpochs, 1),
    concurrency: int('--concurrency', flags.concurrency, 1),
    seed: int('--seed', flags.seed, 0),
  };
  const out: Record<string, unknown> = { envId: defaultEnv(), ...base };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) out[k] = v;
  if (flags.entityContext === false) out.scorer = { ...((base.scorer as Record<string, unknown>) ?? {}), entityContext: false };
  return out as LspoConfigInput;
}

function defaultEnv(): string {
  return 'werewolf-v1' in LSPO_DOMAINS ? 'werewolf-v1' : 'rpssl-v1';
}

function iterationLine(it: LspoIteration): string {
  const m = it.metrics;
  const clusters = Object.entries(it.space.roles).map(([role, rs]) => `${role} ${rs.clusters.length}`).join(', ');
  const measured = Object.entries(m)
    .filter(([k]) => k.startsWith('speaker/'))
    .slice(0, 3)
    .map(([k, v]) => `${k.slice(8)} ${v.toFixed(3)}`);
  return [
    `iteration ${it.iteration}`,
    `${m['selfplay/speech_turns']} speech turns`,
    `clusters: ${clusters}`,
    `${m['align/pairs']} pairs`,
    `dpo loss ${(m['dpo/first_loss'] ?? NaN).toFixed(3)} → ${(m['dpo/last_loss'] ?? NaN).toFixed(3)}`,
    ...measured,
    `${(it.times.totalMs / 1000).toFixed(1)} s`,
  ].join(' | ');
}

export function registerLspoCommand(program: Command, out: (line: string) => void, err: (line: string) => void): void {
  program
    .command('lspo')
    .description(`latent space policy optimisation for speech (envs: ${Object.keys(LSPO_DOMAINS).join(', ')})`)
    .option('--config <file.json>', 'LSPO options as JSON; flags override its fields')
    .option('--env <id>', `env id (default ${defaultEnv()})`)
    .option('--iterations <n>', 'latent space → solve → align iterations (default 3)')
    .option('--games <n>', 'self-play games per iteration (default: per env)')
    .option('--proposals <n>', 'N: utterances proposed per speech turn, one said uniformly (default 4)')
    .option('--clusters <k>', 'k: latent strategies per role (default: per env)')
    .option('--solver-iterations <n>', 'external-sampling MCCFR iterations in the abstracted game (default: per env)')
    .option('--reward <kind>', 'preference reward: ratio (log σ − log π_ref, default) | probability (log σ)')
    .option('--labels <kind>', 'preference labels: soft (Bradley–Terry, default) | hard')
    .option('--beta <x>', 'DPO β (default 1)')
    .option('--explore <ε>', 'mix the latent policy with uniform before labelling (default 0.05)')
    .option('--lr <x>', 'DPO learning rate (default 3e-3)')
    .option('--dpo-epochs <n>', 'passes over the preference pairs (default 4)')
    .option('--concurrency <n>', 'games played at once (default: per env)')
    .option('--seed <n>', 'seed of everything (default 0)')
    .option('--no-entity-context', "the speaker without the featurizer's entity features (werewolf: what was said about each seat; on by default there, as for ludus train's baseline)")
    .option('--db <file>', `SQLite store (default ${DEFAULT_STORE_PATH})`)
    .option('--checkpoint-dir <dir>', "save the speaker after each iteration to <dir>/iteration-<i>")
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)')
    .option('--name <name>', 'run name')
    .action(async (flags: LspoFlags) => {
      const input = lspoInputFromFlags(flags);
      const backend = (flags.backend ?? 'auto') as BackendPreference;
      await selectBackend({ prefer: backend, allowCpu: backend === 'cpu', warn: err });
      const store = openStore(flags.db ?? DEFAULT_STORE_PATH);
      const abort = new AbortController();
      const onSignal = () => {
        if (abort.signal.aborted) process.exit(130);
        abort.abort();
        err('stopping after this stage; press Ctrl-C again to quit at once');
      };
      process.on('SIGINT', onSignal);
      try {
        const result = await runLspo(input, {
          store,
          ...(flags.name === undefined ? {} : { runName: flags.name }),
          ...(flags.checkpointDir === undefined ? {} : { checkpointDir: flags.checkpointDir }),
          log: err,
          signal: abort.signal,
          onIteration: (it) => err(iterationLine(it)),
        });
        const last = result.iterations[result.iterations.length - 1];
        out(
          JSON.stringify(
            {
              run: result.runId,
              env: result.config.envId,
              backend: result.backend,
              iterations: result.iterations.length,
              initial: result.initial,
              final: last === undefined ? null : Object.fromEntries(Object.entries(last.metrics).filter(([k]) => k.startsWith('speaker/') || k.startsWith('latent/'))),
              clusters:
                last === undefined
                  ? null
                  : Object.fromEntries(Object.entries(last.space.roles).map(([role, rs]) => [role, rs.clusters.map((c) => ({ size: c.size, representative: c.representative.utterance }))])),
              db: store.path,
            },
            null,
            2,
          ),
        );
        result.speaker.dispose();
      } finally {
        process.off('SIGINT', onSignal);
        store.close();
      }
    });
}
