/**
 * Collection of a `--league` run: every game group meets one league member, drawn by the
 * league's meta-strategy (league/training/training-league.ts), on one side the policy holds — a
 * team when the env deals teams, else one seat — drawn with it (unless `seats` fixes the policy's
 * seats). All copies of a group meet the same member on the same side, so the group compares like
 * with like. The groups of each (member, side) are collected together, all at once.
 *
 * After collection every game counts once for the payoff table and the ratings: score 1 when the
 * policy's side won (`success`), ½ when it neither won nor lost anything (return 0), else 0.
 *
 * A checkpoint member whose folder no longer loads is marked unloadable (with the error, through
 * `onUnloadable`) and another member is drawn for the group: a warning, never a crash.
 * @module
 */
import type { Agent } from '../agents/agent.js';
import { makeBuiltinAgent } from '../agents/builtin-agents.js';
import { loadScorer } from '../agents/policy/checkpoint.js';
import type { ActionScorer } from '../agents/policy/model.js';
import { PolicyAgent } from '../agents/policy-agent.js';
import { Rng } from '../envs/core/rng.js';
import type { EnvSummary } from '../envs/core/spec.js';
import type { MultiAgentResetResult } from '../envs/core/types.js';
import { seatAgentSeed } from '../envs/server/game-host.js';
import type { LeagueMember, TrainingLeague } from '../league/training/training-league.js';
import type { Collector } from './collectors.js';
import { trainerSeats } from './collectors.js';
import type { TrainConfig } from './config.js';
import { collectGameGroups } from './game-rollout.js';
import type { CollectedTrajectory, GroupSpec, RolloutResult } from './rollout.js';

/** Which side of a game the policy holds: index into the sorted team names, or the seat (no teams). */
export function sideHolds(side: number, seatCount: number): (seat: number, reset: MultiAgentResetResult) => boolean {
  return (seat, reset) => {
    const teams = reset.info.teams;
    if (teams === undefined) return seat === side % seatCount;
    const names = [...new Set(Object.values(teams))].sort();
    return teams[seat] === names[side % names.length];
  };
}

/** A game's score for the policy: 1 won, ½ drawn (return 0, no success), 0 lost. */
export function gameScore(t: Pick<CollectedTrajectory, 'success' | 'return'>): number {
  return t.success ? 1 : t.return === 0 ? 0.5 : 0;
}

/** One score per game: the policy's lowest seat in each copy of each group. */
export function gameScores(trajectories: readonly CollectedTrajectory[]): number[] {
  const byGroup = new Map<string, { seat: number; list: CollectedTrajectory[] }>();
  for (const t of trajectories) {
    const base = t.groupId.replace(/\/seat\d+$/, '');
    const seat = t.seat ?? 0;
    const g = byGroup.get(base);
    if (g === undefined || seat < g.seat) byGroup.set(base, { seat, list: [t] });
    else if (seat === g.seat) g.list.push(t);
  }
  return [...byGroup.values()].flatMap((g) => g.list.map(gameScore));
}

export interface LeagueCollectorContext {
  league: TrainingLeague;
  rng: Rng;
  iteration: number;
  /** A checkpoint that would not load (the league has already marked it). */
  onUnloadable: (member: LeagueMember, error: string) => void;
  log: (line: string) => void;
}

/** Loaded checkpoint scorers, by member name, for the whole run. */
export class CheckpointOpponents {
  private readonly loaded = new Map<string, ActionScorer>();

  async scorer(member: LeagueMember): Promise<ActionScorer> {
    let s = this.loaded.get(member.name);
    if (s === undefined) {
      if (member.path === null) throw new RangeError(`league: member '${member.name}' has no checkpoint`);
      s = await loadScorer(member.path);
      this.loaded.set(member.name, s);
    }
    return s;
  }

  dispose(): void {
    for (const s of this.loaded.values()) s.dispose();
    this.loaded.clear();
  }
}

export function leagueCollector(config: TrainConfig, summary: EnvSummary, opponents: CheckpointOpponents, ctx: LeagueCollectorContext): Collector {
  const seatCount = summary.seats?.count ?? 2;
  const fixed = config.seats === 'all' ? null : trainerSeats(config, summary);
  return async (provider, agent, groups, options) => {
    const t0 = performance.now();
    // Draw (member, side) per group; a checkpoint that fails to load is dropped and another drawn.
    const plans = new Map<string, { member: LeagueMember; side: number; groups: GroupSpec[]; agent: (seat: number) => Agent }>();
    const seatAgents = new Map<string, Agent>();
    for (const group of groups) {
      let chosen: { member: LeagueMember; make: (seat: number) => Agent } | null = null;
      while (chosen === null) {
        const member = ctx.league.sample(ctx.rng);
        if (member.kind === 'bot') {
          chosen = { member, make: (seat) => makeBuiltinAgent(config.env, member.name, seatAgentSeed(group.seed, seat)) };
          continue;
        }
        try {
          const scorer = await opponents.scorer(member);
          chosen = { member, make: () => new PolicyAgent(scorer, { temperature: config.temperature, rng: new Rng(`league:${member.name}:${ctx.iteration}`), name: member.name }) };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          ctx.league.markUnloadable(member.name, message);
          ctx.log(`warning: league checkpoint ${member.name} (${member.path}) does not load and is skipped from now on: ${message}`);
          ctx.onUnloadable(member, message);
        }
      }
      const side = fixed === null ? ctx.rng.int(seatCount) : 0;
      const key = `${chosen.member.name}|${side}`;
      const make = chosen.make;
      let plan = plans.get(key);
      if (plan === undefined) {
        plan = {
          member: chosen.member,
          side,
          groups: [],
          agent: (seat) => {
            const k = `${key}#${seat}`;
            let a = seatAgents.get(k);
            if (a === undefined) seatAgents.set(k, (a = make(seat)));
            return a;
          },
        };
        plans.set(key, plan);
      }
      plan.groups.push(group);
    }
    const results = await Promise.all(
      [...plans.values()].map(async (plan) => {
        const holds = fixed ?? sideHolds(plan.side, seatCount);
        const r = await collectGameGroups(provider, agent, plan.groups, { ...options, holds, opponent: (_g, seat) => plan.agent(seat) });
        return { plan, r };
      }),
    );
    for (const { plan, r } of results) for (const score of gameScores(r.trajectories)) ctx.league.record(plan.member.name, score);
    // Same order as the groups were drawn, so the batch does not depend on the partition.
    const order = new Map(groups.map((g, i) => [g.groupId, i]));
    const trajectories = results.flatMap(({ r }) => r.trajectories).sort((a, b) => (order.get(a.groupId.replace(/\/seat\d+$/, '')) ?? 0) - (order.get(b.groupId.replace(/\/seat\d+$/, '')) ?? 0));
    const out: RolloutResult = {
      trajectories,
      steps: results.reduce((s, { r }) => s + r.steps, 0),
      ms: performance.now() - t0,
      retriedGroups: results.reduce((s, { r }) => s + r.retriedGroups, 0),
    };
    return out;
  };
}
