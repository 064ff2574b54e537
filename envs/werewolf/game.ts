/**
 * The game machine: the whole state of one game as plain JSON, and the transitions that compose
 * the pure rules (night.ts, discussion.ts, vote.ts, win.ts) in the order of a round:
 *
 *   night (werewolves, seer, doctor act) → dawn (the night's death, win check)
 *   → discussion (seat order, or bidding turns) → vote (simultaneous, win check) → next night,
 *   or a draw once `maxRounds` rounds are played.
 *
 * `actors` are the seats that still owe an action in the current phase. `applyActions` takes any
 * subset of them: each action is checked against the rules; an accepted one removes its seat from
 * `actors`, a refused one leaves it there and says why. Once `actors` is empty the phase resolves.
 * The machine mutates the state it is given (the env owns it) and appends to `state.events`.
 * @module
 */
import type { InvalidAction, InvalidActionCode } from '../core/types.js';
import type { Rng } from '../core/rng.js';
import { formatAction, MAX_BID, parseAction, SPEECH_PLACEHOLDER, type WerewolfAction } from './actions.js';
import { bidders, mentionedPlayers, nextInSeatOrder, pickSpeaker } from './discussion.js';
import type { GameEvent, Winner } from './events.js';
import {
  checkCheckTarget,
  checkKillTarget,
  checkProtectTarget,
  checkTargets,
  killTargets,
  nightCast,
  protectTargets,
  resolveNight,
  type NightCast,
} from './night.js';
import type { WerewolfOptions } from './options.js';
import { isCorrectVote } from './reward.js';
import { PLAYER_COUNT, type Role } from './roles.js';
import { cleanSpeech, speechNotice } from './speech.js';
import { checkVoteTarget, tallyVotes, voteTargets } from './vote.js';
import { checkWinner } from './win.js';

export type Phase = 'night' | 'discussion' | 'vote' | 'over';

export interface Death {
  seat: number;
  cause: 'killed' | 'exiled';
  round: number;
}

export interface WerewolfState {
  roles: Role[];
  alive: boolean[];
  /** 1-based; a round is a night and the day after it. */
  round: number;
  phase: Phase;
  /** Seats that still owe an action in this phase. */
  actors: number[];
  night: { proposal: number | null; victim: number | null; check: number | null; protect: number | null };
  /** Whom the doctor protected last night (the repeat-save rule). */
  lastProtected: number | null;
  discussion: {
    /** Speeches so far today. */
    turn: number;
    spoken: number[];
    lastSpeaker: number | null;
    /** Bidding only: 'bid' while bids are collected, 'speak' while the winner speaks. */
    stage: 'bid' | 'speak';
    /** Bidding only: this turn's bids by seat (null: not yet / not bidding). */
    bids: (number | null)[];
  };
  /** This day's ballots so far, by seat (null: abstain); seats that have not voted are absent. */
  ballots: Record<string, number | null>;
  deaths: Death[];
  /** Per seat: votes cast against the other side. */
  correctVotes: number[];
  /** Checks of the seer that found a werewolf. */
  seerHits: number;
  events: GameEvent[];
  winner: Winner | null;
  endReason: string | null;
}

/** A refused action of one seat. */
export type Refusal = InvalidAction;

export interface ApplyResult {
  /** Accepted actions by seat, canonical spelling. */
  accepted: Map<number, string>;
  refused: Map<number, Refusal>;
  /** Sentences for a seat whose action was accepted with a change (a cut speech). */
  notices: Map<number, { notice: string; speech: { originalLength: number; length: number; cut: boolean; controlCharacters: number } }>;
}

const refusal = (code: InvalidActionCode, message: string, suggestions: string[] = []): Refusal => ({ code, message, suggestions });

// ---------------------------------------------------------------------------------------------
// Start

export function startGame(roles: readonly Role[]): WerewolfState {
  if (roles.length !== PLAYER_COUNT) throw new RangeError(`A game has ${PLAYER_COUNT} roles, got ${roles.length}`);
  const state: WerewolfState = {
    roles: [...roles],
    alive: roles.map(() => true),
    round: 0,
    phase: 'night',
    actors: [],
    night: { proposal: null, victim: null, check: null, protect: null },
    lastProtected: null,
    discussion: { turn: 0, spoken: [], lastSpeaker: null, stage: 'speak', bids: roles.map(() => null) },
    ballots: {},
    deaths: [],
    correctVotes: roles.map(() => 0),
    seerHits: 0,
    events: [],
    winner: null,
    endReason: null,
  };
  const wolves = roles.flatMap((r, s) => (r === 'werewolf' ? [s] : []));
  roles.forEach((role, seat) => {
    const teammate = role === 'werewolf' ? (wolves.find((w) => w !== seat) ?? null) : null;
    state.events.push({ type: 'deal', seat, role, teammate });
  });
  beginNight(state, 1);
  return state;
}

