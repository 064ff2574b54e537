/**
 * WerewolfSession: one werewolf-v1 game, synchronously — the game machine (game.ts) and the
 * renderers (record-lines.ts, render.ts) behind the multi-agent result shapes. WerewolfEnv
 * (env.ts) is its async MultiAgentEnv face; the viewer re-simulates recorded games with it
 * directly.
 *
 * Every reset and step returns all 7 seats' observations, per-seat infos (reward components;
 * `invalid` for a refused action; `notice` when a speech was cut or cleaned; `success` at the
 * end), the omniscient `info` (state key, task, roles, phase, this step's events, and `secrets`:
 * each seat's private lines, which no other seat's observation contains) and `actors`.
 * Each seat's record is rendered incrementally: new events append lines to the seats that see them.
 * @module
 */
import { z } from 'zod';
import { EnvClosedError, EpisodeOverError, InvalidStateError, OptionsError, ResetNeededError, UnknownSeatError } from '../core/errors.js';
import { formatIssues } from '../core/registry.js';
import { hash32, Rng } from '../core/rng.js';
import { stateHash } from '../core/state-hash.js';
import type {
  EnvState,
  GameInfo,
  MultiAgentResetResult,
  MultiAgentStepResult,
  Observation,
  ResetOptions,
  SeatActions,
  SeatInfo,
} from '../core/types.js';
import { isPrivate, type GameEvent } from './events.js';
import { admissibleActions, applyActions, startGame, type ApplyResult, type WerewolfState } from './game.js';
import { werewolfOptionsSchema, type WerewolfOptions, type WerewolfOptionsInput } from './options.js';
import { formatEventLines } from './record-lines.js';
import { observationText, sharedStatus, statusBlock, statusRoleLine } from './render.js';
import { seatRewardComponents, teamReward } from './reward.js';
import { PLAYER_COUNT, ROLES, sideOf } from './roles.js';
import { dealForTask, resolveWerewolfTask, taskForSeed, WEREWOLF_SPLIT_NAMES, type WerewolfTask } from './tasks.js';

import { WEREWOLF_ENV_ID } from './id.js';

const SNAPSHOT_FORMAT = 'werewolf-v1';
const SNAPSHOT_VERSION = 1;

interface Episode {
  task: WerewolfTask;
  seed: number;
  state: WerewolfState;
  rng: Rng;
  /** Per seat: the record text so far, its private lines, how many events are rendered. */
  records: string[];
  secrets: string[][];
  /** Per seat: the secrets as last handed out in `info` (a new array only when one is added). */
  shownSecrets: (string[] | null)[];
  rendered: number;
  /** A running hash of the events, so the state key does not re-hash the whole log. */
  digest: number;
}

const seat = z.number().int().min(0).max(PLAYER_COUNT - 1);
const target = seat.nullable();
const eventSchema: z.ZodType<GameEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('deal'), seat, role: z.enum(ROLES), teammate: target }),
  z.object({ type: z.literal('night'), round: z.number().int() }),
  z.object({ type: z.literal('proposal'), round: z.number().int(), wolf: seat, target: seat, pack: z.array(seat) }),
  z.object({ type: z.literal('wolf-choice'), round: z.number().int(), wolf: seat, target: seat, pack: z.array(seat) }),
  z.object({ type: z.literal('check'), round: z.number().int(), seer: seat, target: seat, werewolf: z.boolean() }),
  z.object({ type: z.literal('protect'), round: z.number().int(), doctor: seat, target: seat }),
  z.object({ type: z.literal('dawn'), round: z.number().int(), killed: target, victim: target, saved: z.boolean() }),
  z.object({ type: z.literal('floor'), round: z.number().int(), turn: z.number().int(), speaker: seat, bid: z.number().int(), bids: z.array(z.number().int().nullable()) }),
  z.object({ type: z.literal('speech'), round: z.number().int(), turn: z.number().int(), speaker: seat, text: z.string() }),
  z.object({ type: z.literal('vote'), round: z.number().int(), ballots: z.array(z.tuple([seat, target])), exiled: target, tied: z.array(seat) }),
  z.object({ type: z.literal('end'), round: z.number().int(), winner: z.enum(['wolves', 'village', 'draw']), reason: z.string() }),
]);

const stateSchema: z.ZodType<WerewolfState> = z.object({
  roles: z.array(z.enum(ROLES)).length(PLAYER_COUNT),
  alive: z.array(z.boolean()).length(PLAYER_COUNT),
  round: z.number().int().min(0),
  phase: z.enum(['night', 'discussion', 'vote', 'over']),
  actors: z.array(seat),
  night: z.object({ proposal: target, victim: target, check: target, protect: target }),
  lastProtected: target,
  discussion: z.object({
    turn: z.number().int().min(0),
    spoken: z.array(seat),
    lastSpeaker: target,
    stage: z.enum(['bid', 'speak']),
    bids: z.array(z.number().int().nullable()).length(PLAYER_COUNT),
  }),
  ballots: z.record(z.string(), target),
  deaths: z.array(z.object({ seat, cause: z.enum(['killed', 'exiled']), round: z.number().int() })),
  correctVotes: z.array(z.number().int().min(0)).length(PLAYER_COUNT),
  seerHits: z.number().int().min(0),
  events: z.array(eventSchema),
  winner: z.enum(['wolves', 'village', 'draw']).nullable(),
  endReason: z.string().nullable(),
});

