/**
 * The record a seat reads: one line per event it sees, in a fixed format that people, language
 * models and the rule bots all read (the bots parse it back with {@link parseRecordLine}).
 *
 * Public lines:
 *   Game start: you are player 3 of 7 (players 0-6); the roles are 2 werewolves, 1 seer, 1 doctor and 3 villagers.
 *   Night 1 falls.
 *   Day 1 begins: player 4 was killed during the night.      (or: nobody was killed during the night.)
 *   Day 1, turn 2: player 5 takes the floor (bid 3).          (bidding discussion only)
 *   Day 1: player 5 said: "I am the seer."                    (the speech as a JSON string)
 *   Day 1 votes: 0→4, 1→4, 2→none, 3→1, 5→4, 6→4.
 *   Day 1: player 4 was exiled (4 votes).                     (or: nobody was exiled (tied: players 1, 4).)
 *   Game over: the village wins (both werewolves are out).
 * Private lines (`private to player S:`), seen by that seat only:
 *   Game start, private to player 3: your role is "werewolf".
 *   Game start, private to player 3: your fellow werewolf is "player 5".
 *   Night 1, private to player 3: you proposed "kill player 4"; your teammate decides.
 *   Night 1, private to player 5: your teammate (player 3) proposed "kill player 4".
 *   Night 1, private to player 5: the werewolves chose "kill player 4".
 *   Night 1, private to player 2: you checked player 4: "not a werewolf".   (or "a werewolf")
 *   Night 1, private to player 6: you protected "player 2".
 *
 * Why private lines cannot be forged by speech: every one holds a double quote right after text
 * that is not `said: `, and a speech is written as a JSON string, in which every inner quote is
 * escaped (`\"`) and no line break survives. So no speech can contain a private line verbatim,
 * and the conformance privacy check ("no seat's secret in another seat's observation") holds even
 * against players who repeat others' words.
 * @module
 */
import { visibleTo, type GameEvent, type Winner } from './events.js';
import { DECK_TEXT, isRole, PLAYER_COUNT, type Role } from './roles.js';

/** A record line as the seat that reads it understands it. */
export type RecordLine =
  | { kind: 'start'; me: number }
  | { kind: 'role'; me: number; role: Role }
  | { kind: 'teammate'; me: number; teammate: number }
  | { kind: 'night'; round: number }
  | { kind: 'proposal'; round: number; me: number; by: 'me' | number; target: number }
  | { kind: 'wolf-choice'; round: number; me: number; target: number }
  | { kind: 'check'; round: number; me: number; target: number; werewolf: boolean }
  | { kind: 'protect'; round: number; me: number; target: number }
  | { kind: 'dawn'; round: number; killed: number | null }
  | { kind: 'floor'; round: number; turn: number; speaker: number; bid: number }
  | { kind: 'speech'; round: number; speaker: number; text: string }
  | { kind: 'votes'; round: number; ballots: [number, number | null][] }
  | { kind: 'exile'; round: number; exiled: number | null; votes: number; tied: number[] }
  | { kind: 'end'; winner: Winner; reason: string };

const WIN_TEXT: Record<Winner, string> = { village: 'the village wins', wolves: 'the werewolves win', draw: 'a draw' };

function list(seats: readonly number[]): string {
  return seats.join(', ');
}

function exileLine(round: number, exiled: number | null, votes: number, tied: readonly number[]): string {
  if (exiled !== null) {
    const tie = tied.length > 1 ? `; tied: players ${list(tied)}; drawn at random` : '';
    return `Day ${round}: player ${exiled} was exiled (${votes} vote${votes === 1 ? '' : 's'}${tie}).`;
  }
  return `Day ${round}: nobody was exiled (${tied.length > 1 ? `tied: players ${list(tied)}` : 'no votes'}).`;
}

/** The record lines `seat` reads for `event` (none when the event is not visible to it). */
export function formatEventLines(event: GameEvent, seat: number): string[] {
  if (!visibleTo(event, seat)) return [];
  switch (event.type) {
    case 'deal': {
      const lines = [
        `Game start: you are player ${seat} of ${PLAYER_COUNT} (players 0-${PLAYER_COUNT - 1}); the roles are ${DECK_TEXT}.`,
        roleLine(seat, event.role),
      ];
      if (event.teammate !== null) lines.push(`Game start, private to player ${seat}: your fellow werewolf is "player ${event.teammate}".`);
      return lines;
    }
    case 'night':
      return [`Night ${event.round} falls.`];
    case 'proposal':
      return event.wolf === seat
        ? [`Night ${event.round}, private to player ${seat}: you proposed "kill player ${event.target}"; your teammate decides.`]
        : [`Night ${event.round}, private to player ${seat}: your teammate (player ${event.wolf}) proposed "kill player ${event.target}".`];
    case 'wolf-choice':
      return [`Night ${event.round}, private to player ${seat}: the werewolves chose "kill player ${event.target}".`];
    case 'check':
      return [`Night ${event.round}, private to player ${seat}: you checked player ${event.target}: "${event.werewolf ? 'a werewolf' : 'not a werewolf'}".`];
    case 'protect':
      return [`Night ${event.round}, private to player ${seat}: you protected "player ${event.target}".`];
    case 'dawn':
      return [`Day ${event.round} begins: ${event.killed === null ? 'nobody was' : `player ${event.killed} was`} killed during the night.`];
    case 'floor':
      return [`Day ${event.round}, turn ${event.turn}: player ${event.speaker} takes the floor (bid ${event.bid}).`];
    case 'speech':
      return [`Day ${event.round}: player ${event.speaker} said: ${JSON.stringify(event.text)}`];
    case 'vote': {
      const votes = event.exiled === null ? 0 : event.ballots.filter(([, t]) => t === event.exiled).length;
      return [
        `Day ${event.round} votes: ${event.ballots.map(([v, t]) => `${v}→${t === null ? 'none' : t}`).join(', ')}.`,
        exileLine(event.round, event.exiled, votes, event.tied),
      ];
    }
    case 'end':
      return [`Game over: ${WIN_TEXT[event.winner]} (${event.reason}).`];
  }
}

