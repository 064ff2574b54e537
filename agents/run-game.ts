/**
 * The multi-agent game loop: `runGame(env, agentsBySeat)` and its batched form
 * `runGames(envs, agentsBySeat)`. Each step, every actor of every live game is asked for an
 * action; inputs are grouped by agent, so an agent that holds many seats (self-play: one policy
 * for every seat) makes one `act` call per step for all of them.
 *
 * A game record keeps each seat's own trajectory (what that seat saw when it acted, what it did,
 * the rewards it got) and the omniscient log of every env step (the actions by seat and the full
 * result), from which the game can be re-simulated and any seat's view shown.
 * @module
 */
import type { GameInfo, MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, Observation, ResetOptions, SeatInfo, TaskInfo } from '../envs/core/types.js';
import type { Agent, AgentInput, Decision, HistoryStep } from './agent.js';
import { admissibleCandidates, type CandidateProposer } from './candidates.js';
import { FailureIsolation, resetOptionsAt } from './failure-isolation.js';

/** One decision of one seat. */
export interface SeatStep {
  /** The game step (index into `GameRecord.log`) this action went into. */
  t: number;
  observation: Observation;
  info: SeatInfo;
  candidates: string[];
  history: HistoryStep[];
  decision: Decision;
  /** The seat's reward from this step until its next decision (or the end). */
  reward: number;
  /** The seat's info right after the step (`invalid` when its action was refused). */
  after: SeatInfo;
}

/** One seat's side of a game. */
export interface SeatTrajectory {
  seat: number;
  /** The agent that held the seat. */
  agent: string;
  key: string;
  steps: SeatStep[];
  /** Total reward of the seat over the game (including rewards between and after its decisions). */
  return: number;
  success: boolean;
  finalObservation: Observation;
  finalInfo: SeatInfo;
}

export interface GameLogEntry {
  actions: Record<number, string>;
  result: MultiAgentStepResult;
}

export interface GameRecord {
  envId: string;
  key: string;
  resetOptions: ResetOptions;
  reset: MultiAgentResetResult;
  task: TaskInfo | null;
  seats: SeatTrajectory[];
  /** Every env step, in order (omniscient). */
  log: GameLogEntry[];
  terminated: boolean;
  truncated: boolean;
  stopped: boolean;
  /** The last step's omniscient info (endReason, secrets, ...). */
  info: GameInfo;
  startedAt: number;
  finishedAt: number;
}

export type GameOutcome = { ok: true; game: GameRecord } | { ok: false; error: unknown };

/**
 * Agents by seat, for every game; or a function picking the agent of (game index, seat), given the
 * game's reset (so a side can be held whatever seats the deal gave it). The function must return
 * the same agent for the same game and seat every time.
 */
export type SeatAgents = Readonly<Record<number, Agent>> | ((game: number, seat: number, reset: MultiAgentResetResult) => Agent);

export interface RunGamesOptions {
  reset?: ResetOptions | readonly ResetOptions[];
  /** Game i's key prefix (default `${envId}#i`); seat s's stream key is `${key}/seat${s}`. */
  keys?: readonly string[];
  propose?: CandidateProposer;
  historyLength?: number;
  /** Stop a game after this many env steps (the game is `stopped`). */
  maxSteps?: number;
  signal?: AbortSignal;
  isolate?: (error: unknown) => boolean;
  groupOf?: (index: number) => string;
  /** Called after every env step of game i. */
  onStep?: (index: number, entry: GameLogEntry, game: GameRecord) => void;
}

interface LiveGame {
  index: number;
  env: MultiAgentEnv;
  game: GameRecord;
  observations: Record<number, Observation>;
  infos: Record<number, SeatInfo>;
  actors: number[];
  histories: HistoryStep[][];
  /** The seat step whose reward is still accumulating, per seat. */
  open: (SeatStep | undefined)[];
}

function agentOf(agents: SeatAgents, game: number, seat: number, reset: MultiAgentResetResult): Agent {
  const agent = typeof agents === 'function' ? agents(game, seat, reset) : agents[seat];
  if (agent === undefined) throw new RangeError(`No agent holds seat ${seat} of game ${game}: pass an agent for every seat.`);
  return agent;
}

