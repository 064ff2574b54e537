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
import { LudusError } from '../envs/core/errors.js';
import type { MultiAgentEnv, MultiAgentResetResult } from '../envs/core/types.js';

import { isTransportError, type EnvProvider } from './env-provider.js';
import { collectWithRetries, type CollectAttempt, type CollectedTrajectory, type GroupSpec, type RolloutOptions, type RolloutResult } from './rollout.js';

export interface GameRolloutOptions extends RolloutOptions {
  /** Whether the trainer's agent holds `seat` in a game, given its reset (a side's seats differ per deal). */
  holds: (seat: number, reset: MultiAgentResetResult) => boolean;
  /** The agent of the other seats, made per game and seat (seeded from both). */
  opponent: (game: number, seat: number) => Agent;
}

export async function collectGameGroups(provider: EnvProvider, agent: Agent, groups: readonly GroupSpec[], options: GameRolloutOptions): Promise<RolloutResult> {
  return collectWithRetries(groups, options, (pending) => collectOnce(provider, agent, pending, options));
}

async function collectOnce(
  provider: EnvProvider,
  agent: Agent,
  groups: readonly GroupSpec[],
  options: GameRolloutOptions,
): Promise<CollectAttempt> {
  const failed = new Map<string, LudusError>();
  const opened: { group: GroupSpec; envs: MultiAgentEnv[] }[] = [];
  try {
    await Promise.all(
      groups.map(async (group, slot) => {
        try {
          opened.push({ group, envs: await provider.openGameGroup(options.groupSize, slot) });
        } catch (err) {
          if (!isTransportError(err)) throw err;
          failed.set(group.groupId, err);
        }
      }),
    );
    opened.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
    const envs = opened.flatMap((o) => o.envs);
    const owner = opened.flatMap((o) => o.envs.map((_, copy) => ({ group: o.group, copy })));
    const outcomes = await runGames(envs, (game, seat, reset) => (options.holds(seat, reset) ? agent : options.opponent(game, seat)), {
      reset: owner.map((o) => ({ task: o.group.task, seed: o.group.seed })),
      keys: owner.map((o) => `${o.group.groupId}/${o.copy}`),
      groupOf: (i) => (owner[i] as { group: GroupSpec }).group.groupId,
      isolate: isTransportError,
      historyLength: options.historyLength,
      ...(options.propose === undefined ? {} : { propose: options.propose as CandidateProposer }),
    });
    const finished = new Map<string, CollectedTrajectory[]>();
    let stepCount = 0;
    outcomes.forEach((outcome, i) => {
      const { group } = owner[i] as { group: GroupSpec };
      if (!outcome.ok) {
        if (!failed.has(group.groupId)) failed.set(group.groupId, outcome.error as LudusError);
        return;
      }
      stepCount += outcome.game.log.length;
      const list = finished.get(group.groupId) ?? [];
      for (const seat of outcome.game.seats) if (options.holds(seat.seat, outcome.game.reset)) list.push(seatTrajectory(group, outcome.game, seat));
      finished.set(group.groupId, list);
    });
    for (const id of failed.keys()) finished.delete(id);
    // Order within a game group: by seat, then copy, so each per-seat group is contiguous.
    for (const [id, list] of finished) finished.set(id, list.sort((a, b) => (a.seat as number) - (b.seat as number)));
    return { finished, failed, stepCount };
  } finally {
    await Promise.all(opened.flatMap((o) => o.envs).map((env) => env.close().catch(() => undefined)));
  }
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
