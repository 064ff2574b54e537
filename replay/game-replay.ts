/**
 * Re-simulating a recorded multi-agent game from what the store keeps of it — env id, env
 * options, reset options and the actions of each step — and checking it against its recorded
 * outcome (`ludus replay --verify game:ID`). The viewer uses the same re-simulation to show any
 * seat's view: observations are re-created, not stored.
 * @module
 */
import '../envs/builtin.js';
import { makeMulti } from '../envs/core/registry.js';
import type { JsonObject, MultiAgentResetResult, MultiAgentStepResult, ResetOptions, SeatActions } from '../envs/core/types.js';
import { StoreError } from './errors.js';
import type { LeagueStore, StoredLeagueGame } from './league-store.js';

export interface GameReplayLog {
  envId: string;
  envOptions: JsonObject;
  reset: ResetOptions;
  actions: Record<string, string>[];
}

export interface SimulatedGame {
  reset: MultiAgentResetResult;
  steps: { actions: Record<string, string>; result: MultiAgentStepResult }[];
}

export function replayLogOf(replay: JsonObject): GameReplayLog {
  const r = replay as Partial<GameReplayLog>;
  if (typeof r.envId !== 'string' || !Array.isArray(r.actions) || typeof r.reset !== 'object' || r.reset === null) {
    throw new StoreError('STORE_INVALID', 'This game has no usable replay log (envId, reset, actions).');
  }
  return { envId: r.envId, envOptions: (r.envOptions ?? {}) as JsonObject, reset: r.reset, actions: r.actions };
}

/** Plays the recorded actions again in a fresh env; stops early if the env ends the game first. */
export async function simulateGame(log: GameReplayLog): Promise<SimulatedGame> {
  const env = makeMulti(log.envId, log.envOptions);
  try {
    const reset = await env.reset(log.reset);
    const steps: SimulatedGame['steps'] = [];
    for (const actions of log.actions) {
      const result = await env.step(actions as SeatActions);
      steps.push({ actions, result });
      if (result.terminated || result.truncated) break;
    }
    return { reset, steps };
  } finally {
    await env.close();
  }
}

export interface GameVerifyReport {
  gameId: number;
  envId: string;
  steps: number;
  stepsReplayed: number;
  identical: boolean;
  /** The first difference: the field, what was recorded, what the re-simulation gave. */
  drift: { field: string; recorded: unknown; replayed: unknown } | null;
}

/** Re-simulates league game `gameId` and compares its outcome with the record. */
export async function verifyLeagueGame(leagues: LeagueStore, gameId: number): Promise<GameVerifyReport> {
  const game = leagues.getGame(gameId);
  if (!game) throw new StoreError('STORE_NOT_FOUND', `There is no league game ${gameId} in ${leagues.store.path}. List them in the viewer (ludus replay).`);
  const sim = await simulateGame(replayLogOf(game.replay));
  return { gameId, envId: game.envId, steps: game.steps, stepsReplayed: sim.steps.length, ...compare(game, sim) };
}

function compare(game: StoredLeagueGame, sim: SimulatedGame): { identical: boolean; drift: GameVerifyReport['drift'] } {
  const last = sim.steps.at(-1)?.result;
  const info = last?.info ?? sim.reset.info;
  const finished = last?.terminated === true && typeof info.winner === 'string';
  const checks: [string, unknown, unknown][] = [
    ['steps', game.steps, sim.steps.length],
    ['winner', game.winner, finished ? info.winner : 'draw'],
    ['rounds', game.rounds, info.round],
    ...game.seats.map((s): [string, unknown, unknown] => [`seat ${s.seat} role`, s.role, (sim.reset.info.roles as string[] | undefined)?.[s.seat]]),
    ...game.seats.map((s): [string, unknown, unknown] => [
      `seat ${s.seat} reward`,
      s.reward,
      sim.steps.reduce((sum, st) => sum + (st.result.rewards[s.seat] ?? 0), 0),
    ]),
  ];
  for (const [field, recorded, replayed] of checks) {
    if (JSON.stringify(recorded) !== JSON.stringify(replayed)) return { identical: false, drift: { field, recorded, replayed } };
  }
  return { identical: true, drift: null };
}

export function formatGameVerifyReport(r: GameVerifyReport): string[] {
  if (r.identical) return [`game ${r.gameId}: ${r.envId}, identical: ${r.steps} step${r.steps === 1 ? '' : 's'} re-simulated, same outcome`];
  return [
    `game ${r.gameId}: ${r.envId}, DRIFT: ${r.drift!.field} differs (${r.stepsReplayed}/${r.steps} steps re-simulated)`,
    `  recorded: ${JSON.stringify(r.drift!.recorded)}`,
    `  replayed: ${JSON.stringify(r.drift!.replayed)}`,
  ];
}
