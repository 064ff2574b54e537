/**
 * GameHost: runs one multi-agent session that is played by seats (`session.open {seats}`).
 *
 * Each seat is held by a built-in agent (named at open), by a client that claimed it
 * (`seat.claim`, from any connection that knows the session id), or by nobody yet. After the
 * opener's `session.reset` (which waits up to `claimTimeoutMs` for every seat to be held) the
 * host drives the game: for every actor it asks the built-in agent or pushes `seat.turn` to the
 * holder and waits for its `seat.act`; simultaneous moves are collected until every actor has
 * acted or the per-turn deadline passes (a late seat is stepped as `null`, so the env's
 * invalid-action policy decides: NO_ACTION). When the game ends, `game.over` goes to every holder
 * and to the opener. A holder that vanishes is replaced by the fallback agent (default `random`,
 * recorded in `takeovers`) or, with `fallback: 'abort'`, the game ends as aborted.
 *
 * Env calls go through the session's queue, so they never overlap with the opener's snapshot or
 * close. One game's faults never touch another session.
 * @module
 */
import type { Agent, AgentInput, HistoryStep } from '../../agents/agent.js';
import { makeBuiltinAgent } from '../../agents/builtin-agents.js';
import { proposerFor } from '../../agents/candidates.js';
import { LudusError, UnknownSeatError } from '../core/errors.js';
import { hash32 } from '../core/rng.js';
import type { MultiAgentEnv, MultiAgentResetResult, MultiAgentStepResult, Observation, ResetOptions, SeatInfo } from '../core/types.js';
import { GAME_OVER_NOTIFICATION, SEAT_TURN_NOTIFICATION, type GameOver, type GameStarted, type SeatHolders, type SeatTurn } from '../protocol/messages.js';
import { ProtocolError } from '../protocol/rpc-errors.js';
import type { Peer, Session } from './sessions.js';

export interface GameHostOptions {
  /** Built-in agents by seat, as named at open. */
  agents: Record<number, string>;
  turnTimeoutMs: number;
  claimTimeoutMs: number;
  /** A built-in agent name, or 'abort'. */
  fallback: string;
}

export const DEFAULT_TURN_TIMEOUT_MS = 30_000;
export const DEFAULT_CLAIM_TIMEOUT_MS = 30_000;

/** The seed of the built-in agent in `seat` for a game reset with `seed`: the same in process and on a server. */
export function seatAgentSeed(seed: number, seat: number): number {
  return hash32(`seat-agent:${seed}:${seat}`);
}

/** A seat's holder. `takeover`: a fallback agent that replaced a vanished client; a new claim replaces it. */
type Holder = { kind: 'client'; peer: Peer } | { kind: 'agent'; name: string; agent?: Agent; takeover?: boolean };

type Phase = 'idle' | 'starting' | 'running' | 'over';

export class GameHost {
  private readonly holders: (Holder | null)[];
  private phase: Phase = 'idle';
  private turn = 0;
  private last: MultiAgentResetResult | MultiAgentStepResult | null = null;
  /** Actions collected for the current turn, by seat. */
  private pending = new Map<number, string>();
  private turnTimer: NodeJS.Timeout | null = null;
  private claimWaiters: (() => void)[] = [];
  private histories: HistoryStep[][];
  private returns: number[];
  private takeovers: { seat: number; turn: number; by: string }[] = [];
  private gameSeed = 0;
  private endReason: string | null = null;
  private readonly propose;

  constructor(
    readonly session: Session,
    private readonly env: MultiAgentEnv,
    private readonly options: GameHostOptions,
  ) {
    const seats = env.seats;
    this.holders = Array.from({ length: seats }, (_, s) => (options.agents[s] !== undefined ? { kind: 'agent', name: options.agents[s] as string } : null));
    this.histories = Array.from({ length: seats }, () => []);
    this.returns = new Array<number>(seats).fill(0);
    this.propose = proposerFor(session.envId);
  }

  get seats(): number {
    return this.env.seats;
  }