function beginNight(state: WerewolfState, round: number): void {
  state.round = round;
  state.phase = 'night';
  state.night = { proposal: null, victim: null, check: null, protect: null };
  state.events.push({ type: 'night', round });
  const cast = nightCast(state.roles, state.alive);
  state.actors = [cast.proposer, cast.seer, cast.doctor].filter((s): s is number => s !== null).sort((a, b) => a - b);
}

function beginDay(state: WerewolfState, options: WerewolfOptions): void {
  state.phase = 'discussion';
  state.discussion = { turn: 0, spoken: [], lastSpeaker: null, stage: options.discussion === 'bidding' ? 'bid' : 'speak', bids: state.roles.map(() => null) };
  if (options.discussion === 'bidding') {
    state.actors = bidders(state.alive, null);
  } else {
    const first = nextInSeatOrder(state.alive, []);
    state.actors = first === null ? [] : [first];
  }
}

function beginVote(state: WerewolfState): void {
  state.phase = 'vote';
  state.ballots = {};
  state.actors = livingSeats(state);
}

function endGame(state: WerewolfState, winner: Winner, reason: string): void {
  state.phase = 'over';
  state.actors = [];
  state.winner = winner;
  state.endReason = reason;
  state.events.push({ type: 'end', round: state.round, winner, reason });
}

export function livingSeats(state: WerewolfState): number[] {
  return state.alive.flatMap((a, s) => (a ? [s] : []));
}

/** Ends the game if a side has won; true when it did. */
function settle(state: WerewolfState): boolean {
  const win = checkWinner(state.roles, state.alive);
  if (win === null) return false;
  endGame(state, win.winner, win.reason);
  return true;
}

// ---------------------------------------------------------------------------------------------
// What a seat may do now

/** Action strings made once (admissible lists are built for every seat on every step). */
const SEAT_ACTIONS = (verb: string) => Array.from({ length: PLAYER_COUNT }, (_, t) => `${verb}[${t}]`);
const KILL = SEAT_ACTIONS('kill');
const CHECK = SEAT_ACTIONS('check');
const PROTECT = SEAT_ACTIONS('protect');
const VOTE = SEAT_ACTIONS('vote');
const BIDS: readonly string[] = Array.from({ length: MAX_BID + 1 }, (_, n) => `bid[${n}]`);

/** The seat's admissible actions now (empty when it is not an actor). Speech shows a placeholder. */
export function admissibleActions(state: WerewolfState, seat: number, options: WerewolfOptions): string[] {
  if (!state.actors.includes(seat)) return [];
  switch (state.phase) {
    case 'night': {
      const cast = nightCast(state.roles, state.alive);
      if (seat === cast.proposer || seat === cast.decider) return killTargets(state.roles, state.alive).map((t) => KILL[t]!);
      if (seat === cast.seer) return checkTargets(state.alive, seat).map((t) => CHECK[t]!);
      if (seat === cast.doctor) return protectTargets(state.alive, seat, state.lastProtected, options).map((t) => PROTECT[t]!);
      return [];
    }
    case 'discussion':
      if (state.discussion.stage === 'bid') return [...BIDS];
      return [SPEECH_PLACEHOLDER];
    case 'vote':
      return [...voteTargets(state.alive, seat).map((t) => VOTE[t]!), 'vote[none]'];
    case 'over':
      return [];
  }
}

/** What the seat is expected to do now, in words (for refusals). */
function expected(state: WerewolfState, seat: number, cast: NightCast): string {
  switch (state.phase) {
    case 'night':
      if (seat === cast.proposer || seat === cast.decider) return 'at night the werewolves choose a victim: kill[p]';
      if (seat === cast.seer) return 'at night the seer checks a player: check[p]';
      if (seat === cast.doctor) return 'at night the doctor protects a player: protect[p]';
      return 'nothing';
    case 'discussion':
      return state.discussion.stage === 'bid' ? 'bid to speak next: bid[0] … bid[4]' : 'it is your turn to speak: say[your speech]';
    case 'vote':
      return 'vote to exile a player: vote[p], or abstain: vote[none]';
    case 'over':
      return 'nothing: the game is over';
  }
}

// ---------------------------------------------------------------------------------------------
// Acting

