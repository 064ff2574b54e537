/**
 * How a training run collects: single-agent envs by `collectGroups` (one trajectory per env),
 * multi-agent envs by `collectGameGroups` (the policy in its seats, the opponent agent in the
 * others, one group per seat). Both return the same RolloutResult, so the rest of the loop does
 * not care which.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import { builtinAgentNames, makeBuiltinAgent } from '../agents/builtin-agents.js';
import { OptionsError } from '../envs/core/errors.js';
import type { EnvSummary } from '../envs/core/spec.js';
import { seatAgentSeed } from '../envs/server/game-host.js';
import type { TrainConfig } from './config.js';
import type { EnvProvider } from './env-provider.js';
import { collectGameGroups } from './game-rollout.js';
import { collectGroups, type GroupSpec, type RolloutOptions, type RolloutResult } from './rollout.js';

export type Collector = (provider: EnvProvider, agent: Agent, groups: readonly GroupSpec[], options: RolloutOptions) => Promise<RolloutResult>;

/** The seats the policy holds in a multi-agent env (validated against its seat count). */
export function trainerSeats(config: Pick<TrainConfig, 'seats' | 'env'>, summary: EnvSummary): number[] {
  const count = summary.seats?.count ?? 1;
  if (config.seats === 'all') return Array.from({ length: count }, (_, s) => s);
  const bad = config.seats.filter((s) => s >= count);
  if (bad.length > 0) throw new OptionsError('the training config', [`seats: ${config.env} has seats 0..${count - 1}, not ${bad.join(', ')}`]);
  return [...new Set(config.seats)].sort((a, b) => a - b);
}

/** The built-in agent in the seats the policy does not hold: the config's, else the env's first bot, else random. */
export function opponentName(config: Pick<TrainConfig, 'opponent' | 'env'>): string {
  const names = builtinAgentNames(config.env);
  const name = config.opponent ?? names.find((n) => n.startsWith('bot:')) ?? 'random';
  if (!names.includes(name)) throw new OptionsError('the training config', [`opponent: ${config.env} has no built-in agent '${name}' (it has ${names.join(', ')})`]);
  return name;
}

export function collectorFor(config: TrainConfig, summary: EnvSummary): Collector {
  if (summary.kind !== 'multi') return collectGroups;
  const seats = trainerSeats(config, summary);
  const opponent = opponentName(config);
  return (provider, agent, groups, options) => {
    // One opponent agent per seat for the whole collection (its memory is keyed per game), seeded from the groups.
    const bySeat = new Map<number, Agent>();
    const seed = groups[0]?.seed ?? 0;
    const opponentOf = (_game: number, seat: number): Agent => {
      let a = bySeat.get(seat);
      if (a === undefined) {
        a = makeBuiltinAgent(config.env, opponent, seatAgentSeed(seed, seat));
        bySeat.set(seat, a);
      }
      return a;
    };
    return collectGameGroups(provider, agent, groups, { ...options, seats, opponent: opponentOf });
  };
}