  /** True while a game is being played (between reset and game.over). */
  get running(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  /** Who holds each seat, for responses. */
  holderNames(): SeatHolders {
    return Object.fromEntries(this.holders.map((h, s) => [String(s), h === null ? null : h.kind === 'client' ? 'client' : h.name]));
  }

  claim(peer: Peer, seat: number): void {
    this.checkSeat(seat);
    const holder = this.holders[seat];
    if (holder !== null && holder !== undefined && !(holder.kind === 'agent' && holder.takeover)) {
      const by = holder.kind === 'client' ? (holder.peer === peer ? 'this connection' : 'another connection') : `the built-in agent '${holder.name}'`;
      throw new ProtocolError('SEAT_TAKEN', `Seat ${seat} of session ${this.session.id} is held by ${by}: claim another seat.`, { seat });
    }
    this.holders[seat] = { kind: 'client', peer };
    peer.games.add(this);
    for (const wake of this.claimWaiters.splice(0)) wake();
    // A seat claimed mid-game that must act now gets its turn at once.
    if (this.phase === 'running' && this.last !== null && this.last.actors.includes(seat) && !this.pending.has(seat)) this.pushTurn(seat);
  }

  release(peer: Peer, seat: number): void {
    this.checkSeat(seat);
    this.requireHeldBy(peer, seat);
    this.vacate(seat, 'released');
  }

  /** The peer's connection is gone: every seat it held is taken over (or the game aborts). */
  peerGone(peer: Peer): void {
    this.holders.forEach((h, seat) => {
      if (h?.kind === 'client' && h.peer === peer) this.vacate(seat, 'disconnected');
    });
  }

  /** Starts a game: waits for every seat to be held, resets the env, runs the game in the background. */
  async start(options: ResetOptions): Promise<GameStarted> {
    if (this.phase === 'starting' || this.phase === 'running') {
      throw new ProtocolError('INVALID_REQUEST', `Session ${this.session.id} is playing a game: wait for game.over (or close the session) before resetting.`);
    }
    this.phase = 'starting';
    try {
      await this.waitForClaims();
      this.gameSeed = options.seed ?? 0;
      this.turn = 0;
      this.pending.clear();
      this.takeovers = [];
      this.endReason = null;
      this.returns.fill(0);
      this.histories = this.histories.map(() => []);
      this.holders.forEach((h, seat) => {
        if (h?.kind === 'agent') h.agent = makeBuiltinAgent(this.session.envId, h.name, seatAgentSeed(this.gameSeed, seat));
      });
      const reset = await this.session.enqueue(() => this.env.reset(options));
      this.last = reset;
      this.phase = 'running';
      void this.nextTurn();
      return { game: { turn: this.turn, actors: reset.actors, holders: this.holderNames() } };
    } catch (err) {
      if (this.phase === 'starting') this.phase = 'idle';
      throw err;
    }
  }

  /** A client's action for its seat. Validates at once; the turn resolves when every actor acted. */
  act(peer: Peer, seat: number, action: string, turn: number | undefined): { turn: number } {
    this.checkSeat(seat);
    this.requireHeldBy(peer, seat);
    if (this.phase === 'idle' || this.phase === 'starting') throw new LudusError('RESET_NEEDED', `The game of session ${this.session.id} has not started: its opener must call session.reset.`);
    if (this.phase === 'over') throw new LudusError('EPISODE_OVER', `The game of session ${this.session.id} is over: wait for the opener's next session.reset.`);
    if (turn !== undefined && turn !== this.turn) {
      throw new ProtocolError('NOT_YOUR_TURN', `Turn ${turn} is over; the game is at turn ${this.turn}. Answer the latest seat.turn.`, { seat, turn: this.turn });
    }
    const actors = this.last?.actors ?? [];
    if (!actors.includes(seat)) {
      throw new ProtocolError('NOT_YOUR_TURN', `Seat ${seat} is not to act at turn ${this.turn} (acting: ${actors.join(', ') || 'nobody'}): wait for its seat.turn.`, { seat, turn: this.turn });
    }
    if (this.pending.has(seat)) throw new ProtocolError('ALREADY_ACTED', `Seat ${seat} already acted at turn ${this.turn}: one action per turn.`, { seat, turn: this.turn });
    this.pending.set(seat, action);
    if (this.allActed()) void this.resolveTurn();
    return { turn: this.turn };
  }

  /** Ends a running game without a result (the session is closing). */
  abort(reason: string): void {
    if (this.phase !== 'running') return;
    this.endReason = reason;
    this.finish(false, false);
  }

  private checkSeat(seat: number): void {
    if (!Number.isInteger(seat) || seat < 0 || seat >= this.seats) throw new UnknownSeatError(seat, this.seats);
  }

  private requireHeldBy(peer: Peer, seat: number): void {
    const h = this.holders[seat];
    if (h?.kind !== 'client' || h.peer !== peer) {
      throw new ProtocolError('SEAT_NOT_HELD', `This connection does not hold seat ${seat} of session ${this.session.id}: claim it with seat.claim first.`, { seat });
    }
  }

  private vacate(seat: number, why: string): void {
    const h = this.holders[seat];
    if (h?.kind === 'client') {
      if (!this.holders.some((other, s) => s !== seat && other?.kind === 'client' && other.peer === h.peer)) h.peer.games.delete(this);
    }
    if (this.phase !== 'running') {
      this.holders[seat] = null;
      return;
    }
    if (this.options.fallback === 'abort') {
      this.holders[seat] = null;
      this.endReason = `aborted: the holder of seat ${seat} ${why}`;
      this.finish(false, false);
      return;
    }
    const agent = makeBuiltinAgent(this.session.envId, this.options.fallback, seatAgentSeed(this.gameSeed, seat));
    this.holders[seat] = { kind: 'agent', name: this.options.fallback, agent, takeover: true };
    this.takeovers.push({ seat, turn: this.turn, by: this.options.fallback });
    if (this.last?.actors.includes(seat) && !this.pending.has(seat)) void this.askAgents([seat]);
  }

  private waitForClaims(): Promise<void> {
    const unheld = () => this.holders.map((h, s) => (h === null ? s : -1)).filter((s) => s >= 0);
    if (unheld().length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer =
        this.options.claimTimeoutMs > 0
          ? setTimeout(() => {
              this.claimWaiters = this.claimWaiters.filter((w) => w !== check);
              const seats = unheld();
              reject(
                new ProtocolError('SEAT_UNCLAIMED', `Seat(s) ${seats.join(', ')} of session ${this.session.id} were not claimed within ${this.options.claimTimeoutMs} ms: claim them (seat.claim) or open the session with built-in agents for them.`, { seats }),
              );
            }, this.options.claimTimeoutMs)
          : null;
      const check = () => {
        if (unheld().length > 0) {
          this.claimWaiters.push(check);
          return;
        }
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.claimWaiters.push(check);
    });
  }

  private allActed(): boolean {
    return (this.last?.actors ?? []).every((s) => this.pending.has(s));
  }

  /** Starts a turn: pushes seat.turn to client actors, asks built-in agents, arms the deadline. */
  private async nextTurn(): Promise<void> {
    const actors = this.last?.actors ?? [];
    const clients = actors.filter((s) => this.holders[s]?.kind === 'client');
    for (const seat of clients) this.pushTurn(seat);
    if (clients.length > 0 && this.options.turnTimeoutMs > 0) {
      const turn = this.turn;
      this.turnTimer = setTimeout(() => {
        if (this.phase === 'running' && this.turn === turn) void this.resolveTurn();
      }, this.options.turnTimeoutMs);
    }
    await this.askAgents(actors.filter((s) => this.holders[s]?.kind === 'agent'));
  }

  private pushTurn(seat: number): void {
    const h = this.holders[seat];
    if (h?.kind !== 'client' || this.last === null) return;
    const params: SeatTurn = {
      session: this.session.id,
      seat,
      turn: this.turn,
      observation: this.last.observations[seat] as Observation,
      info: this.last.infos[seat] ?? { rewardComponents: {} },
      deadline: this.options.turnTimeoutMs > 0 ? Date.now() + this.options.turnTimeoutMs : null,
    };
    h.peer.notify(SEAT_TURN_NOTIFICATION, params);
  }

  /** Asks each built-in agent once for all the actor seats it holds. */
  private async askAgents(seats: number[]): Promise<void> {
    if (seats.length === 0 || this.last === null) return;
    const turn = this.turn;
    const byAgent = new Map<Agent, number[]>();
    for (const seat of seats) {
      const h = this.holders[seat];
      if (h?.kind === 'agent' && h.agent) byAgent.set(h.agent, [...(byAgent.get(h.agent) ?? []), seat]);
    }
    for (const [agent, list] of byAgent) {
      const inputs: AgentInput[] = list.map((seat) => {
        const observation = (this.last as MultiAgentStepResult).observations[seat] as Observation;
        return {
          key: `${this.session.id}/seat${seat}`,
          envId: this.session.envId,
          observation,
          info: this.last?.infos[seat] ?? { rewardComponents: {} },
          candidates: this.propose(observation),
          history: this.histories[seat] as HistoryStep[],
          seat,
        };
      });
      let decisions;
      try {
        decisions = await agent.act(inputs);
      } catch (err) {
        this.endReason = `aborted: the built-in agent '${agent.name}' failed (${err instanceof Error ? err.message : String(err)})`;
        this.finish(false, false);
        return;
      }
      if (this.phase !== 'running' || this.turn !== turn) return;
      list.forEach((seat, i) => this.pending.set(seat, decisions[i]?.action ?? ''));
    }
    if (this.allActed()) await this.resolveTurn();
  }

  /** Steps the env with the collected actions (late seats as null) and starts the next turn or ends the game. */
  private async resolveTurn(): Promise<void> {
    if (this.phase !== 'running' || this.last === null) return;
    if (this.turnTimer) clearTimeout(this.turnTimer);
    this.turnTimer = null;
    const actors = this.last.actors;
    const actions: Record<number, string | null> = {};
    for (const seat of actors) actions[seat] = this.pending.get(seat) ?? null;
    const before = this.last;
    this.pending = new Map();
    this.turn += 1; // any seat.act for the old turn is now stale
    let result: MultiAgentStepResult;
    try {
      result = await this.session.enqueue(() => this.env.step(actions));
    } catch (err) {
      if (this.phase !== 'running') return;
      this.endReason = `aborted: the env failed (${err instanceof Error ? err.message : String(err)})`;
      this.finish(false, false);
      return;
    }
    if (this.phase !== 'running') return;
    for (const seat of actors) {
      const action = actions[seat];
      if (action === null || action === undefined) continue;
      const history = this.histories[seat] as HistoryStep[];
      history.push({ observation: (before.observations[seat] as Observation).text, action });
    }
    for (let s = 0; s < this.seats; s++) this.returns[s] = (this.returns[s] as number) + (result.rewards[s] ?? 0);
    this.last = result;
    if (result.terminated || result.truncated) {
      this.endReason = result.info.endReason ?? null;
      this.finish(result.terminated, result.truncated);
      return;
    }
    await this.nextTurn();
  }

  private finish(terminated: boolean, truncated: boolean): void {
    if (this.phase === 'over') return;
    this.phase = 'over';
    if (this.turnTimer) clearTimeout(this.turnTimer);
    this.turnTimer = null;
    const agents = new Set<Agent>();
    this.holders.forEach((h) => {
      if (h?.kind === 'agent' && h.agent) agents.add(h.agent);
    });
    for (const agent of agents) agent.end?.(Array.from({ length: this.seats }, (_, s) => `${this.session.id}/seat${s}`));
    const returns = Object.fromEntries(this.returns.map((r, s) => [String(s), r]));
    const recipients = new Set<Peer>([this.session.peer]);
    this.holders.forEach((h) => {
      if (h?.kind === 'client') recipients.add(h.peer);
    });
    for (const peer of recipients) {
      const seats: GameOver['seats'] = {};
      this.holders.forEach((h, s) => {
        if (h?.kind === 'client' && h.peer === peer && this.last !== null) {
          seats[String(s)] = { observation: this.last.observations[s] as Observation, info: (this.last.infos[s] ?? { rewardComponents: {} }) as SeatInfo, return: this.returns[s] as number };
        }
      });
      const params: GameOver = { session: this.session.id, returns, terminated, truncated, reason: this.endReason, seats, takeovers: [...this.takeovers] };
      peer.notify(GAME_OVER_NOTIFICATION, params);
    }
    // Seats taken over by the fallback stay with it until claimed again; client seats stay claimed for the next game.
  }
}
