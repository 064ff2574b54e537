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
import { hash32 } from '../envs/core/rng.js';
import { stateHash } from '../envs/core/state-hash.js';
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

/**
 * The built-in agents in the seats the policy does not hold: the config's (one name, or several
 * separated by commas: a mix), else the env's first bot, else random.
 */
export function opponentNames(config: Pick<TrainConfig, 'opponent' | 'env'>): string[] {
  const names = builtinAgentNames(config.env);
  const wanted = (config.opponent ?? names.find((n) => n.startsWith('bot:')) ?? 'random').split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (wanted.length === 0) throw new OptionsError('the training config', [`opponent: name at least one built-in agent of ${config.env} (${names.join(', ')})`]);
  const unknown = wanted.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new OptionsError('the training config', [`opponent: ${config.env} has no built-in agent ${unknown.map((n) => `'${n}'`).join(', ')} (it has ${names.join(', ')})`]);
  return [...new Set(wanted)];
}

/**
 * Which of a mix of opponents plays a game: drawn from the game's initial state, so every copy of
 * a group (the same task and seed) meets the same opponent and the group compares like with like.
 */
export function opponentForGame(names: readonly string[], reset: MultiAgentResetResult): string {
  return names.length === 1 ? (names[0] as string) : (names[hash32(typeof reset.info.stateKey === 'string' ? reset.info.stateKey : stateHash(reset.observations)) % names.length] as string);
}

export function collectorFor(config: TrainConfig, summary: EnvSummary): Collector {
  if (summary.kind !== 'multi') return collectGroups;
  const holds = trainerSeats(config, summary);
  const opponents = opponentNames(config);
  return (provider, agent, groups, options) => {
    // One agent per opponent and seat for the whole collection (its memory is keyed per game), seeded from the groups.
    const bySeat = new Map<string, Agent>();
    const seed = groups[0]?.seed ?? 0;
    const opponentOf = (_game: number, seat: number, reset: MultiAgentResetResult): Agent => {
      const name = opponentForGame(opponents, reset);
      const key = `${name}#${seat}`;
      let a = bySeat.get(key);
      if (a === undefined) {
        a = makeBuiltinAgent(config.env, name, seatAgentSeed(seed, seat));
        bySeat.set(key, a);
      }
      return a;
    };
    return collectGameGroups(provider, agent, groups, { ...options, holds, opponent: opponentOf });
  };
}