const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  options: werewolfOptionsSchema,
  task: z.object({ id: z.string(), split: z.enum(WEREWOLF_SPLIT_NAMES as [string, ...string[]]), index: z.number().int().min(0) }),
  seed: z.number(),
  rng: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  seeds: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  state: stateSchema,
});

export class WerewolfSession {
  readonly seats = PLAYER_COUNT;
  readonly options: WerewolfOptions;
  private episode: Episode | null = null;
  private seeds = new Rng('werewolf-v1/seeds');
  private closed = false;

  constructor(options: WerewolfOptionsInput = {}) {
    const parsed = werewolfOptionsSchema.safeParse(options);
    if (!parsed.success) throw new OptionsError(WEREWOLF_ENV_ID, formatIssues(parsed.error));
    this.options = parsed.data;
  }

  /** The game state (read-only; for tests, the viewer and tools). Null before reset. */
  get state(): Readonly<WerewolfState> | null {
    return this.episode?.state ?? null;
  }

  reset(options: ResetOptions = {}): MultiAgentResetResult {
    if (this.closed) throw new EnvClosedError();
    const { seed: given, task: ref } = options ?? {};
    if (given !== undefined && (typeof given !== 'number' || !Number.isFinite(given))) {
      throw new OptionsError(`${WEREWOLF_ENV_ID} reset`, [`seed must be a finite number, got ${JSON.stringify(given)}`]);
    }
    const seed = given ?? this.seeds.nextUint32();
    const task = ref !== undefined && ref !== null ? resolveWerewolfTask(ref) : taskForSeed(seed);
    const state = startGame(dealForTask(task.split, task.index));
    this.episode = newEpisode(task, seed, state, new Rng(`werewolf-v1/game/${seed}`));
    const ep = this.episode;
    const newEvents = this.renderNewEvents(ep);
    return { observations: this.observations(ep), infos: this.seatInfos(ep, null), info: this.gameInfo(ep, newEvents), actors: [...ep.state.actors] };
  }

  actors(): number[] {
    return this.episode === null ? [] : [...this.episode.state.actors];
  }

  step(actionsBySeat: SeatActions): MultiAgentStepResult {
    if (this.closed) throw new EnvClosedError();
    const ep = this.episode;
    if (!ep) throw new ResetNeededError();
    if (ep.state.phase === 'over') throw new EpisodeOverError();
    if (actionsBySeat === null || typeof actionsBySeat !== 'object' || Array.isArray(actionsBySeat)) throw new UnknownSeatError(actionsBySeat, this.seats);
    const actions = new Map<number, string>();
    for (const [key, action] of Object.entries(actionsBySeat)) {
      const s = Number(key);
      if (!Number.isInteger(s) || s < 0 || s >= this.seats || String(s) !== key) throw new UnknownSeatError(key, this.seats);
      if (action === null || action === undefined) continue;
      actions.set(s, typeof action === 'string' ? action : String(action));
    }
    const applied = applyActions(ep.state, actions, this.options, ep.rng);
    const newEvents = this.renderNewEvents(ep);
    const over = isOver(ep.state);
    const rewards: Record<number, number> = {};
    for (let s = 0; s < this.seats; s++) rewards[s] = over ? teamReward(ep.state.roles[s]!, ep.state.winner) : 0;
    return {
      observations: this.observations(ep),
      rewards,
      infos: this.seatInfos(ep, applied),
      terminated: over,
      truncated: false,
      info: this.gameInfo(ep, newEvents),
      actors: [...ep.state.actors],
    };
  }

  snapshot(): EnvState {
    if (this.closed) throw new EnvClosedError();
    const ep = this.episode;
    if (!ep) throw new ResetNeededError();
    return JSON.parse(
      JSON.stringify({
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        options: this.options,
        task: { id: ep.task.id, split: ep.task.split, index: ep.task.index },
        seed: ep.seed,
        rng: ep.rng.getState(),
        seeds: this.seeds.getState(),
        state: ep.state,
      }),
    );
  }

  restore(snapshot: EnvState): void {
    if (this.closed) throw new EnvClosedError();
    const parsed = snapshotSchema.safeParse(snapshot);
    if (!parsed.success) throw new InvalidStateError(`Not a ${WEREWOLF_ENV_ID} snapshot: ${formatIssues(parsed.error).join('; ')}.`);
    const s = parsed.data;
    if (JSON.stringify(s.options) !== JSON.stringify(this.options)) {
      throw new InvalidStateError(`The snapshot was taken with other options (${JSON.stringify(s.options)}) than this env's (${JSON.stringify(this.options)}).`);
    }
    const task = resolveWerewolfTask({ split: s.task.split, index: s.task.index });
    const state = JSON.parse(JSON.stringify(s.state)) as WerewolfState;
    this.episode = newEpisode(task, s.seed, state, Rng.fromState(s.rng));
    this.seeds.setState(s.seeds);
    this.renderNewEvents(this.episode);
  }

