/**
 * The goal check and the progress diagnostics, as pure functions of the state.
 *
 * Success (the sparse reward 1) means:
 *  - pick_and_place: some goal-type object lies in/on a receptacle of the target type;
 *  - pick_clean/heat/cool_then_place: the same, with the object clean / hot / cool;
 *  - pick_two_obj_and_place: one receptacle of the target type holds two goal-type objects;
 *  - look_at_obj_in_light: the agent carries a goal-type object while standing where a lamp of
 *    the target type is switched on.
 *
 * `rewardComponents` reports, every step, 0/1 diagnostics that do NOT enter the reward:
 *  - found: a goal-type object has been seen (or picked up) at some point this episode;
 *  - picked: a goal-type object has been picked up at some point this episode;
 *  - transformed: some goal-type object is now clean/hot/cool as required (look: a lamp of the
 *    target type is on now); 1 for task types that need no transformation;
 *  - placed: the placement part holds now, ignoring the object's state (pick_two: two in one
 *    target; look: carrying a goal object at a lamp of the target type, on or off);
 *  - success: equals the reward (1 on the successful step, else 0).
 * @module
 */
import { CLEAN, COOL, HOT, type GameState, worldIndex } from './state.js';
import { taskTransform } from './task-types.js';

export interface GoalStatus {
  success: boolean;
  transformed: boolean;
  placed: boolean;
}

function requiredFlag(state: GameState): number {
  switch (taskTransform(state.goal.type)) {
    case 'clean':
      return CLEAN;
    case 'heat':
      return HOT;
    case 'cool':
      return COOL;
    default:
      return 0;
  }
}

export function evaluateGoal(state: GameState): GoalStatus {
  const { world, dyn, goal } = state;
  if (goal.type === 'look_at_obj_in_light') {
    let transformed = false;
    let placed = false;
    let success = false;
    const carrying = dyn.holding >= 0 && world.objects[dyn.holding]!.type === goal.object;
    for (let l = 0; l < world.lamps.length; l++) {
      const lamp = world.lamps[l]!;
      if (lamp.type !== goal.target) continue;
      const lit = dyn.lit[l] === true;
      const here = carrying && lamp.at === dyn.location;
      transformed ||= lit;
      placed ||= here;
      success ||= lit && here;
    }
    return { success, transformed, placed };
  }

  const recs = world.receptacles;
  const flag = requiredFlag(state);
  if (goal.type === 'pick_two_obj_and_place') {
    const counts = new Map<number, number>();
    let placed = false;
    for (let o = 0; o < world.objects.length; o++) {
      const r = dyn.where[o]!;
      if (r < 0 || world.objects[o]!.type !== goal.object || recs[r]!.type !== goal.target) continue;
      const c = (counts.get(r) ?? 0) + 1;
      counts.set(r, c);
      if (c >= 2) placed = true;
    }
    return { success: placed, transformed: true, placed };
  }

  let transformed = flag === 0;
  let placed = false;
  let success = false;
  for (let o = 0; o < world.objects.length; o++) {
    if (world.objects[o]!.type !== goal.object) continue;
    const ok = (dyn.flags[o]! & flag) === flag;
    const r = dyn.where[o]!;
    const inTarget = r >= 0 && recs[r]!.type === goal.target;
    transformed ||= ok;
    placed ||= inTarget;
    success ||= ok && inTarget;
  }
  return { success, transformed, placed };
}

/** Whether receptacle `r` (seen from the front) shows a goal-type object. */
export function showsGoalObject(state: GameState, r: number): boolean {
  const { world, dyn, goal } = state;
  if (worldIndex(world).openable[r] && !dyn.open[r]) return false;
  for (let o = 0; o < dyn.where.length; o++) if (dyn.where[o] === r && world.objects[o]!.type === goal.object) return true;
  return false;
}

export function rewardComponents(state: GameState, status: GoalStatus): Record<string, number> {
  return {
    found: state.dyn.found ? 1 : 0,
    picked: state.dyn.picked ? 1 : 0,
    transformed: status.transformed ? 1 : 0,
    placed: status.placed ? 1 : 0,
    success: status.success ? 1 : 0,
  };
}
