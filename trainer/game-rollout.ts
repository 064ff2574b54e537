/**
 * Rollout collection for multi-agent envs: G games × N copies (each copy reset with the group's
 * task and seed), the trainer's policy holding some seats — every seat (self-play, shared
 * weights; the seat and role are in each seat's observation) or one side — and fixed agents the
 * rest. One `act` call per agent per step for every seat it holds in every live game.
 *
 * A group is formed per seat: the N copies of one game seen from one seat are the group
 * `${groupId}/seat${s}`, so GRPO/GiGPO compare a seat's outcomes with that same seat's outcomes in
 * the other copies. Each trainer seat's decisions become one trajectory with its seat recorded; a
 * step's reward is what the seat received from that decision until its next one.
 *
 * As in collectGroups, a game whose env connection drops is discarded whole (all its seats and
 * copies) and collected again, so no partial trajectory reaches the estimator or the store.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import type { CandidateProposer } from '../agents/candidates.js';
import { runGames, type GameRecord, type SeatTrajectory } from '../agents/run-game.js';
import type { MultiAgentResetResult } from '../envs/core/types.js';

import type { EnvProvider } from './env-provider.js';
import { collectGroupsOnce, collectWithRetries, type CollectAttempt, type CollectedTrajectory, type GroupSpec, type RolloutOptions, type RolloutResult } from './rollout.js';

export interface GameRolloutOptions extends RolloutOptions {
  /** Whether the trainer's agent holds `seat` in a game, given its reset (a side's seats differ per deal). */
  holds: (seat: number, reset: MultiAgentResetResult) => boolean;
  /** The agent of the other seats, per game and seat (the game's reset says which deal it is). */
  opponent: (game: number, seat: number, reset: MultiAgentResetResult) => Agent;
}

export async function collectGameGroups(provider: EnvProvider, agent: Agent, groups: readonly GroupSpec[], options: GameRolloutOptions): Promise<RolloutResult> {
  return collectWithRetries(groups, options, (pending) => collectOnce(provider, agent, pending, options));
}

async function collectOnce(provider: EnvProvider, agent: Agent, groups: readonly GroupSpec[], options: GameRolloutOptions): Promise<CollectAttempt> {
  const attempt = await collectGroupsOnce(
    groups,
    (slot) => provider.openGameGroup(options.groupSize, slot),
    (envs, copies) =>
      runGames(envs, (game, seat, reset) => (options.holds(seat, reset) ? agent : options.opponent(game, seat, reset)), {
        ...copies,
        historyLength: options.historyLength,
        ...(options.propose === undefined ? {} : { propose: options.propose as CandidateProposer }),
      }),
    (group, outcome) => ({
      trajectories: outcome.game.seats.filter((seat) => options.holds(seat.seat, outcome.game.reset)).map((seat) => seatTrajectory(group, outcome.game, seat)),
      steps: outcome.game.log.length,
    }),
  );
  // Order within a game group: by seat, then copy, so each per-seat group is contiguous.
  for (const [id, list] of attempt.finished) attempt.finished.set(id, list.sort((a, b) => (a.seat as number) - (b.seat as number)));
  return attempt;
}

/** One seat of one game as a trainer trajectory, grouped with the same seat of the other copies. */
function seatTrajectory(group: GroupSpec, game: GameRecord, seat: SeatTrajectory): CollectedTrajectory {
  return {
    groupId: `${group.groupId}/seat${seat.seat}`,
    trajId: seat.key,
    seat: seat.seat,
    task: game.task,
    seed: group.seed,
    steps: seat.steps.map((s, k) => {
      const last = k === seat.steps.length - 1;
      const stateKey = game.log[s.t]?.result.info.stateKey ?? '';
      const before = s.t === 0 ? game.reset.info.stateKey : (game.log[s.t - 1]?.result.info.stateKey ?? '');
      return {
        record: {
          anchor: s.observation.anchor,
          stateKey: before,
          action: s.decision.action,
          candidates: s.candidates,
          logpOld: s.decision.logp ?? 0,
          reward: s.reward,
          invalid: s.after.invalid !== undefined,
        },
        observation: s.observation,
        probs: s.decision.probs,
        history: s.history,
        result: {
          observation: game.log[s.t]?.result.observations[seat.seat] ?? seat.finalObservation,
          reward: s.reward,
          terminated: last && game.terminated,
          truncated: last && (game.truncated || game.stopped),
          info: { ...s.after, stateKey },
        },
      };
    }),
    initialObservation: game.reset.observations[seat.seat] as CollectedTrajectory['initialObservation'],
    finalObservation: seat.finalObservation,
    return: seat.return,
    success: seat.success,
    terminated: game.terminated,
    truncated: game.truncated || game.stopped,
    invalidActionPolicy: game.reset.info.invalidActionPolicy ?? 'noop',
    startedAt: game.startedAt,
    finishedAt: game.finishedAt,
  };
}
