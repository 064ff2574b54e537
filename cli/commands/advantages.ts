/**
 * `ludus advantages --run ID --algo gigpo|grpo|rloo|arpo`: the trainer's estimators on the
 * run's recorded groups (anchor groups; ARPO's replay of stored successes into all-failure
 * groups), written back into its steps (advantage, episode and step parts, anchor group). No
 * ludus policy is involved: the rollouts can come from any model (`ludus rollout`).
 */
import type { Command } from 'commander';
import { openStore } from '../../replay/store.js';
import type { AdvantageOptions } from '../../trainer/advantages/index.js';
import { RECORDED_ALGOS, writeRecordedAdvantages, type RecordedAlgo } from '../../trainer/recorded-advantages.js';
import { CliUsageError, parseInteger, parseKeyValues } from '../errors.js';

interface AdvantagesFlags {
  db: string;
  run: string;
  algo: string;
  iteration?: string[];
  option?: string[];
  reward: string;
  arpoEstimator: string;
  replay: boolean;
  seed: string;
}

export function registerAdvantagesCommand(program: Command, out: (line: string) => void): void {
  program
    .command('advantages')
    .description("compute a run's advantages from its recorded groups (GiGPO anchor groups, ARPO's replay) and write them into its steps")
    .requiredOption('--run <id>', 'the run (e.g. one ludus rollout recorded)')
    .option('--db <file>', 'SQLite run store', './ludus.db')
    .option('--algo <name>', RECORDED_ALGOS.join(' | '), 'gigpo')
    .option('--iteration <n...>', 'only these iterations (default: all, in order)')
    .option('--option <key=value...>', 'estimator options: mode, gamma, stepWeight, anchorKey, enableSimilarity, similarityThreshold, episodeStats, singleton, invalidPenalty, eps')
    .option('--reward <mode>', 'what the estimators see as the reward: env (the env reward) | success (1 on success)', 'env')
    .option('--arpo-estimator <name>', '--algo arpo: grpo | gigpo', 'grpo')
    .option('--no-replay', '--algo arpo: store successes but inject none (the ablation)')
    .option('--seed <n>', "seeds ARPO's draw from the buffer", '0')
    .action((flags: AdvantagesFlags) => {
      if (!(RECORDED_ALGOS as readonly string[]).includes(flags.algo)) throw new CliUsageError(`--algo must be one of ${RECORDED_ALGOS.join(', ')}, got '${flags.algo}'`);
      if (flags.reward !== 'env' && flags.reward !== 'success') throw new CliUsageError(`--reward must be env or success, got '${flags.reward}'`);
      if (flags.arpoEstimator !== 'grpo' && flags.arpoEstimator !== 'gigpo') throw new CliUsageError(`--arpo-estimator must be grpo or gigpo, got '${flags.arpoEstimator}'`);
      const runId = parseInteger('--run', flags.run, 1);
      const iterations = flags.iteration?.map((i) => parseInteger('--iteration', i, 0));
      const store = openStore(flags.db);
      try {
        let summary;
        try {
          summary = writeRecordedAdvantages(
            store,
            runId,
            {
              algo: flags.algo as RecordedAlgo,
              advantage: parseKeyValues(flags.option ?? []) as AdvantageOptions,
              rewardMode: flags.reward,
              arpo: { estimator: flags.arpoEstimator, replay: flags.replay },
              seed: parseInteger('--seed', flags.seed, 0),
            },
            iterations,
          );
        } catch (e) {
          // the estimators' option checks throw RangeError with one exact sentence
          if (e instanceof RangeError) throw new CliUsageError(`--option: ${e.message}`);
          throw e;
        }
        out(JSON.stringify({ ...summary, db: flags.db, next: `ludus export --db ${flags.db} --run ${runId} --format verl --out batch.parquet` }, null, 2));
      } finally {
        store.close();
      }
    });
}
