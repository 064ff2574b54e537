/**
 * Plays a league: the scheduled games (schedule.ts) in batches of concurrent games through
 * `runGames` (one `act` call per entrant per step across the batch), rating them in game order
 * (ratings.ts) and reporting each batch, with every game's replay log (reset options and the
 * actions of each step) so the viewer can re-simulate any seat's view.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import { runGames, type GameRecord } from '../agents/run-game.js';
import { werewolfSpeechProposer } from '../agents/werewolf/speech-candidates.js';
import '../envs/builtin.js';
import { makeMulti } from '../envs/core/registry.js';
import type { JsonObject, MultiAgentEnv } from '../envs/core/types.js';
import { WEREWOLF_ENV_ID, WEREWOLF_SPLITS, type Role, type WerewolfSplit, type Winner } from '../envs/werewolf/index.js';
import { LeagueRatings, type EntrantRating } from './ratings.js';
import { planGame, type GamePlan, type LeagueSchedule } from './schedule.js';
import { computeStandings, type Standings } from './standings.js';

export interface LeagueEntrant {
  /** The name games and tables show ('bot:basic', 'checkpoint:runs/a', ...); unique in a league. */
  name: string;
  agent: Agent;
}

export interface LeagueOptions {
  entrants: readonly LeagueEntrant[];
  games: number;
  schedule?: LeagueSchedule;
  /** 'sides': include A-vs-A games (default true). */
  mirrors?: boolean;
  /** Default 'test'. */
  split?: WerewolfSplit;
  /** Game seeds start here (default 0). */
  seed?: number;
  /** werewolf-v1 options (discussion, tie rule, ...). */
  envOptions?: Record<string, unknown>;
  /** Games played at once (default 64). */
  concurrency?: number;
  /** Called after each batch with the new games and the standings so far. */
  onBatch?: (batch: readonly LeagueGame[], progress: { played: number; total: number; standings: Standings }) => void;
  signal?: AbortSignal;
}

export interface SeatOutcome {
  seat: number;
  entrant: string;
  role: Role;
  reward: number;
  survived: boolean;
}

export interface LeagueGame {
  plan: GamePlan;
  winner: Winner;
  rounds: number;
  steps: number;
  /** How the game ended ("both werewolves are out", "time limit of 500 steps", ...). */
  endReason: string;
  seats: SeatOutcome[];
  /** What re-simulates the game: env options, reset options, the actions of each step. */
  replay: GameReplay;
}

export interface GameReplay extends JsonObject {
  envId: string;
  envOptions: JsonObject;
  reset: { seed: number; task: { split: string; index: number } };
  actions: Record<string, string>[];
}

export interface LeagueResult {
  games: LeagueGame[];
  standings: Standings;
  ratings: Map<string, EntrantRating>;
  /** Stopped early by the signal. */
  stopped: boolean;
}

function gameOf(plan: GamePlan, record: GameRecord, envOptions: JsonObject): LeagueGame {
  const info = record.info;
  const finished = record.terminated && typeof info.winner === 'string';
  const winner = finished ? (info.winner as Winner) : 'draw';
  const endReason = finished ? String(info.outcome ?? info.endReason ?? '') : String(info.endReason ?? (record.stopped ? 'stopped' : 'truncated'));
  return {
    plan,
    winner,
    rounds: typeof info.round === 'number' ? info.round : 0,
    steps: record.log.length,
    endReason,
    seats: record.seats.map((s) => ({
      seat: s.seat,
      entrant: plan.seats[s.seat]!,
      role: plan.roles[s.seat]!,
      reward: s.return,
      survived: s.finalInfo.rewardComponents.survived === 1,
    })),
    replay: {
      envId: WEREWOLF_ENV_ID,
      envOptions,
      reset: { seed: plan.seed, task: { ...plan.task } },
      actions: record.log.map((e) => Object.fromEntries(Object.entries(e.actions).map(([k, v]) => [k, v]))),
    },
  };
}

export function checkEntrants(entrants: readonly LeagueEntrant[]): void {
  if (entrants.length === 0) throw new RangeError('A league needs at least one entrant.');
  const seen = new Set<string>();
  for (const e of entrants) {
    if (seen.has(e.name)) throw new RangeError(`Entrant '${e.name}' is listed twice: list each agent once.`);
    seen.add(e.name);
  }
}

export async function playLeague(options: LeagueOptions): Promise<LeagueResult> {
  checkEntrants(options.entrants);
  if (!Number.isInteger(options.games) || options.games < 1) throw new RangeError(`games must be an integer >= 1, got ${options.games}`);
  const names = options.entrants.map((e) => e.name);
  const agents = new Map(options.entrants.map((e) => [e.name, e.agent]));
  const split = options.split ?? 'test';
  const schedule = { schedule: options.schedule ?? 'sides', split, splitSize: WEREWOLF_SPLITS[split], seed: options.seed ?? 0, mirrors: options.mirrors ?? true } as const;
  const envOptions = JSON.parse(JSON.stringify(options.envOptions ?? {})) as JsonObject;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 64, options.games));
  const envs: MultiAgentEnv[] = Array.from({ length: concurrency }, () => makeMulti(WEREWOLF_ENV_ID, envOptions));
  const ratings = new LeagueRatings(names);
  const games: LeagueGame[] = [];
  let stopped = false;
  try {
    for (let start = 0; start < options.games; start += concurrency) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      const plans = Array.from({ length: Math.min(concurrency, options.games - start) }, (_, i) => planGame(names, start + i, schedule));
      const outcomes = await runGames(envs.slice(0, plans.length), (g, seat) => agents.get(plans[g]!.seats[seat]!)!, {
        reset: plans.map((p) => ({ seed: p.seed, task: p.task })),
        keys: plans.map((p) => `league/game${p.index}`),
        propose: werewolfSpeechProposer,
      });
      const batch: LeagueGame[] = [];
      outcomes.forEach((o, i) => {
        if (!o.ok) throw o.error;
        const game = gameOf(plans[i]!, o.game, envOptions);
        batch.push(game);
        ratings.update({
          wolves: game.seats.filter((s) => s.role === 'werewolf').map((s) => s.entrant),
          village: game.seats.filter((s) => s.role !== 'werewolf').map((s) => s.entrant),
          winner: game.winner,
        });
      });
      games.push(...batch);
      options.onBatch?.(batch, { played: games.length, total: options.games, standings: standingsOf(games, names, ratings) });
    }
  } finally {
    await Promise.all(envs.map((e) => e.close()));
  }
  return { games, standings: standingsOf(games, names, ratings), ratings: new Map(ratings.all().map((r) => [r.entrant, r.rating])), stopped };
}

function standingsOf(games: readonly LeagueGame[], names: readonly string[], ratings: LeagueRatings): Standings {
  return computeStandings(
    games.map((g) => ({ seats: g.plan.seats, roles: g.plan.roles, winner: g.winner })),
    names,
    new Map(ratings.all().map((r) => [r.entrant, r.rating])),
    games.map((g) => ({ wolves: g.plan.wolves, village: g.plan.village })),
  );
}
