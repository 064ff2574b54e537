/**
 * Observation rendering per seat (pure). A seat's observation text is its record — every line it
 * has seen since the start, oldest first (record-lines.ts) — then a blank line and the status
 * block, which says where the game stands and what the seat may do:
 *
 *   == Now ==
 *   You are player 3; your role is "seer". Round 2, day: discussion.
 *   Alive: players 0, 1, 3, 5, 6. Out: player 2 (killed, night 1), player 4 (exiled, day 1).
 *   Your turn to speak: say[<your speech>] (at most 1000 characters).
 *
 * The record only grows, so a reader can remember how far it read. The status block is the GiGPO
 * anchor (the current state without history). Nothing in a seat's observation depends on another
 * seat's private state: at night every seat that is not acting reads the same sentence.
 * @module
 */
import type { WerewolfState } from './game.js';
import { nightCast } from './night.js';
import type { WerewolfOptions } from './options.js';

export const STATUS_HEADER = '== Now ==';
/** Between the record and the status block. */
export const STATUS_SEPARATOR = `\n\n${STATUS_HEADER}\n`;

function seatList(seats: readonly number[]): string {
  return seats.length === 1 ? `player ${seats[0]}` : `players ${seats.join(', ')}`;
}

/** The status line naming the seat's own role: one of its secrets. */
export function statusRoleLine(state: WerewolfState, seat: number): string {
  return `You are player ${seat}; your role is "${state.roles[seat]}".`;
}

function phaseText(state: WerewolfState, options: WerewolfOptions): string {
  switch (state.phase) {
    case 'night':
      return `Round ${state.round}, night.`;
    case 'discussion': {
      if (options.discussion === 'bidding') return `Round ${state.round}, day: discussion, turn ${Math.min(state.discussion.turn + 1, options.maxTurns)} of at most ${options.maxTurns}.`;
      return `Round ${state.round}, day: discussion.`;
    }
    case 'vote':
      return `Round ${state.round}, day: vote.`;
    case 'over':
      return `Round ${state.round}: the game is over.`;
  }
}

function aliveLine(state: WerewolfState): string {
  const alive = state.alive.flatMap((a, s) => (a ? [s] : []));
  const out = state.deaths.map((d) => `player ${d.seat} (${d.cause}, ${d.cause === 'killed' ? 'night' : 'day'} ${d.round})`);
  return `Alive: ${seatList(alive)}.${out.length > 0 ? ` Out: ${out.join(', ')}.` : ''}`;
}

/** What the seat is asked to do now, or what it is waiting for. */
function promptLine(state: WerewolfState, seat: number, options: WerewolfOptions): string {
  if (state.phase === 'over') {
    const w = state.winner === 'village' ? 'the village won' : state.winner === 'wolves' ? 'the werewolves won' : 'it was a draw';
    return `The game is over: ${w} (${state.endReason}).`;
  }
  if (!state.alive[seat]) {
    const d = state.deaths.find((x) => x.seat === seat);
    return `You are out of the game${d ? ` (${d.cause}, ${d.cause === 'killed' ? 'night' : 'day'} ${d.round})` : ''}: you watch, but no longer act.`;
  }
  const acting = state.actors.includes(seat);
  switch (state.phase) {
    case 'night': {
      if (!acting) return 'The night is passing.';
      const cast = nightCast(state.roles, state.alive);
      if (seat === cast.proposer) {
        return cast.decider === null
          ? "Choose tonight's victim: kill[p]."
          : `Propose tonight's victim: kill[p]; your teammate (player ${cast.decider}) sees your proposal and decides.`;
      }
      if (seat === cast.decider) return `Your teammate (player ${cast.proposer}) proposed kill[${state.night.proposal}]; decide tonight's victim: kill[p].`;
      if (seat === cast.seer) return 'Choose a player to check: check[p]; you will learn whether they are a werewolf.';
      if (seat === cast.doctor) {
        const rules: string[] = [];
        if (!options.doctorSelfSave) rules.push('not yourself');
        if (!options.doctorRepeatSave && state.lastProtected !== null && state.alive[state.lastProtected]) rules.push(`not player ${state.lastProtected} again`);
        return `Choose a player to protect tonight: protect[p]${rules.length > 0 ? ` (${rules.join(', ')})` : ''}.`;
      }
      return 'The night is passing.';
    }
    case 'discussion': {
      const d = state.discussion;
      if (d.stage === 'bid') {
        return acting
          ? 'Bid to speak next: bid[0] (observe), bid[1], bid[2], bid[3], bid[4] (urgent: someone addressed you).'
          : d.lastSpeaker === seat
            ? 'You just spoke; the others bid for the next turn.'
            : 'Waiting for the bids.';
      }
      const speaker = state.actors[0];
      return acting ? `Your turn to speak: say[<your speech>] (at most ${options.speechLimit} characters).` : `Player ${speaker} is speaking.`;
    }
    case 'vote':
      return acting ? 'Vote to exile a player: vote[p], or abstain: vote[none].' : 'You voted; waiting for the other votes.';
  }
}

/** The parts of the status block every seat shares (computed once per step). */
export interface SharedStatus {
  phase: string;
  alive: string;
}

export function sharedStatus(state: WerewolfState, options: WerewolfOptions): SharedStatus {
  return { phase: phaseText(state, options), alive: aliveLine(state) };
}

/** The status block without its header: the seat's current state, without history (the anchor). */
export function statusBlock(state: WerewolfState, seat: number, options: WerewolfOptions, shared: SharedStatus = sharedStatus(state, options)): string {
  return `${statusRoleLine(state, seat)} ${shared.phase}\n${shared.alive}\n${promptLine(state, seat, options)}`;
}

/** The observation text: the record, then the status block. */
export function observationText(record: string, status: string): string {
  return record === '' ? `${STATUS_HEADER}\n${status}` : `${record}${STATUS_SEPARATOR}${status}`;
}
