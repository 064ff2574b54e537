/**
 * The six ALFWorld task types and what each one asks for.
 * @module
 */
import type { Transform } from './receptacles.js';
import type { RoomKind } from './rooms.js';

export const TASK_TYPES = [
  'pick_and_place',
  'look_at_obj_in_light',
  'pick_clean_then_place',
  'pick_heat_then_place',
  'pick_cool_then_place',
  'pick_two_obj_and_place',
] as const;

export type TaskType = (typeof TASK_TYPES)[number];

export function isTaskType(s: string): s is TaskType {
  return (TASK_TYPES as readonly string[]).includes(s);
}

/** The change the object must undergo before it is placed; `light` = a lamp of the goal's type is on. */
export function taskTransform(type: TaskType): Transform | 'light' | null {
  switch (type) {
    case 'pick_clean_then_place':
      return 'clean';
    case 'pick_heat_then_place':
      return 'heat';
    case 'pick_cool_then_place':
      return 'cool';
    case 'look_at_obj_in_light':
      return 'light';
    default:
      return null;
  }
}

/** How many objects must end up in the target. */
export function taskCount(type: TaskType): 1 | 2 {
  return type === 'pick_two_obj_and_place' ? 2 : 1;
}

/** Room kinds where a task type can be posed (the appliance or lamp must exist there). */
export const TASK_ROOM_KINDS: Readonly<Record<TaskType, readonly RoomKind[]>> = {
  pick_and_place: ['kitchen', 'livingroom', 'bedroom', 'bathroom'],
  look_at_obj_in_light: ['livingroom', 'bedroom'],
  pick_clean_then_place: ['kitchen', 'kitchen', 'bathroom'],
  pick_heat_then_place: ['kitchen'],
  pick_cool_then_place: ['kitchen'],
  pick_two_obj_and_place: ['kitchen', 'livingroom', 'bedroom', 'bathroom'],
};