/**
 * Applies the actions of actors (any subset) and resolves the phase once every actor has acted.
 * Seats that are not actors are refused with NOT_YOUR_TURN (the makeMulti wrapper stops them
 * earlier; a raw env still answers them).
 */
export function applyActions(state: WerewolfState, actionsBySeat: ReadonlyMap<number, string>, options: WerewolfOptions, rng: Rng): ApplyResult {
  const result: ApplyResult = { accepted: new Map(), refused: new Map(), notices: new Map() };
  if (state.phase === 'over') {
    for (const seat of actionsBySeat.keys()) result.refused.set(seat, refusal('NOT_YOUR_TURN', 'The game is over.'));
    return result;
  }
  const actorsAtStart = new Set(state.actors);
  const seats = [...actionsBySeat.keys()].sort((a, b) => a - b);
  for (const seat of seats) {
    const raw = actionsBySeat.get(seat)!;
    if (!actorsAtStart.has(seat)) {
      result.refused.set(seat, notYourTurn(state, seat));
      continue;
    }
    const parsed = parseAction(raw);
    if (!parsed.ok) {
      result.refused.set(seat, refusal(parsed.code, parsed.message, admissibleActions(state, seat, options).slice(0, 8)));
      continue;
    }
    const refused = applyOne(state, seat, parsed.action, options, result);
    if (refused !== null) {
      result.refused.set(seat, { ...refused, suggestions: admissibleActions(state, seat, options).slice(0, 8) });
      continue;
    }
    state.actors = state.actors.filter((s) => s !== seat);
  }
  if (state.actors.length === 0) resolvePhase(state, options, rng);
  return result;
}

function notYourTurn(state: WerewolfState, seat: number): Refusal {
  if (state.alive[seat] === false) {
    const death = state.deaths.find((d) => d.seat === seat);
    const when = death ? ` (${death.cause} ${death.cause === 'killed' ? 'on night' : 'on day'} ${death.round})` : '';
    return refusal('NOT_YOUR_TURN', `Player ${seat} is out of the game${when} and no longer acts.`);
  }
  return refusal('NOT_YOUR_TURN', `Player ${seat} is not to act now; wait for your turn.`);
}

/** Checks and applies one actor's parsed action; returns the refusal, or null when accepted. */
function applyOne(state: WerewolfState, seat: number, action: WerewolfAction, options: WerewolfOptions, result: ApplyResult): Refusal | null {
  const cast = nightCast(state.roles, state.alive);
  const wrongVerb = (): Refusal => refusal('NOT_ADMISSIBLE', `${formatAction(action).slice(0, 80)} is not possible now: ${expected(state, seat, cast)}.`);
  const targetRefused = (message: string | null): Refusal | null => (message === null ? null : refusal('NOT_ADMISSIBLE', message));

  switch (state.phase) {
    case 'night': {
      if (seat === cast.proposer || seat === cast.decider) {
        if (action.verb !== 'kill') return wrongVerb();
        const bad = targetRefused(checkKillTarget(state.roles, state.alive, action.target));
        if (bad) return bad;
        const pack = [cast.proposer, cast.decider].filter((s): s is number => s !== null);
        if (seat === cast.proposer && cast.decider !== null) {
          state.night.proposal = action.target;
          state.events.push({ type: 'proposal', round: state.round, wolf: seat, target: action.target, pack });
          state.actors.push(cast.decider);
          state.actors.sort((a, b) => a - b);
        } else {
          state.night.victim = action.target;
          state.events.push({ type: 'wolf-choice', round: state.round, wolf: seat, target: action.target, pack });
        }
      } else if (seat === cast.seer) {
        if (action.verb !== 'check') return wrongVerb();
        const bad = targetRefused(checkCheckTarget(state.alive, seat, action.target));
        if (bad) return bad;
        const werewolf = state.roles[action.target] === 'werewolf';
        state.night.check = action.target;
        if (werewolf) state.seerHits++;
        state.events.push({ type: 'check', round: state.round, seer: seat, target: action.target, werewolf });
      } else if (seat === cast.doctor) {
        if (action.verb !== 'protect') return wrongVerb();
        const bad = targetRefused(checkProtectTarget(state.alive, seat, action.target, state.lastProtected, options));
        if (bad) return bad;
        state.night.protect = action.target;
        state.events.push({ type: 'protect', round: state.round, doctor: seat, target: action.target });
      } else {
        return wrongVerb();
      }
      break;
    }
    case 'discussion': {
      const d = state.discussion;
      if (d.stage === 'bid') {
        if (action.verb !== 'bid') return wrongVerb();
        d.bids[seat] = action.amount;
      } else {
        if (action.verb !== 'say') return wrongVerb();
        const clean = cleanSpeech(action.text, options.speechLimit);
        const notice = speechNotice(clean, options.speechLimit);
        if (notice !== null) {
          result.notices.set(seat, {
            notice,
            speech: { originalLength: clean.originalLength, length: Array.from(clean.text).length, cut: clean.cut, controlCharacters: clean.controlCharacters },
          });
        }
        d.turn++;
        d.spoken.push(seat);
        d.lastSpeaker = seat;
        state.events.push({ type: 'speech', round: state.round, turn: d.turn, speaker: seat, text: clean.text });
        result.accepted.set(seat, `say[${clean.text}]`);
        return null;
      }
      break;
    }
    case 'vote': {
      if (action.verb !== 'vote') return wrongVerb();
      const bad = targetRefused(checkVoteTarget(state.alive, seat, action.target));
      if (bad) return bad;
      state.ballots[seat] = action.target;
      break;
    }
    case 'over':
      return refusal('NOT_YOUR_TURN', 'The game is over.');
  }
  result.accepted.set(seat, formatAction(action));
  return null;
}

