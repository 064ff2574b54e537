/**
 * `ludus train`: GiGPO / GRPO / RLOO / ARPO / REFUEL / SFT on an env, in process or against env servers,
 * of the scorer (default) or a language model (`--policy lm`).
 * Flags override `--config file.json`; everything is validated before any work starts.
 */
import type { Command } from 'commander';
import { evalSplitOf, loadConfigFile } from '../../trainer/config.js';
import { isRegistered, spec } from '../../envs/core/registry.js';
import { envProviderFor } from '../../trainer/env-provider.js';
import { METRIC } from '../../trainer/metrics.js';
import { resolveRunConfig } from '../../trainer/run-checkpoints.js';
import { train, type IterationSummary } from '../../trainer/train.js';
import { checkEpisodesInSplit } from '../episodes-in-split.js';
import { parseInteger, parseKeyValues } from '../errors.js';
import { createIterationProgress } from '../progress.js';

interface TrainFlags {
  config?: string;
  policy?: string;
  env?: string;
  algo?: string;
  iterations?: string;
  groups?: string;
  groupSize?: string;
  seed?: string;
  db?: string;
  checkpointDir?: string;
  checkpointEvery?: string;
  backend?: string;
  envUrl?: string[];
  token?: string;
  requestTimeout?: string;
  connectTimeout?: string;
  rolloutWaves?: string;
  resume?: boolean;
  lr?: string;
  maxSteps?: string;
  init?: string;
  demos?: string;
  anchor?: string;
  reward?: string;
  evalEpisodes?: string;
  evalSplit?: string;
  evalEvery?: string;
  historyLength?: string;
  trainTasks?: string;
  selectTasks?: string;
  memory?: string;
  arpoEstimator?: string;
  replay?: boolean;
  eta?: string;
  refuelBranch?: string;
  mode?: string;
  skipGroups?: string;
  lossAggregation?: string;
  option?: string[];
  name?: string;
  seats?: string;
  opponent?: string;
  demoAgent?: string;
  league?: boolean;
  leagueMeta?: string;
  leagueEvery?: string;
  leagueBots?: string;
}

/** `--seats all`, `--seats team:wolves` or `--seats 0,2`. */
function seatsFlag(value: string | undefined): string | number[] | undefined {
  if (value === undefined || value === 'all' || value.startsWith('team:')) return value;
  return value.split(',').map((s) => parseInteger('--seats', s.trim(), 0));
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : (value as unknown as number); // the schema names the bad field
}

