/**
 * The transition function: applies an admissible grounded command to a state and returns the new
 * state and the feedback text. Pure: the input state is never modified (changed arrays are copied,
 * the static world and goal are shared). Preconditions are the admissible list's (admissible.ts);
 * `applyCommand` assumes the command came from it. Whether the goal is reached is decided by
 * goal-check.ts (game.ts combines the two).
 * @module
 */
import type { Command } from './commands.js';
import {
  arriveText,
  closeText,
  describeReceptacle,
  examineObjectText,
  HELP_TEXT,
  inventoryText,
  lookText,
  moveText,
  openText,
  takeText,
  transformText,
  useText,
} from './feedback.js';
import { showsGoalObject } from './goal-check.js';
import { CLEAN, COOL, HOT, type Dyn, type GameState } from './state.js';

export interface Transition {
  state: GameState;
  text: string;
}

export function withDyn(state: GameState, patch: Partial<Dyn>): GameState {
  return { world: state.world, goal: state.goal, dyn: { ...state.dyn, ...patch } };
}

/** Marks the goal object as found when receptacle `r` shows one. */
function noticeAt(state: GameState, r: number): GameState {
  if (state.dyn.found || !showsGoalObject(state, r)) return state;
  return withDyn(state, { found: true });
}

export function applyCommand(state: GameState, cmd: Command): Transition {
  const { dyn } = state;
  switch (cmd.verb) {
    case 'look':
      return { state, text: lookText(state) };
    case 'inventory':
      return { state, text: inventoryText(state) };
    case 'help':
      return { state, text: HELP_TEXT };
    case 'examine':
      return { state: noticeAt(state, cmd.r), text: describeReceptacle(state, cmd.r) };
    case 'examine-object':
      return { state, text: examineObjectText(state, cmd.o) };
    case 'go': {
      const s = noticeAt(withDyn(state, { location: cmd.r }), cmd.r);
      return { state: s, text: arriveText(s, cmd.r) };
    }
    case 'open': {
      const open = dyn.open.slice();
      open[cmd.r] = true;
      const s = noticeAt(withDyn(state, { open }), cmd.r);
      return { state: s, text: openText(s, cmd.r) };
    }
    case 'close': {
      const open = dyn.open.slice();
      open[cmd.r] = false;
      return { state: withDyn(state, { open }), text: closeText(state, cmd.r) };
    }
    case 'take': {
      const where = dyn.where.slice();
      where[cmd.o] = -1;
      const goalObject = state.world.objects[cmd.o]!.type === state.goal.object;
      const s = withDyn(state, {
        where,
        holding: cmd.o,
        found: dyn.found || goalObject,
        picked: dyn.picked || goalObject,
      });
      return { state: s, text: takeText(state, cmd.o, cmd.r) };
    }
    case 'move': {
      const where = dyn.where.slice();
      where[cmd.o] = cmd.r;
      return { state: withDyn(state, { where, holding: -1 }), text: moveText(state, cmd.o, cmd.r) };
    }
    case 'clean':
    case 'heat':
    case 'cool': {
      const flags = dyn.flags.slice();
      const f = flags[cmd.o]!;
      flags[cmd.o] = cmd.verb === 'clean' ? f | CLEAN : cmd.verb === 'heat' ? (f | HOT) & ~COOL : (f | COOL) & ~HOT;
      return { state: withDyn(state, { flags }), text: transformText(state, cmd.verb, cmd.o, cmd.r) };
    }
    case 'use': {
      const lit = dyn.lit.slice();
      lit[cmd.l] = !lit[cmd.l];
      return { state: withDyn(state, { lit }), text: useText(state, cmd.l, lit[cmd.l]!) };
    }
  }
}