// ---------------------------------------------------------------------------------------------
// Resolving a phase once every actor has acted

function resolvePhase(state: WerewolfState, options: WerewolfOptions, rng: Rng): void {
  switch (state.phase) {
    case 'night':
      return resolveNightPhase(state, options);
    case 'discussion':
      return resolveDiscussionStep(state, options, rng);
    case 'vote':
      return resolveVote(state, options, rng);
    case 'over':
      return;
  }
}

function resolveNightPhase(state: WerewolfState, options: WerewolfOptions): void {
  const { victim, protect } = state.night;
  const { killed, saved } = resolveNight(victim, protect);
  if (killed !== null) {
    state.alive[killed] = false;
    state.deaths.push({ seat: killed, cause: 'killed', round: state.round });
  }
  state.lastProtected = protect;
  state.events.push({ type: 'dawn', round: state.round, killed, victim, saved });
  if (settle(state)) return;
  beginDay(state, options);
}

function resolveDiscussionStep(state: WerewolfState, options: WerewolfOptions, rng: Rng): void {
  const d = state.discussion;
  if (options.discussion === 'seat-order') {
    const next = nextInSeatOrder(state.alive, d.spoken);
    if (next === null) return beginVote(state);
    state.actors = [next];
    return;
  }
  if (d.stage === 'bid') {
    const lastSpeech = lastSpeechToday(state);
    const speaker = pickSpeaker(d.bids, lastSpeech === null ? [] : mentionedPlayers(lastSpeech, PLAYER_COUNT), rng);
    state.events.push({ type: 'floor', round: state.round, turn: d.turn + 1, speaker, bid: d.bids[speaker]!, bids: [...d.bids] });
    d.stage = 'speak';
    state.actors = [speaker];
    return;
  }
  if (d.turn >= options.maxTurns) return beginVote(state);
  d.stage = 'bid';
  d.bids = state.roles.map(() => null);
  state.actors = bidders(state.alive, d.lastSpeaker);
}

function lastSpeechToday(state: WerewolfState): string | null {
  for (let i = state.events.length - 1; i >= 0; i--) {
    const e = state.events[i]!;
    if (e.type === 'speech' && e.round === state.round) return e.text;
    if (e.type === 'dawn') return null;
  }
  return null;
}

function resolveVote(state: WerewolfState, options: WerewolfOptions, rng: Rng): void {
  const ballots: [number, number | null][] = livingSeats(state).map((seat) => [seat, state.ballots[seat] ?? null]);
  for (const [voter, target] of ballots) if (isCorrectVote(state.roles, voter, target)) state.correctVotes[voter]!++;
  const outcome = tallyVotes(ballots, options.tieRule, rng);
  if (outcome.exiled !== null) {
    state.alive[outcome.exiled] = false;
    state.deaths.push({ seat: outcome.exiled, cause: 'exiled', round: state.round });
  }
  state.events.push({ type: 'vote', round: state.round, ballots, exiled: outcome.exiled, tied: outcome.tied });
  state.ballots = {};
  if (settle(state)) return;
  if (state.round >= options.maxRounds) {
    endGame(state, 'draw', `${options.maxRounds} round${options.maxRounds === 1 ? '' : 's'} without a winner`);
    return;
  }
  beginNight(state, state.round + 1);
}
