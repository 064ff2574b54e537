/**
 * One ALFWorld game (a `trial_*` directory: traj_data.json + the PDDL problem) into household-v1's
 * world state, or the reason it cannot be expressed. Nothing is guessed: a fact, a type or a
 * layout household-v1's rules do not model is a skip with its reason.
 *
 * From traj_data.json: `task_type` (ALFWorld's six), `pddl_params` (object_target,
 * parent_target, toggle_target, mrecep_target, object_sliced). From the PDDL :init facts:
 * receptacles (`receptacleType`), objects (`objectType`, `pickupable`), where each object lies
 * (`inReceptacle`), openable and opened receptacles, desk and floor lamps (`toggleable`, `isOn`),
 * and the per-object abilities (`cleanable`, `heatable`, `coolable`), which must agree with
 * household-v1's object catalog for the objects the goal is about.
 *
 * Mapping: the agent starts in the middle of the room (as in ALFWorld's text games); receptacles
 * are listed by type then number; a desklamp stands on the receptacle it is in; a floorlamp becomes
 * a place you can go to (household-v1's model of it). The goal sentence is household-v1's
 * phrasing of the same (type, object, target), which the expert and agents can read back.
 * @module
 */
import { hash32 } from '../../core/rng.js';
import { goalText } from '../goal-text.js';
import { isObjectType, objectInfo, type ObjectType } from '../objects.js';
import { isLampType, isReceptacleType, RECEPTACLE_INFO, type LampType, type ReceptacleType } from '../receptacles.js';
import type { RoomKind } from '../rooms.js';
import { CLEAN, COOL, HOT, type GameState, type Item, type Lamp, type Receptacle } from '../state.js';
import type { TaskType } from '../task-types.js';
import { displayNames, typeName } from './names.js';
import type { PddlProblem } from './pddl.js';

/** ALFWorld's task type names → household-v1's. */
export const ALFWORLD_TASK_TYPES: Readonly<Record<string, TaskType>> = {
  pick_and_place_simple: 'pick_and_place',
  look_at_obj_in_light: 'look_at_obj_in_light',
  pick_clean_then_place_in_recep: 'pick_clean_then_place',
  pick_heat_then_place_in_recep: 'pick_heat_then_place',
  pick_cool_then_place_in_recep: 'pick_cool_then_place',
  pick_two_obj_and_place: 'pick_two_obj_and_place',
};

/** Predicates of ALFWorld's domain that the initial state may hold and that change nothing here. */
const IGNORED = new Set(['atLocation', 'receptacleAtLocation', 'objectAtLocation', 'checked', 'examined', 'canContain', 'moveable', 'sliceable', 'wasInReceptacle', 'full', 'isReceptacleObject', 'isReceptacleObjectFull']);
/** Predicates read by the loader. */
const USED = new Set(['receptacleType', 'objectType', 'openable', 'opened', 'inReceptacle', 'pickupable', 'cleanable', 'heatable', 'coolable', 'toggleable', 'isOn', 'isToggled', 'isClean', 'isHot', 'isCool']);
/** Predicates whose presence in the initial state household-v1 cannot model. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  holds: 'the agent starts holding an object',
  holdsAny: 'the agent starts holding an object',
  holdsAnyReceptacleObject: 'the agent starts holding a receptacle object',
  inReceptacleObject: 'an object starts inside another object (household-v1 has no nested containers)',
  isSliced: 'an object starts sliced (household-v1 has no slicing)',
};

export interface TrajData {
  task_type: string;
  task_id?: string;
  pddl_params: { object_target: string; parent_target: string; toggle_target: string; mrecep_target: string; object_sliced: boolean };
  scene?: { floor_plan?: string; scene_num?: number };
}

export type GameVerdict = { ok: true; state: GameState; type: TaskType } | { ok: false; reason: string };

function skip(reason: string): GameVerdict {
  return { ok: false, reason };
}

/** The room kind of an AI2-THOR floor plan number (1-30 kitchens, 201-230 living rooms, 301-330 bedrooms, 401-430 bathrooms). */
export function roomKindOf(sceneNum: number | undefined, recTypes: ReadonlySet<string>): RoomKind {
  if (sceneNum !== undefined) {
    if (sceneNum >= 400) return 'bathroom';
    if (sceneNum >= 300) return 'bedroom';
    if (sceneNum >= 200) return 'livingroom';
    return 'kitchen';
  }
  if (recTypes.has('fridge')) return 'kitchen';
  if (recTypes.has('toilet')) return 'bathroom';
  if (recTypes.has('bed')) return 'bedroom';
  return 'livingroom';
}