/** Plays one game with the given agent per seat. Errors propagate. */
export async function runGame(env: MultiAgentEnv, agents: SeatAgents, options: Omit<RunGamesOptions, 'reset' | 'keys'> & { reset?: ResetOptions; key?: string } = {}): Promise<GameRecord> {
  const { reset, key, ...rest } = options;
  const [outcome] = await runGames([env], agents, { ...rest, ...(reset === undefined ? {} : { reset }), ...(key === undefined ? {} : { keys: [key] }) });
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.game;
}

/** Plays one game in each env, all stepped together; one `act` call per agent per step. */
export async function runGames(envs: readonly MultiAgentEnv[], agents: SeatAgents, options: RunGamesOptions = {}): Promise<GameOutcome[]> {
  const propose = options.propose ?? admissibleCandidates;
  const historyLength = options.historyLength ?? Infinity;
  const maxSteps = options.maxSteps ?? Infinity;
  const failures = new FailureIsolation(options.isolate, options.groupOf);
  const resetFor = (i: number): ResetOptions => resetOptionsAt(options.reset, i);
  const fail = (i: number, error: unknown) => failures.fail(i, error);

  const games: (LiveGame | undefined)[] = new Array(envs.length);
  await Promise.all(
    envs.map(async (env, index) => {
      const resetOptions = resetFor(index);
      let reset: MultiAgentResetResult;
      try {
        reset = await env.reset(resetOptions);
      } catch (err) {
        fail(index, err);
        return;
      }
      const envId = env.id ?? 'env';
      const key = options.keys?.[index] ?? `${envId}#${index}`;
      const now = Date.now();
      const seats: SeatTrajectory[] = Array.from({ length: env.seats }, (_, seat) => ({
        seat,
        agent: agentOf(agents, index, seat, reset).name,
        key: `${key}/seat${seat}`,
        steps: [],
        return: 0,
        success: false,
        finalObservation: reset.observations[seat] as Observation,
        finalInfo: reset.infos[seat] ?? { rewardComponents: {} },
      }));
      games[index] = {
        index,
        env,
        observations: reset.observations,
        infos: reset.infos,
        actors: reset.actors,
        histories: Array.from({ length: env.seats }, () => []),
        open: new Array(env.seats).fill(undefined),
        game: {
          envId,
          key,
          resetOptions,
          reset,
          task: (reset.info.task as TaskInfo | undefined) ?? null,
          seats,
          log: [],
          terminated: false,
          truncated: false,
          stopped: false,
          info: reset.info,
          startedAt: now,
          finishedAt: now,
        },
      };
    }),
  );

  const over = (g: GameRecord) => g.terminated || g.truncated || g.stopped;
  const stillRunning = (g: LiveGame): boolean => !failures.failed(g.index) && !over(g.game);
  const isLive = (g: LiveGame | undefined): g is LiveGame => g !== undefined && stillRunning(g);
  let live = games.filter(isLive);
  while (live.length > 0) {
    for (const g of live) {
      if (g.game.log.length >= maxSteps) {
        g.game.stopped = true;
        g.game.finishedAt = Date.now();
        endStreams(g, agents);
      }
    }
    live = live.filter(isLive);
    if (live.length === 0) break;
    // Ask every agent once for all the actor seats it holds, across games.
    const byAgent = new Map<Agent, { game: LiveGame; seat: number; input: AgentInput }[]>();
    for (const g of live) {
      if (g.actors.length === 0) {
        fail(g.index, new RangeError(`Game ${g.game.key}: no seat is to act, but the game is not over (an env bug).`));
        continue;
      }
      for (const seat of g.actors) {
        const agent = agentOf(agents, g.index, seat, g.game.reset);
        const observation = g.observations[seat] as Observation;
        const input: AgentInput = {
          key: `${g.game.key}/seat${seat}`,
          envId: g.game.envId,
          observation,
          info: g.infos[seat] ?? { rewardComponents: {} },
          candidates: propose(observation),
          history: g.histories[seat] as HistoryStep[],
          seat,
        };
        const list = byAgent.get(agent) ?? [];
        list.push({ game: g, seat, input });
        byAgent.set(agent, list);
      }
    }
    const chosen = new Map<LiveGame, { seat: number; input: AgentInput; decision: Decision }[]>();
    await Promise.all(
      [...byAgent].map(async ([agent, asks]) => {
        const decisions = await agent.act(asks.map((a) => a.input));
        if (decisions.length !== asks.length) throw new RangeError(`Agent '${agent.name}' returned ${decisions.length} decisions for ${asks.length} inputs.`);
        asks.forEach((a, i) => {
          const list = chosen.get(a.game) ?? [];
          list.push({ seat: a.seat, input: a.input, decision: decisions[i] as Decision });
          chosen.set(a.game, list);
        });
      }),
    );
    const stopNow = options.signal?.aborted === true;
    await Promise.all(
      [...chosen].map(async ([g, picks]) => {
        if (!stillRunning(g)) return;
        if (stopNow) {
          g.game.stopped = true;
          g.game.finishedAt = Date.now();
          return;
        }
        picks.sort((a, b) => a.seat - b.seat);
        const actions: Record<number, string> = {};
        for (const p of picks) actions[p.seat] = p.decision.action;
        let result: MultiAgentStepResult;
        try {
          result = await g.env.step(actions);
        } catch (err) {
          fail(g.index, err);
          return;
        }
        const t = g.game.log.length;
        const entry: GameLogEntry = { actions, result };
        g.game.log.push(entry);
        for (const p of picks) {
          const step: SeatStep = {
            t,
            observation: p.input.observation,
            info: p.input.info as SeatInfo,
            candidates: [...p.input.candidates],
            history: (g.histories[p.seat] as HistoryStep[]).slice(),
            decision: p.decision,
            reward: 0,
            after: result.infos[p.seat] ?? { rewardComponents: {} },
          };
          const seatTraj = g.game.seats[p.seat] as SeatTrajectory;
          seatTraj.steps.push(step);
          g.open[p.seat] = step;
          const history = g.histories[p.seat] as HistoryStep[];
          history.push({ observation: p.input.observation.text, action: p.decision.action });
          if (history.length > historyLength) history.shift();
        }
        for (const seatTraj of g.game.seats) {
          const r = result.rewards[seatTraj.seat] ?? 0;
          seatTraj.return += r;
          const open = g.open[seatTraj.seat];
          if (open !== undefined) open.reward += r;
          seatTraj.finalObservation = result.observations[seatTraj.seat] ?? seatTraj.finalObservation;
          seatTraj.finalInfo = result.infos[seatTraj.seat] ?? seatTraj.finalInfo;
        }
        g.observations = result.observations;
        g.infos = result.infos;
        g.actors = result.actors;
        g.game.info = result.info;
        if (result.terminated || result.truncated) {
          g.game.terminated = result.terminated;
          g.game.truncated = result.truncated;
          g.game.finishedAt = Date.now();
          for (const seatTraj of g.game.seats) seatTraj.success = seatTraj.finalInfo.success === true;
        }
        options.onStep?.(g.index, entry, g.game);
      }),
    );
    const ended = live.filter((g) => !stillRunning(g));
    for (const g of ended) endStreams(g, agents);
    live = live.filter(isLive);
  }

  return games.map((g, i) => {
    if (g === undefined || failures.failed(i)) {
      if (g !== undefined) endStreams(g, agents);
      return { ok: false, error: failures.errorOf(i) };
    }
    return { ok: true, game: g.game };
  });
}

function endStreams(g: LiveGame, agents: SeatAgents): void {
  const byAgent = new Map<Agent, string[]>();
  for (const s of g.game.seats) {
    const agent = agentOf(agents, g.index, s.seat, g.game.reset);
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), s.key]);
  }
  for (const [agent, keys] of byAgent) agent.end?.(keys);
}
