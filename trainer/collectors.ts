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
import type { MultiAgentResetResult } from '../envs/core/types.js';
import { seatAgentSeed } from '../envs/server/game-host.js';
import type { TrainConfig } from './config.js';
import type { EnvProvider } from './env-provider.js';
import { collectGameGroups } from './game-rollout.js';
import { collectGroups, type GroupSpec, type RolloutOptions, type RolloutResult } from './rollout.js';

export type Collector = (provider: EnvProvider, agent: Agent, groups: readonly GroupSpec[], options: RolloutOptions) => Promise<RolloutResult>;

/**
 * Which seats the policy holds in a multi-agent env: every seat ('all'), fixed seats ([0, 2],
 * validated against the seat count), or one side ('team:wolves': the seats the env's
 * `info.teams` gives that team in each game's deal).
 */
export function trainerSeats(config: Pick<TrainConfig, 'seats' | 'env'>, summary: EnvSummary): (seat: number, reset: MultiAgentResetResult) => boolean {
  const count = summary.seats?.count ?? 1;
  const seats = config.seats;
  if (seats === 'all') return () => true;
  if (typeof seats === 'string') {
    const team = seats.slice('team:'.length);
    return (seat, reset) => {
      const teams = reset.info.teams;
      if (teams === undefined) throw new OptionsError('the training config', [`seats: ${config.env} does not deal teams (no info.teams), so '${seats}' holds nothing; use 'all' or seat numbers`]);
      const dealt = Object.values(teams);
      if (!dealt.includes(team)) {
        const known = [...new Set(dealt)].map((t) => `team:${t}`).join(', ');
        throw new OptionsError('the training config', [`seats: ${config.env} deals no team '${team}', so '${seats}' holds nothing; its teams are ${known}`]);
      }
      return teams[seat] === team;
    };
  }
  const bad = seats.filter((s) => s >= count);
  if (bad.length > 0) throw new OptionsError('the training config', [`seats: ${config.env} has seats 0..${count - 1}, not ${bad.join(', ')}`]);
  const held = new Set(seats);
  return (seat) => held.has(seat);
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
  const holds = trainerSeats(config, summary);
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
    return collectGameGroups(provider, agent, groups, { ...options, holds, opponent: opponentOf });
  };
}
