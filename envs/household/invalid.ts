/**
 * Why a well-formed command with known names does not apply now, in words the agent can act on
 * ("The fridge 1 is closed: open it first."). Used for `info.invalid.message`; the observation
 * itself stays ALFWorld's "Nothing happens.".
 * @module
 */
import type { SyntaxVerb } from './parser.js';
import { objectInfo } from './objects.js';
import { RECEPTACLE_INFO, TRANSFORM_APPLIANCE } from './receptacles.js';
import { isAccessible, type EntityRef, type GameState } from './state.js';

function nameOf(state: GameState, ref: EntityRef): string {
  const { world } = state;
  if (ref.kind === 'receptacle') return world.receptacles[ref.index]!.name;
  if (ref.kind === 'object') return world.objects[ref.index]!.name;
  return world.lamps[ref.index]!.name;
}

function notHere(state: GameState, r: number): string | null {
  const loc = state.dyn.location;
  if (loc === r) return null;
  const name = state.world.receptacles[r]!.name;
  if (loc < 0) return `You are not at the ${name}: go to ${name} first.`;
  return `You are at the ${state.world.receptacles[loc]!.name}, not at the ${name}: go to ${name} first.`;
}

function notReceptacle(state: GameState, ref: EntityRef): string {
  const name = nameOf(state, ref);
  if (ref.kind === 'lamp') {
    const host = state.world.receptacles[state.world.lamps[ref.index]!.at]!.name;
    return `The ${name} is not a receptacle; it stands on the ${host}.`;
  }
  return `The ${name} is an object, not a receptacle.`;
}

function notCarried(state: GameState, o: number): string | null {
  const held = state.dyn.holding;
  if (held === o) return null;
  const name = state.world.objects[o]!.name;
  if (held < 0) return `You are not carrying the ${name}: take it first.`;
  return `You are carrying the ${state.world.objects[held]!.name}, not the ${name}.`;
}

function notObject(state: GameState, ref: EntityRef): string {
  const name = nameOf(state, ref);
  if (ref.kind === 'lamp') return `The ${name} is fixed in place: it cannot be picked up or carried.`;
  return `The ${name} is a receptacle: it cannot be picked up or carried.`;
}

const PARTICIPLE = { clean: 'cleaned', heat: 'heated', cool: 'cooled' } as const;

/** The reason `verb names…` (resolved to `refs`) is not admissible in `state`. */
export function explainNotAdmissible(state: GameState, verb: SyntaxVerb, refs: EntityRef[]): string {
  const { world, dyn } = state;
  const [a, b] = refs as [EntityRef, EntityRef];
  switch (verb) {
    case 'go':
      if (a.kind !== 'receptacle') {
        if (a.kind === 'lamp') {
          const host = world.receptacles[world.lamps[a.index]!.at]!.name;
          return `The ${nameOf(state, a)} stands on the ${host}: go to ${host} instead.`;
        }
        return `You cannot go to the ${nameOf(state, a)}: go to the receptacle it is in or on.`;
      }
      if (dyn.location === a.index) return `You are already at the ${nameOf(state, a)}.`;
      break;
    case 'open':
    case 'close': {
      if (a.kind !== 'receptacle') return `The ${nameOf(state, a)} cannot be opened or closed.`;
      const name = nameOf(state, a);
      if (!RECEPTACLE_INFO[world.receptacles[a.index]!.type].openable) return `The ${name} cannot be opened or closed.`;
      const away = notHere(state, a.index);
      if (away) return away;
      if (verb === 'open' && dyn.open[a.index]) return `The ${name} is already open.`;
      if (verb === 'close' && !dyn.open[a.index]) return `The ${name} is already closed.`;
      break;
    }
    case 'take': {
      if (a.kind !== 'object') return notObject(state, a);
      if (b.kind !== 'receptacle') return notReceptacle(state, b);
      const obj = nameOf(state, a);
      const rec = nameOf(state, b);
      if (dyn.holding === a.index) return `You are already carrying the ${obj}.`;
      if (dyn.holding >= 0) {
        return `You are already carrying the ${world.objects[dyn.holding]!.name}: move it to a receptacle first (you carry one object at a time).`;
      }
      const away = notHere(state, b.index);
      if (away) return away;
      if (!isAccessible(state, b.index)) return `The ${rec} is closed: open it first.`;
      if (dyn.where[a.index] !== b.index) return `There is no ${obj} in or on the ${rec}.`;
      break;
    }
    case 'move': {
      if (a.kind !== 'object') return notObject(state, a);
      if (b.kind !== 'receptacle') return notReceptacle(state, b);
      const carried = notCarried(state, a.index);
      if (carried) return carried;
      const rec = nameOf(state, b);
      if (!RECEPTACLE_INFO[world.receptacles[b.index]!.type].holds) return `Nothing can be put in or on the ${rec}.`;
      const away = notHere(state, b.index);
      if (away) return away;
      if (!isAccessible(state, b.index)) return `The ${rec} is closed: open it first.`;
      break;
    }
    case 'clean':
    case 'heat':
    case 'cool': {
      const appliance = TRANSFORM_APPLIANCE[verb];
      if (b.kind !== 'receptacle' || world.receptacles[b.index]!.type !== appliance) {
        return `You can only ${verb} things with a ${appliance}.`;
      }
      if (a.kind !== 'object') return notObject(state, a);
      if (!objectInfo(world.objects[a.index]!.type)[verb]) return `The ${nameOf(state, a)} cannot be ${PARTICIPLE[verb]}.`;
      const carried = notCarried(state, a.index);
      if (carried) return carried;
      const away = notHere(state, b.index);
      if (away) return away;
      break;
    }
    case 'use': {
      const lampHere = a.kind === 'receptacle' ? world.lamps.findIndex((l) => l.at === a.index && l.type === 'floorlamp') : -1;
      if (lampHere >= 0) return notHere(state, a.index) ?? 'That command does not apply now.';
      if (a.kind !== 'lamp') return `Only a desklamp or a floorlamp can be used; the ${nameOf(state, a)} cannot.`;
      const at = world.lamps[a.index]!.at;
      if (dyn.location !== at) {
        const host = world.receptacles[at]!.name;
        return world.lamps[a.index]!.type === 'desklamp'
          ? `You are not at the ${nameOf(state, a)}: it stands on the ${host}, go to ${host} first.`
          : `You are not at the ${host}: go to ${host} first.`;
      }
      break;
    }
    case 'examine':
      if (a.kind === 'receptacle') return notHere(state, a.index) ?? 'That command does not apply now.';
      if (a.kind === 'object') return `You can only examine an object you carry: take the ${nameOf(state, a)} first.`;
      return `To see the ${nameOf(state, a)}, examine the receptacle it stands on.`;
    default:
      break;
  }
  return 'That command does not apply now.';
}