/** Flags → a partial config (undefined = not given); the schema validates it. */
export function configFromFlags(flags: TrainFlags): Record<string, unknown> {
  const base = flags.config ? loadConfigFile(flags.config) : {};
  const set: Record<string, unknown> = {
    env: flags.env,
    algo: flags.algo,
    policy: flags.policy,
    iterations: flags.iterations === undefined ? undefined : parseInteger('--iterations', flags.iterations, 0),
    groups: flags.groups === undefined ? undefined : parseInteger('--groups', flags.groups, 1),
    groupSize: flags.groupSize === undefined ? undefined : parseInteger('--group-size', flags.groupSize, 1),
    seed: flags.seed === undefined ? undefined : parseInteger('--seed', flags.seed, 0),
    db: flags.db,
    checkpointDir: flags.checkpointDir,
    checkpointEvery: flags.checkpointEvery === undefined ? undefined : parseInteger('--checkpoint-every', flags.checkpointEvery, 1),
    backend: flags.backend,
    envUrl: flags.envUrl,
    token: flags.token,
    requestTimeoutMs: flags.requestTimeout === undefined ? undefined : parseInteger('--request-timeout', flags.requestTimeout, 0),
    connectTimeoutMs: flags.connectTimeout === undefined ? undefined : parseInteger('--connect-timeout', flags.connectTimeout, 1),
    rolloutWaves: flags.rolloutWaves === undefined ? undefined : parseInteger('--rollout-waves', flags.rolloutWaves, 1),
    resume: flags.resume,
    lr: numberFlag('--lr', flags.lr),
    maxSteps: flags.maxSteps === undefined ? undefined : parseInteger('--max-steps', flags.maxSteps, 1),
    init: flags.init,
    demos: flags.demos === undefined ? undefined : parseInteger('--demos', flags.demos, 0),
    evalEpisodes: flags.evalEpisodes === undefined ? undefined : parseInteger('--eval-episodes', flags.evalEpisodes, 0),
    evalSplit: flags.evalSplit,
    evalEvery: flags.evalEvery === undefined ? undefined : parseInteger('--eval-every', flags.evalEvery, 0),
    historyLength: flags.historyLength === undefined ? undefined : parseInteger('--history-length', flags.historyLength, 0),
    trainTasks: flags.trainTasks === undefined ? undefined : parseInteger('--train-tasks', flags.trainTasks, 0),
    selectTasks: flags.selectTasks === undefined ? undefined : parseInteger('--select-tasks', flags.selectTasks, 0),
    envOptions: flags.option === undefined ? undefined : { ...((base.envOptions as Record<string, unknown>) ?? {}), ...parseKeyValues(flags.option) },
    name: flags.name,
    rewardMode: flags.reward,
    seats: seatsFlag(flags.seats),
    demoAgent: flags.demoAgent,
    opponent: flags.opponent,
    skipGroups: flags.skipGroups,
    lossAggregation: flags.lossAggregation,
  };
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) out[k] = v;
  if (flags.anchor !== undefined) out.advantage = { ...((base.advantage as Record<string, unknown>) ?? {}), anchorKey: flags.anchor };
  if (flags.memory !== undefined) out.model = { ...((base.model as Record<string, unknown>) ?? {}), memory: flags.memory };
  const arpo: Record<string, unknown> = {};
  if (flags.arpoEstimator !== undefined) arpo.estimator = flags.arpoEstimator;
  if (flags.replay === false) arpo.replay = false;
  if (Object.keys(arpo).length > 0) out.arpo = { ...((base.arpo as Record<string, unknown>) ?? {}), ...arpo };
  const league: Record<string, unknown> = {};
  if (flags.league === true) league.enabled = true;
  if (flags.leagueMeta !== undefined) league.meta = flags.leagueMeta;
  if (flags.leagueEvery !== undefined) league.every = parseInteger('--league-every', flags.leagueEvery, 1);
  if (flags.leagueBots !== undefined) league.bots = flags.leagueBots;
  if (Object.keys(league).length > 0) out.league = { ...((base.league as Record<string, unknown>) ?? {}), ...league };
  if (flags.eta !== undefined || flags.refuelBranch !== undefined) {
    out.refuel = {
      ...((base.refuel as Record<string, unknown>) ?? {}),
      ...(flags.eta === undefined ? {} : { eta: numberFlag('--eta', flags.eta) }),
      ...(flags.refuelBranch === undefined ? {} : { branch: flags.refuelBranch }),
    };
  }
  if (flags.mode !== undefined) out.advantage = { ...((out.advantage as Record<string, unknown>) ?? {}), mode: flags.mode };
  // A language model has a learning rate of its own (lm.lr): --lr sets it.
  if ((out.policy ?? 'scorer') === 'lm' && flags.lr !== undefined) {
    delete out.lr;
    out.lm = { ...((base.lm as Record<string, unknown>) ?? {}), lr: numberFlag('--lr', flags.lr) };
  }
  return out;
}

