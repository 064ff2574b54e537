/**
 * `ludus league --env werewolf-v1 --agents bot:random,bot:basic,bot:strong,checkpoint:DIR,llm:MODEL@URL --games 1000 [--db]`:
 * role-rotated games between agents; prints win rates per side and per role with 95% intervals,
 * Elo and OpenSkill ratings; with --db records the league (games, seats, standings, ratings) in
 * the run store for the viewer (`ludus replay`).
 */
import type { Command } from 'commander';
import { selectBackend } from '../../agents/policy/backend.js';
import { loadScorer } from '../../agents/policy/checkpoint.js';
import { PolicyAgent } from '../../agents/policy-agent.js';
import { Rng } from '../../envs/core/rng.js';
import { LudusError } from '../../envs/core/errors.js';
import { WEREWOLF_ENV_ID, WEREWOLF_SPLITS, type WerewolfSplit } from '../../envs/werewolf/index.js';
import { parseEntrantList, resolveEntrants, type EntrantLoader } from '../../league/entrants.js';
import { playLeague } from '../../league/play-league.js';
import { LeagueRecorder } from '../../league/record-league.js';
import { standingsMarkdown } from '../../league/report.js';
import { LEAGUE_SCHEDULES, type LeagueSchedule } from '../../league/schedule.js';
import { LeagueStore } from '../../replay/league-store.js';
import { DEFAULT_STORE_PATH, openStore } from '../../replay/store.js';
import { CliUsageError, parseInteger, parseKeyValues } from '../errors.js';
import { resolveCheckpoint } from './eval.js';

interface LeagueFlags {
  env: string;
  agents: string;
  games: string;
  schedule: string;
  mirrors: boolean;
  split: string;
  seed: string;
  option?: string[];
  concurrency: string;
  db?: string | boolean;
  name?: string;
  json?: boolean;
  backend: string;
}

/** `checkpoint:DIR`: a tfjs policy, sampling with its own seeded RNG. */
const checkpointLoader =
  (backend: string): EntrantLoader =>
  async (dir, seed) => {
    await selectBackend({ prefer: backend as 'auto', allowCpu: backend === 'cpu' });
    const scorer = await loadScorer(await resolveCheckpoint(dir));
    return new PolicyAgent(scorer, { rng: new Rng(seed), name: `checkpoint:${dir}` });
  };

export function registerLeagueCommand(program: Command, out: (line: string) => void, err: (line: string) => void): void {
  program
    .command('league')
    .description('play role-rotated games between agents; win rates per side and role with 95% intervals, Elo and OpenSkill ratings')
    .option('--env <id>', 'the game', WEREWOLF_ENV_ID)
    .requiredOption('--agents <list>', 'comma-separated agents: random, bot:random, bot:naive, bot:basic, bot:strong, checkpoint:DIR, llm:<model>@<base URL>')
    .option('--games <n>', 'games to play', '1000')
    .option('--schedule <kind>', "'sides' (one agent per side, every ordered pair) or 'seats' (mixed tables, role slots rotate)", 'sides')
    .option('--no-mirrors', "'sides': leave out games of an agent against itself")
    .option('--split <split>', 'task split the deals come from (train, valid, test)', 'test')
    .option('--seed <n>', 'first game seed', '0')
    .option('--option <key=value...>', 'env options, e.g. discussion=bidding')
    .option('--concurrency <n>', 'games played at once', '64')
    .option('--db [file]', `record the league in this run store (default ${DEFAULT_STORE_PATH})`)
    .option('--name <name>', 'the league name in the store')
    .option('--json', 'print the standings as JSON')
    .option('--backend <name>', 'tfjs backend for checkpoint agents: auto | tensorflow-gpu | tensorflow | wasm | cpu', 'auto')
    .action(async (flags: LeagueFlags) => {
      if (flags.env !== WEREWOLF_ENV_ID) throw new CliUsageError(`--env: leagues are played on ${WEREWOLF_ENV_ID} (its sides and roles), got '${flags.env}'`);
      if (!(LEAGUE_SCHEDULES as readonly string[]).includes(flags.schedule)) throw new CliUsageError(`--schedule must be one of ${LEAGUE_SCHEDULES.join(', ')}, got '${flags.schedule}'`);
      if (!Object.hasOwn(WEREWOLF_SPLITS, flags.split)) throw new CliUsageError(`--split must be one of ${Object.keys(WEREWOLF_SPLITS).join(', ')}, got '${flags.split}'`);
      const games = parseInteger('--games', flags.games, 1);
      const seed = parseInteger('--seed', flags.seed, 0);
      const concurrency = parseInteger('--concurrency', flags.concurrency, 1);
      const envOptions = parseKeyValues(flags.option);
      const names = parseEntrantList(flags.agents);
      const entrants = await resolveEntrants(flags.env, names, seed, { checkpoint: checkpointLoader(flags.backend) });
      const config = { games, schedule: flags.schedule, mirrors: flags.mirrors, split: flags.split, seed, envOptions, concurrency } as const;

      const dbPath = flags.db === undefined || flags.db === false ? null : flags.db === true ? DEFAULT_STORE_PATH : flags.db;
      const store = dbPath === null ? null : openStore(dbPath);
      const recorder = store === null ? null : new LeagueRecorder(new LeagueStore(store), { envId: flags.env, ...(flags.name ? { name: flags.name } : {}), config: JSON.parse(JSON.stringify(config)), entrants: names });
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      let reported = 0;
      try {
        const result = await playLeague({
          entrants,
          games,
          schedule: flags.schedule as LeagueSchedule,
          mirrors: flags.mirrors,
          split: flags.split as WerewolfSplit,
          seed,
          envOptions,
          concurrency,
          signal: abort.signal,
          onBatch: (batch, progress) => {
            recorder?.onBatch(batch, progress);
            if (progress.played - reported >= Math.max(1, Math.floor(progress.total / 10)) || progress.played === progress.total) {
              reported = progress.played;
              err(`league: ${progress.played}/${progress.total} games`);
            }
          },
        });
        recorder?.finish(result.stopped ? 'killed' : 'finished');
        if (flags.json) out(JSON.stringify({ leagueId: recorder?.leagueId ?? null, ...result.standings }, null, 2));
        else {
          for (const line of standingsMarkdown(result.standings)) out(line);
          if (recorder) out(`Recorded as league ${recorder.leagueId} in ${dbPath}: see it with \`ludus replay --db ${dbPath}\`.`);
        }
      } catch (e) {
        recorder?.finish('failed', e instanceof Error ? e.message : String(e));
        throw e instanceof RangeError ? new LudusError('OPTIONS_INVALID', e.message) : e;
      } finally {
        process.off('SIGINT', onSignal);
        for (const entrant of entrants) await entrant.agent.close?.();
        store?.close();
      }
    });
}