/** Builds the world state of one game (see the module doc). `id` seeds the goal phrasing. */
export function gameFromAlfworld(traj: TrajData, problem: PddlProblem, id: string): GameVerdict {
  const type = ALFWORLD_TASK_TYPES[traj.task_type];
  if (type === undefined) return skip(`task type '${traj.task_type}' is not one of ALFWorld's six`);
  const p = traj.pddl_params;
  if (p.object_sliced) return skip('a sliced-object task (ALFWorld skips these too)');
  if (p.mrecep_target !== '') return skip(`a movable-receptacle task (object in a ${p.mrecep_target}; ALFWorld skips these too)`);
  const goalObject = p.object_target.toLowerCase();
  const goalTarget = (type === 'look_at_obj_in_light' ? p.toggle_target : p.parent_target).toLowerCase();
  if (!isObjectType(goalObject)) return skip(`the goal object type '${goalObject}' is not in household-v1's object catalog`);
  if (type === 'look_at_obj_in_light' ? !isLampType(goalTarget) : !isReceptacleType(goalTarget)) return skip(`the goal target '${goalTarget}' is not a household-v1 ${type === 'look_at_obj_in_light' ? 'lamp' : 'receptacle'} type`);

  const by = new Map<string, string[][]>();
  for (const f of problem.facts) {
    const pred = f[0]!;
    if (UNSUPPORTED[pred] !== undefined) return skip(`${UNSUPPORTED[pred]} (PDDL fact ${pred})`);
    if (!USED.has(pred) && !IGNORED.has(pred)) return skip(`PDDL predicate '${pred}' is not in ALFWorld's domain as this loader knows it`);
    let list = by.get(pred);
    if (!list) by.set(pred, (list = []));
    list.push(f.slice(1));
  }
  const has = (pred: string) => new Set((by.get(pred) ?? []).map((a) => a[0]!));
  const recType = new Map<string, string>();
  for (const [r, t] of by.get('receptacleType') ?? []) recType.set(r!, typeName(t!));
  const objType = new Map<string, string>();
  for (const [o, t] of by.get('objectType') ?? []) objType.set(o!, typeName(t!));
  const openable = has('openable');
  const opened = has('opened');
  const pickupable = has('pickupable');
  const toggleable = has('toggleable');
  const lit = new Set([...has('isOn'), ...has('isToggled')]);
  const ability = { clean: has('cleanable'), heat: has('heatable'), cool: has('coolable') };
  const state = { clean: has('isClean'), hot: has('isHot'), cool: has('isCool') };
  const inRec = new Map<string, string[]>();
  for (const [o, r] of by.get('inReceptacle') ?? []) inRec.set(o!, [...(inRec.get(o!) ?? []), r!]);

  // Receptacles (floorlamps are added as places below).
  for (const [r, t] of recType) {
    if (!isReceptacleType(t)) return skip(`receptacle type '${t}' (${r.split('_bar_')[0]}) is not one household-v1 has`);
    if (openable.has(r) !== RECEPTACLE_INFO[t].openable) return skip(`receptacle ${t} is ${openable.has(r) ? '' : 'not '}openable in the PDDL but ${RECEPTACLE_INFO[t].openable ? '' : 'not '}in household-v1`);
  }
  const lampIds = [...objType].filter(([o, t]) => toggleable.has(o) && isLampType(t)).map(([o]) => o);
  const floorlamps = lampIds.filter((o) => objType.get(o) === 'floorlamp');
  const placeType = new Map<string, string>([...recType, ...floorlamps.map((o) => [o, 'floorlamp'] as [string, string])]);
  const recNames = displayNames(placeType);
  const recIds = [...placeType.keys()].sort((a, b) => {
    const [ta, na] = splitName(recNames.get(a)!);
    const [tb, nb] = splitName(recNames.get(b)!);
    return ta < tb ? -1 : ta > tb ? 1 : na - nb;
  });
  const recIndex = new Map(recIds.map((r, i) => [r, i]));
  const receptacles: Receptacle[] = recIds.map((r) => ({ name: recNames.get(r)!, type: placeType.get(r) as ReceptacleType }));

  // Objects: pickupable things in a receptacle. Other objects are part of the scenery.
  const itemIds: string[] = [];
  for (const [o, t] of objType) {
    if (lampIds.includes(o)) continue;
    const places = (inRec.get(o) ?? []).filter((r) => recIndex.has(r));
    if (!pickupable.has(o)) {
      if (places.length > 0 && !isObjectType(t)) return skip(`'${t}' lies in a receptacle but is neither pickupable nor a lamp: household-v1 cannot show it`);
      continue;
    }
    if (!isObjectType(t)) return skip(`object type '${t}' is not in household-v1's object catalog`);
    if (places.length === 0) {
      if ((inRec.get(o) ?? []).length > 0) return skip(`${t} lies in ${inRec.get(o)![0]!.split('_bar_')[0]}, which is not a receptacle household-v1 can show`);
      continue; // not in any receptacle: not reachable in the text game either
    }
    if (t === goalObject) {
      const info = objectInfo(t);
      for (const k of ['clean', 'heat', 'cool'] as const) {
        if (ability[k].has(o) !== info[k]) return skip(`the PDDL says this ${t} is ${ability[k].has(o) ? '' : 'not '}${k}able, household-v1's rules say every ${t} is ${info[k] ? '' : 'not '}${k}able`);
      }
    }
    itemIds.push(o);
  }
  const itemNames = displayNames(new Map(itemIds.map((o) => [o, objType.get(o)!])));
  itemIds.sort((a, b) => {
    const [ta, na] = splitName(itemNames.get(a)!);
    const [tb, nb] = splitName(itemNames.get(b)!);
    return ta < tb ? -1 : ta > tb ? 1 : na - nb;
  });
  const objects: Item[] = itemIds.map((o) => ({ name: itemNames.get(o)!, type: objType.get(o) as ObjectType }));

  // Lamps.
  const lampNames = displayNames(new Map(lampIds.map((o) => [o, objType.get(o)!])));
  const lamps: Lamp[] = [];
  const lampLit: boolean[] = [];
  for (const l of lampIds.sort()) {
    const t = objType.get(l) as LampType;
    const at = t === 'floorlamp' ? recIndex.get(l) : (inRec.get(l) ?? []).map((r) => recIndex.get(r)).find((i) => i !== undefined);
    if (at === undefined) return skip(`${lampNames.get(l)} stands on nothing household-v1 can show`);
    lamps.push({ name: lampNames.get(l)!, type: t, at });
    lampLit.push(lit.has(l));
  }

  const goalTargetExists = type === 'look_at_obj_in_light' ? lamps.some((l) => l.type === goalTarget) : receptacles.some((r) => r.type === goalTarget);
  if (!goalTargetExists) return skip(`no ${goalTarget} in the room`);
  const needed = type === 'pick_two_obj_and_place' ? 2 : 1;
  if (objects.filter((o) => o.type === goalObject).length < needed) return skip(`fewer than ${needed} reachable ${goalObject} in the room`);

  const flags = itemIds.map((o) => (state.clean.has(o) ? CLEAN : 0) | (state.hot.has(o) ? HOT : 0) | (state.cool.has(o) ? COOL : 0));
  const game: GameState = {
    world: { roomKind: roomKindOf(traj.scene?.scene_num, new Set(recType.values())), layout: `alfworld:${traj.scene?.floor_plan ?? id}`, receptacles, objects, lamps },
    goal: { type, object: goalObject, target: goalTarget as ReceptacleType | LampType, text: goalText(type, goalObject, goalTarget, hash32(`alfworld-goal/${id}`)) },
    dyn: {
      location: -1,
      holding: -1,
      where: itemIds.map((o) => recIndex.get((inRec.get(o) ?? []).find((r) => recIndex.has(r))!)!),
      flags,
      open: recIds.map((r) => opened.has(r)),
      lit: lampLit,
      found: false,
      picked: false,
      done: false,
    },
  };
  return { ok: true, state: game, type };
}

function splitName(name: string): [string, number] {
  const m = /^(.*) (\d+)$/.exec(name);
  return m ? [m[1]!, Number(m[2])] : [name, 0];
}