export function registerTrainCommand(program: Command, out: (line: string) => void, err: (line: string) => void): void {
  program
    .command('train')
    .description('train a policy (default: GiGPO on household-v1, easy difficulty, in process, ./ludus.db)')
    .option('--config <file.json>', 'a JSON training config; flags override its fields')
    .option('--env <id>', 'env id (default household-v1)')
    .option('--algo <algo>', 'gigpo | grpo | rloo | arpo | refuel | sft (default gigpo)')
    .option('--policy <kind>', 'scorer (picks an admissible action; default) | lm (a language model writing its action as text; docs/lm.md)')
    .option('--iterations <n>', 'RL iterations (default 20)')
    .option('--groups <n>', 'tasks per iteration, G (default 8)')
    .option('--group-size <n>', 'copies per task, N (default 8)')
    .option('--seed <n>', 'seed of everything (default 0)')
    .option('--db <file>', 'SQLite store (default ./ludus.db)')
    .option('--checkpoint-dir <dir>', 'checkpoint folder (default ./checkpoints/<run name>)')
    .option('--checkpoint-every <n>', 'checkpoint every n iterations (default 5)')
    .option('--resume', 'continue the run in --checkpoint-dir from its newest checkpoint')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)')
    .option('--env-url <url...>', 'env server(s) (ws://...), or a DNS name listing them (dns+ws://HOST:PORT: a headless Service; srv+ws://NAME), looked up again every 10 s; default: envs in process')
    .option('--token <token>', 'auth token for the env servers')
    .option('--request-timeout <ms>', 'env servers: a request unanswered this long fails its groups (TIMEOUT), collected again elsewhere; 0 disables (default 60000)')
    .option('--connect-timeout <ms>', 'env servers: give up a WebSocket handshake after this long (default 10000)')
    .option('--rollout-waves <n>', 'env servers: step the groups in n waves so servers and policy overlap (default 1; docs/fleet.md)')
    .option('--lr <x>', 'learning rate of the RL updates (default 1e-3; --policy lm: lm.lr, default 3e-4)')
    .option('--max-steps <n>', 'time limit of training episodes (default 30)')
    .option('--init <how>', 'sft (expert demos first, default) | scratch')
    .option('--demos <n>', 'expert episodes for the SFT warm start (default 512)')
    .option('--anchor <key>', 'GiGPO anchor states: observation (default) | stateKey')
    .option('--reward <mode>', 'reward the estimators see: env (default) | success (1 only on success)')
    .option('--eval-episodes <n>', 'evaluate on --eval-split at the end (default 0: no eval)')
    .option('--eval-split <split>', 'split for evaluation (default valid_seen)')
    .option('--eval-every <n>', 'also evaluate every n iterations (default 0: only at the end)')
    .option('--history-length <n>', 'past steps the policy sees (default 64: the whole episode)')
    .option('--train-tasks <k>', 'draw tasks from the first k of the train split only (default 0: all)')
    .option('--select-tasks <n>', "ARPO's task selection: train only on pool tasks the starting policy solves in n sampled attempts (default 0: off)")
    .option('--memory <layout>', "how the policy holds the episode: bag (default: recent steps + pooled memory) | window (only the last --history-length steps, ≤ 16)")
    .option('--arpo-estimator <name>', 'ARPO: advantages of grpo (default) | gigpo')
    .option('--no-replay', 'ARPO: keep the buffer but inject nothing (the ablation)')
    .option('--eta <x>', 'REFUEL: the regression target is eta·(R¹ − R²) (default 1)')
    .option('--refuel-branch <rule>', 'REFUEL: where pairs branch: uniform (default) | uncertain (highest-entropy roll-in step) | success (replay a stored success, then branch)')
    .option('--mode <mode>', 'GRPO/GiGPO advantage normalisation: mean_std_norm | mean_norm (no std division)')
    .option('--skip-groups <rule>', 'PPO losses: none (default) | uniform (leave out groups whose returns are all the same)')
    .option('--loss-aggregation <how>', 'PPO losses: row (default, token-mean) | trajectory (each trajectory counts alike)')
    .option('--option <key=value...>', 'env options, e.g. difficulty=easy')
    .option('--name <name>', 'run name')
    .option('--seats <all|team:NAME|list>', 'multi-agent envs: the seats the policy holds: all (self-play, default), one side (team:wolves) or seat numbers (0,2)')
    .option('--demo-agent <name>', "who plays the SFT demonstrations: expert (default) or a built-in agent (bot:basic), in the policy's seats")
    .option('--opponent <name[,name...]>', "multi-agent envs: the built-in agent in the other seats (default: the env's first bot); several, comma-separated, train against a mix (one per game group)")
    .option('--league', 'multi-agent envs: train against a league of rule bots and the policy\'s own checkpoints (docs/training.md, "Training with a league")')
    .option('--league-meta <how>', 'league: how opponents are drawn from the payoff table: pfsp (default) | nash | uniform')
    .option('--league-every <k>', 'league: a checkpoint of the policy joins every k iterations (default 5)')
    .option('--league-bots <name[,name...]>', "league: the rule bots in it (default: every bot of the env)")
    .action(async (flags: TrainFlags) => {
      const input = configFromFlags(flags);
      await checkEvalEpisodes(input);
      let progress: ReturnType<typeof createIterationProgress> | undefined;
      let stopRequested = false;
      const onSignal = () => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        err('stopping after this iteration (checkpoint, then exit); press Ctrl-C again to quit at once');
      };
      process.on('SIGINT', onSignal);
      try {
        const result = await train(input, {
          log: (line) => (progress ? progress.log(line) : err(line)),
          onIteration: (s: IterationSummary) => {
            progress ??= createIterationProgress(s.iterations, err);
            progress.update(s);
          },
          shouldStop: () => stopRequested,
        });
        progress?.stop();
        out(
          JSON.stringify(
            {
              run: result.runId,
              name: result.runName,
              status: result.status,
              backend: result.backend.name,
              iterations: result.iterations,
              checkpointDir: result.checkpointDir,
              successRate: result.lastMetrics?.[METRIC.successRate] ?? null,
              eval: result.eval,
            },
            null,
            2,
          ),
        );
      } finally {
        progress?.stop();
        process.off('SIGINT', onSignal);
      }
    });
}

/** Refuses, before any work, a final evaluation with more episodes than its split has tasks. */
async function checkEvalEpisodes(input: Record<string, unknown>): Promise<void> {
  const { config } = await resolveRunConfig(input);
  if (config.evalEpisodes === 0) return;
  let splits: Record<string, number>;
  if (config.envUrl.length === 0) {
    if (!isRegistered(config.env)) return; // the training itself says "did you mean"
    splits = spec(config.env).splits;
  } else {
    const provider = envProviderFor(config);
    try {
      splits = (await provider.describe()).splits;
    } finally {
      await provider.close();
    }
  }
  const split = evalSplitOf(config, splits);
  const size = splits[split];
  if (size === undefined) return; // the training itself names the bad split
  checkEpisodesInSplit({ flag: '--eval-episodes', episodes: config.evalEpisodes, split, size, env: config.env, repeat: false });
}
