/**
 * The feedback texts, in ALFWorld's words: what the agent reads after each command.
 * Pure functions of the state; no state changes here.
 * @module
 */
import { CLEAN, COOL, HOT, isAccessible, worldIndex, type GameState } from './state.js';

export const NOTHING_HAPPENS = 'Nothing happens.';
export const WELCOME = '-= Welcome to TextWorld, ALFRED! =-';

/** "a mug 1", "a mug 1, and a cup 2", "a mug 1, a cup 2, and a fork 1" or "nothing". */
export function listText(names: readonly string[]): string {
  if (names.length === 0) return 'nothing';
  if (names.length === 1) return `a ${names[0]}`;
  const head = names.slice(0, -1).map((n) => `a ${n}`);
  return `${head.join(', ')}, and a ${names[names.length - 1]}`;
}

/** Names of what is visibly on/in receptacle `r`: its desklamps, then its objects. */
export function contentsOf(state: GameState, r: number): string[] {
  const { world, dyn } = state;
  const names: string[] = [];
  for (const l of worldIndex(world).lampsAt[r] ?? []) {
    const lamp = world.lamps[l];
    if (lamp && lamp.type === 'desklamp') names.push(lamp.name);
  }
  for (let o = 0; o < dyn.where.length; o++) if (dyn.where[o] === r) names.push(world.objects[o]!.name);
  return names;
}

function lampState(state: GameState, r: number): string {
  const name = state.world.receptacles[r]!.name;
  const lamp = worldIndex(state.world).lampsAt[r]?.[0];
  const on = lamp !== undefined && state.dyn.lit[lamp] === true;
  return `The ${name} is turned ${on ? 'on' : 'off'}.`;
}

/** What is seen of receptacle `r` from in front of it (used by go to and examine). */
export function describeReceptacle(state: GameState, r: number): string {
  const rec = state.world.receptacles[r]!;
  if (rec.type === 'floorlamp') return lampState(state, r);
  if (worldIndex(state.world).openable[r]) {
    if (!isAccessible(state, r)) return `The ${rec.name} is closed.`;
    return `The ${rec.name} is open. In it, you see ${listText(contentsOf(state, r))}.`;
  }
  return `On the ${rec.name}, you see ${listText(contentsOf(state, r))}.`;
}

export function arriveText(state: GameState, r: number): string {
  return `You arrive at ${state.world.receptacles[r]!.name}. ${describeReceptacle(state, r)}`;
}

export function openText(state: GameState, r: number): string {
  const name = state.world.receptacles[r]!.name;
  return `You open the ${name}. The ${name} is open. In it, you see ${listText(contentsOf(state, r))}.`;
}

export function closeText(state: GameState, r: number): string {
  return `You close the ${state.world.receptacles[r]!.name}.`;
}

export function takeText(state: GameState, o: number, r: number): string {
  return `You pick up the ${state.world.objects[o]!.name} from the ${state.world.receptacles[r]!.name}.`;
}

export function moveText(state: GameState, o: number, r: number): string {
  return `You move the ${state.world.objects[o]!.name} to the ${state.world.receptacles[r]!.name}.`;
}

export function transformText(state: GameState, verb: 'clean' | 'heat' | 'cool', o: number, r: number): string {
  return `You ${verb} the ${state.world.objects[o]!.name} using the ${state.world.receptacles[r]!.name}.`;
}

export function useText(state: GameState, l: number, on: boolean): string {
  return `You turn ${on ? 'on' : 'off'} the ${state.world.lamps[l]!.name}.`;
}

export function inventoryText(state: GameState): string {
  const o = state.dyn.holding;
  return o < 0 ? 'You are not carrying anything.' : `You are carrying: ${listText([state.world.objects[o]!.name])}.`;
}

/** The room overview (cached per world: it never changes). */
const roomTextCache = new WeakMap<object, string>();
export function lookText(state: GameState): string {
  const r = state.dyn.location;
  if (r >= 0) return `You are facing the ${state.world.receptacles[r]!.name}. Next to it, you see nothing.`;
  let text = roomTextCache.get(state.world);
  if (text === undefined) {
    text = `You are in the middle of a room. Looking quickly around you, you see ${listText(state.world.receptacles.map((x) => x.name))}.`;
    roomTextCache.set(state.world, text);
  }
  return text;
}

export function examineObjectText(state: GameState, o: number): string {
  const name = state.world.objects[o]!.name;
  const f = state.dyn.flags[o] ?? 0;
  const states = [f & HOT ? 'hot' : '', f & COOL ? 'cool' : '', f & CLEAN ? 'clean' : ''].filter(Boolean);
  if (states.length === 0) return `There's nothing special about ${name}.`;
  return `This is a ${states.join(' and ')} ${name}.`;
}

export const HELP_TEXT = [
  'Available commands:',
  '  look:                             look around you',
  '  inventory:                        check what you are carrying',
  '  go to (receptacle):               move to a receptacle',
  '  open (receptacle):                open a receptacle',
  '  close (receptacle):               close a receptacle',
  '  take (object) from (receptacle):  pick up an object from a receptacle',
  '  move (object) to (receptacle):    put the object you carry in or on a receptacle',
  '  examine (something):              examine the receptacle you are at or the object you carry',
  '  use (lamp):                       switch a desklamp or floorlamp on or off',
  '  heat (object) with (receptacle):  heat an object with a microwave',
  '  clean (object) with (receptacle): clean an object with a sinkbasin',
  '  cool (object) with (receptacle):  cool an object with a fridge',
].join('\n');

export function introText(state: GameState): string {
  return `${WELCOME}\n\n${lookText(state)}\n\nYour task is to: ${state.goal.text}`;
}
