/**
 * Play by seats over a WebSocket: RemoteGame (the opener's handle on a game: reset, game.over,
 * close) and RemoteSeat (one claimed seat: its pushed turns, its actions). One connection may hold
 * several seats; several connections may share one game (the opener passes the session id to the
 * others, who claim seats with it).
 *
 * @example
 * const game = await host.openGame('kuhn-poker-v1', { seats: { 1: 'bot:nash' } });
 * const seat = await player.claimSeat(game.session, 0);   // another connection may claim
 * await game.reset({ seed: 1 });
 * for (let ev = await seat.next(); ev.kind === 'turn'; ev = await seat.next()) {
 *   await seat.act(ev.turn.observation.actions[0]!, ev.turn.turn);
 * }
 * @module
 */
import type { ResetOptions } from '../core/types.js';
import { GAME_OVER_NOTIFICATION, SEAT_TURN_NOTIFICATION, type GameOver, type GameStarted, type SeatTurn } from '../protocol/messages.js';
import type { LudusError } from '../core/errors.js';
import type { RemoteEnvClient } from './remote-env-client.js';

export type SeatEvent = { kind: 'turn'; turn: SeatTurn } | { kind: 'over'; over: GameOver };

/** An async queue of events with waiters; fails pending waiters when the connection closes. */
class EventQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: { resolve: (item: T) => void; reject: (err: LudusError) => void }[] = [];
  private failure: LudusError | undefined;

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.items.push(item);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  fail(err: LudusError): void {
    this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}

/** One seat this connection claimed. */
export class RemoteSeat {
  private readonly events = new EventQueue<SeatEvent>();
  private readonly unsubscribe: () => void;

  constructor(
    readonly client: RemoteEnvClient,
    readonly session: string,
    readonly seat: number,
    /** The env the game plays (set from the claim's answer). */
    public env: string,
    /** How many seats the game has (set from the claim's answer). */
    public seats: number,
  ) {
    const off = client.onNotification((method, params) => {
      const p = params as { session?: unknown; seat?: unknown; seats?: Record<string, unknown> };
      if (p?.session !== this.session) return;
      if (method === SEAT_TURN_NOTIFICATION && p.seat === this.seat) this.events.push({ kind: 'turn', turn: params as SeatTurn });
      if (method === GAME_OVER_NOTIFICATION && p.seats !== undefined && String(this.seat) in p.seats) this.events.push({ kind: 'over', over: params as GameOver });
    });
    const offClose = client.onClose((err) => this.events.fail(err));
    this.unsubscribe = () => {
      off();
      offClose();
    };
  }

  /** The next event of this seat: its turn (with its private observation), or the end of the game. */
  next(): Promise<SeatEvent> {
    return this.events.next();
  }

  /** Acts for the seat. `turn` (from the seat.turn) makes a late answer to an old turn fail cleanly. */
  act(action: string, turn?: number): Promise<{ turn: number }> {
    // Coalesced: the acts of every seat this connection holds, made in one turn of the event loop, share a frame.
    return this.client.callSoon('seat.act', { session: this.session, seat: this.seat, action, ...(turn === undefined ? {} : { turn }) });
  }

  /** Gives the seat back (the game's fallback agent takes over a running game). */
  async release(): Promise<void> {
    await this.client.call('seat.release', { session: this.session, seat: this.seat });
    this.unsubscribe();
  }

  /** Stops listening for this seat's events (after a failed claim). */
  detach(): void {
    this.unsubscribe();
  }
}

/** The opener's handle on a multi-agent session played by seats. */
export class RemoteGame {
  private readonly overs = new EventQueue<GameOver>();
  private readonly unsubscribe: () => void;

  constructor(
    readonly client: RemoteEnvClient,
    readonly session: string,
    readonly env: string,
    readonly seats: number,
  ) {
    const off = client.onNotification((method, params) => {
      if (method === GAME_OVER_NOTIFICATION && (params as { session?: unknown })?.session === this.session) this.overs.push(params as GameOver);
    });
    const offClose = client.onClose((err) => this.overs.fail(err));
    this.unsubscribe = () => {
      off();
      offClose();
    };
  }

  /** Starts a game once every seat is held (waits up to the claim timeout); turns then go to the holders. */
  reset(options: ResetOptions = {}): Promise<GameStarted> {
    const params: Record<string, unknown> = { session: this.session };
    if (options.seed !== undefined) params.seed = options.seed;
    if (options.task !== undefined) params.task = options.task;
    return this.client.call('session.reset', params) as Promise<GameStarted>;
  }

  /** Resolves with the next `game.over` of this session. */
  over(): Promise<GameOver> {
    return this.overs.next();
  }

  /** Closes the session (a running game ends as 'closed'). */
  async close(): Promise<void> {
    try {
      await this.client.closeSession(this.session);
    } finally {
      this.unsubscribe();
    }
  }
}