  close(): void {
    this.closed = true;
    this.episode = null;
  }

  // -------------------------------------------------------------------------------------------

  /** Appends the lines of events not yet rendered to each seat's record; returns those events. */
  private renderNewEvents(ep: Episode): GameEvent[] {
    const events = ep.state.events;
    const fresh = events.slice(ep.rendered);
    for (const event of fresh) {
      ep.digest = hash32(`${ep.digest}:${JSON.stringify(event)}`);
      const secret = isPrivate(event);
      for (let s = 0; s < this.seats; s++) {
        const lines = formatEventLines(event, s);
        if (lines.length === 0) continue;
        const text = lines.join('\n');
        ep.records[s] = ep.records[s] === '' ? text : `${ep.records[s]}\n${text}`;
        if (secret) {
          ep.secrets[s]!.push(...lines.filter((l) => l.includes(`private to player ${s}:`)));
          ep.shownSecrets[s] = null;
        }
      }
    }
    ep.rendered = events.length;
    return fresh;
  }

  private observations(ep: Episode): Record<number, Observation> {
    const out: Record<number, Observation> = {};
    const shared = sharedStatus(ep.state, this.options);
    for (let s = 0; s < this.seats; s++) {
      const status = statusBlock(ep.state, s, this.options, shared);
      out[s] = { text: observationText(ep.records[s]!, status), actions: admissibleActions(ep.state, s, this.options), anchor: status, seat: s };
    }
    return out;
  }

  private seatInfos(ep: Episode, applied: ApplyResult | null): Record<number, SeatInfo> {
    const st = ep.state;
    const over = st.phase === 'over';
    const out: Record<number, SeatInfo> = {};
    for (let s = 0; s < this.seats; s++) {
      const info: SeatInfo = { rewardComponents: seatRewardComponents(st.roles[s]!, st.alive[s]!, st.winner, st.correctVotes[s]!, st.seerHits) };
      const refused = applied?.refused.get(s);
      if (refused) info.invalid = refused;
      const accepted = applied?.accepted.get(s);
      if (accepted !== undefined) info.canonicalAction = accepted;
      const notice = applied?.notices.get(s);
      if (notice) {
        info.notice = notice.notice;
        info.speech = notice.speech;
      }
      if (over) info.success = teamReward(st.roles[s]!, st.winner) > 0;
      out[s] = info;
    }
    return out;
  }

  private gameInfo(ep: Episode, newEvents: GameEvent[]): GameInfo {
    const st = ep.state;
    const secrets: Record<number, string[]> = {};
    for (let s = 0; s < this.seats; s++) secrets[s] = ep.shownSecrets[s] ??= [...ep.secrets[s]!, statusRoleLine(st, s)];
    const info: GameInfo = {
      rewardComponents: {},
      stateKey: stateKeyOf(st, ep.digest),
      task: { ...ep.task },
      secrets,
      roles: [...st.roles],
      teams: Object.fromEntries(st.roles.map((r, seat) => [seat, sideOf(r)])),
      round: st.round,
      phase: st.phase,
      events: newEvents as unknown as GameInfo[string],
    };
    if (st.phase === 'over') {
      info.winner = st.winner;
      info.outcome = st.endReason;
    }
    return info;
  }
}

/**
 * A hash of the whole game state: everything that decides what happens next, with the event log
 * as its length and running digest. Built as one compact string (cheaper than hashing the state
 * as JSON, which this runs for every step of every game).
 */
function stateKeyOf(st: WerewolfState, digest: number): string {
  const n = st.night;
  const d = st.discussion;
  const ballots = Object.keys(st.ballots)
    .sort()
    .map((k) => `${k}:${st.ballots[k]}`)
    .join(',');
  return stateHash(
    `${st.roles.join(',')}|${st.alive.map(Number).join('')}|${st.round}|${st.phase}|${st.actors.join(',')}|` +
      `${n.proposal},${n.victim},${n.check},${n.protect}|${st.lastProtected}|${d.turn},${d.spoken.join(' ')},${d.lastSpeaker},${d.stage},${d.bids.join(' ')}|` +
      `${ballots}|${st.events.length}|${digest}`,
  );
}

/** Read through a call, so a check made before the state changed does not narrow it. */
function isOver(state: WerewolfState): boolean {
  return state.phase === 'over';
}

function newEpisode(task: WerewolfTask, seed: number, state: WerewolfState, rng: Rng): Episode {
  return {
    task,
    seed,
    state,
    rng,
    records: Array.from({ length: PLAYER_COUNT }, () => ''),
    secrets: Array.from({ length: PLAYER_COUNT }, () => []),
    shownSecrets: Array.from({ length: PLAYER_COUNT }, () => null),
    rendered: 0,
    digest: 0,
  };
}