/** The line that tells `seat` its role (also repeated in the status block). */
export function roleLine(seat: number, role: Role): string {
  return `Game start, private to player ${seat}: your role is "${role}".`;
}

// ---------------------------------------------------------------------------------------------
// Parsing (the inverse of formatEventLines)

const P = '(\\d+)';
const PATTERNS: [RegExp, (m: RegExpExecArray) => RecordLine | null][] = [
  [/^Game start: you are player (\d+) of /, (m) => ({ kind: 'start', me: Number(m[1]) })],
  [
    /^Game start, private to player (\d+): your role is "([a-z]+)"\.$/,
    (m) => (isRole(m[2]) ? { kind: 'role', me: Number(m[1]), role: m[2] } : null),
  ],
  [/^Game start, private to player (\d+): your fellow werewolf is "player (\d+)"\.$/, (m) => ({ kind: 'teammate', me: Number(m[1]), teammate: Number(m[2]) })],
  [/^Night (\d+) falls\.$/, (m) => ({ kind: 'night', round: Number(m[1]) })],
  [
    new RegExp(`^Night ${P}, private to player ${P}: you proposed "kill player ${P}"`),
    (m) => ({ kind: 'proposal', round: Number(m[1]), me: Number(m[2]), by: 'me', target: Number(m[3]) }),
  ],
  [
    new RegExp(`^Night ${P}, private to player ${P}: your teammate \\(player ${P}\\) proposed "kill player ${P}"`),
    (m) => ({ kind: 'proposal', round: Number(m[1]), me: Number(m[2]), by: Number(m[3]), target: Number(m[4]) }),
  ],
  [
    new RegExp(`^Night ${P}, private to player ${P}: the werewolves chose "kill player ${P}"`),
    (m) => ({ kind: 'wolf-choice', round: Number(m[1]), me: Number(m[2]), target: Number(m[3]) }),
  ],
  [
    new RegExp(`^Night ${P}, private to player ${P}: you checked player ${P}: "(a werewolf|not a werewolf)"`),
    (m) => ({ kind: 'check', round: Number(m[1]), me: Number(m[2]), target: Number(m[3]), werewolf: m[4] === 'a werewolf' }),
  ],
  [
    new RegExp(`^Night ${P}, private to player ${P}: you protected "player ${P}"`),
    (m) => ({ kind: 'protect', round: Number(m[1]), me: Number(m[2]), target: Number(m[3]) }),
  ],
  [
    new RegExp(`^Day ${P} begins: (?:nobody was|player ${P} was) killed`),
    (m) => ({ kind: 'dawn', round: Number(m[1]), killed: m[2] === undefined ? null : Number(m[2]) }),
  ],
  [
    new RegExp(`^Day ${P}, turn ${P}: player ${P} takes the floor \\(bid ${P}\\)`),
    (m) => ({ kind: 'floor', round: Number(m[1]), turn: Number(m[2]), speaker: Number(m[3]), bid: Number(m[4]) }),
  ],
  [
    new RegExp(`^Day ${P}: player ${P} said: (".*")$`),
    (m) => {
      try {
        const text: unknown = JSON.parse(m[3]!);
        return typeof text === 'string' ? { kind: 'speech', round: Number(m[1]), speaker: Number(m[2]), text } : null;
      } catch {
        return null;
      }
    },
  ],
  [
    new RegExp(`^Day ${P} votes: (.*)\\.$`),
    (m) => {
      const ballots: [number, number | null][] = [];
      for (const part of m[2]!.split(', ')) {
        const b = /^(\d+)→(\d+|none)$/.exec(part);
        if (!b) return null;
        ballots.push([Number(b[1]), b[2] === 'none' ? null : Number(b[2])]);
      }
      return { kind: 'votes', round: Number(m[1]), ballots };
    },
  ],
  [
    new RegExp(`^Day ${P}: player ${P} was exiled \\(${P} votes?(?:; tied: players ([\\d, ]+); drawn at random)?\\)`),
    (m) => ({ kind: 'exile', round: Number(m[1]), exiled: Number(m[2]), votes: Number(m[3]), tied: m[4] ? m[4].split(', ').map(Number) : [] }),
  ],
  [
    new RegExp(`^Day ${P}: nobody was exiled \\((?:tied: players ([\\d, ]+)|no votes)\\)`),
    (m) => ({ kind: 'exile', round: Number(m[1]), exiled: null, votes: 0, tied: m[2] ? m[2].split(', ').map(Number) : [] }),
  ],
  [
    /^Game over: (the village wins|the werewolves win|a draw) \((.*)\)\.$/,
    (m) => ({ kind: 'end', winner: m[1] === 'the village wins' ? 'village' : m[1] === 'a draw' ? 'draw' : 'wolves', reason: m[2]! }),
  ],
];

/** Reads one record line back; null for a line that is not a record line (e.g. the status block). */
export function parseRecordLine(line: string): RecordLine | null {
  for (const [re, build] of PATTERNS) {
    const m = re.exec(line);
    if (m) return build(m);
  }
  return null;
}
