/**
 * Tasks, generated lazily and deterministically from (split, index): nothing is stored. A task
 * fixes the task type (index mod 6, so every split is balanced over the six types), the room
 * (kind and layout), the goal (object type, target type, phrasing) and which objects exist
 * (how many of the goal object, which distractor types). Where exactly the objects start is left
 * to the episode seed (world-gen.ts).
 *
 * Every task is solvable by construction: the target receptacle (or lamp) and the needed
 * appliance exist in the layout, and the goal object has a plausible starting spot other than the
 * target type.
 * @module
 */
import { Rng } from '../core/rng.js';
import { getLayout, layoutTypes, LAYOUTS_PER_KIND, SEEN_LAYOUTS, type Layout } from './layouts.js';
import { goalText, GOAL_TEMPLATES } from './goal-text.js';
import { objectInfo, type ObjectType } from './objects.js';
import { TRANSFORM_APPLIANCE, type LampType, type ReceptacleType } from './receptacles.js';
import { ROOM_OBJECTS, type RoomKind } from './rooms.js';
import { HOUSEHOLD_SPLITS, isHeldOutPair, isUnseenSplit, taskId, type HouseholdSplit } from './splits.js';
import { TASK_ROOM_KINDS, TASK_TYPES, taskTransform, type TaskType } from './task-types.js';

export interface HouseholdTask {
  id: string;
  split: HouseholdSplit;
  index: number;
  type: TaskType;
  roomKind: RoomKind;
  /** Layout key, e.g. `kitchen-7`. */
  layout: string;
  layoutId: number;
  object: ObjectType;
  /** Receptacle type, or lamp type for look_at_obj_in_light. */
  target: ReceptacleType | LampType;
  /** The goal sentence, e.g. "put a clean mug in coffeemachine." */
  goal: string;
  /** How many instances of the goal object exist. */
  objectCount: number;
  /** Other object types in the room and how many of each. */
  distractors: { type: ObjectType; count: number }[];
}

export interface GoalPair {
  object: ObjectType;
  target: ReceptacleType | LampType;
}

/** Receptacle types a goal of this task type must not target (placing there would be pointless). */
function excludedTargets(type: TaskType): ReadonlySet<ReceptacleType> {
  switch (taskTransform(type)) {
    case 'clean':
      return new Set<ReceptacleType>(['sinkbasin', 'bathtubbasin']);
    case 'heat':
      return new Set<ReceptacleType>(['microwave']);
    default:
      return new Set<ReceptacleType>();
  }
}

/** The lamp types present in a layout. */
export function layoutLamps(layout: Layout): LampType[] {
  const lamps: LampType[] = [];
  if (layout.desklamps.length > 0) lamps.push('desklamp');
  if (layout.furniture.some((f) => f.type === 'floorlamp')) lamps.push('floorlamp');
  return lamps;
}

const pairCache = new Map<string, readonly GoalPair[]>();

/** Every (object, target) pair a task of `type` could pose in `layout` (held-out or not). */
export function candidatePairs(type: TaskType, layout: Layout): GoalPair[] {
  const key = `${type}/${layout.key}`;
  let pairs = pairCache.get(key);
  if (pairs === undefined) pairCache.set(key, (pairs = computePairs(type, layout)));
  return pairs.slice();
}

function computePairs(type: TaskType, layout: Layout): GoalPair[] {
  const present = layoutTypes(layout);
  const transform = taskTransform(type);
  if (transform !== null && transform !== 'light' && !present.has(TRANSFORM_APPLIANCE[transform])) return [];
  const lamps = transform === 'light' ? layoutLamps(layout) : [];
  const excluded = excludedTargets(type);
  const pairs: GoalPair[] = [];
  for (const object of ROOM_OBJECTS[layout.kind]) {
    const info = objectInfo(object);
    if (transform === 'light' ? !info.look : transform !== null && !info[transform]) continue;
    const spots = (Object.keys(info.spots) as ReceptacleType[]).filter((t) => present.has(t));
    if (spots.length === 0) continue;
    if (transform === 'light') {
      for (const lamp of lamps) pairs.push({ object, target: lamp });
      continue;
    }
    if (spots.length < 2) continue; // the object needs a starting spot other than the target
    for (const target of spots) if (!excluded.has(target)) pairs.push({ object, target });
  }
  return pairs;
}

const taskCache = new Map<string, HouseholdTask>();

/** The task at `index` of `split` (validated by the caller: see resolveTaskRef). Memoized. */
export function getTask(split: HouseholdSplit, index: number): HouseholdTask {
  const id = taskId(split, index);
  let task = taskCache.get(id);
  if (!task) {
    task = buildTask(split, index);
    taskCache.set(id, task);
  }
  return task;
}

function buildTask(split: HouseholdSplit, index: number): HouseholdTask {
  if (!Number.isInteger(index) || index < 0 || index >= HOUSEHOLD_SPLITS[split]) {
    throw new RangeError(`task index ${index} out of range for split ${split}`);
  }
  const rng = new Rng(`household-v1/task/${split}/${index}`);
  const type = TASK_TYPES[index % TASK_TYPES.length] as TaskType;
  const unseen = isUnseenSplit(split);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const kind = rng.pick(TASK_ROOM_KINDS[type]);
    const layoutId = unseen ? rng.range(SEEN_LAYOUTS + 1, LAYOUTS_PER_KIND) : rng.range(1, SEEN_LAYOUTS);
    const layout = getLayout(kind, layoutId);
    const pairs = candidatePairs(type, layout).filter((p) => isHeldOutPair(p.object, p.target) === unseen);
    if (pairs.length === 0) continue;
    const { object, target } = rng.pick(pairs);
    const variant = rng.int(GOAL_TEMPLATES[type].length);
    const objectCount = type === 'pick_two_obj_and_place' ? rng.range(2, 3) : rng.range(1, 3);
    const present = layoutTypes(layout);
    const others = ROOM_OBJECTS[kind].filter(
      (o) => o !== object && Object.keys(objectInfo(o).spots).some((t) => present.has(t as ReceptacleType)),
    );
    const distractors = rng
      .sample(others, rng.range(3, 7))
      .sort()
      .map((o) => ({ type: o, count: rng.range(1, 2) }));
    return {
      id: taskId(split, index),
      split,
      index,
      type,
      roomKind: kind,
      layout: layout.key,
      layoutId,
      object,
      target,
      goal: goalText(type, object, target, variant),
      objectCount,
      distractors,
    };
  }
  throw new Error(`household-v1: could not generate task ${split}/${index} (no goal pair fits); this is a bug in the task tables`);
}

/**
 * Draws a task index of `split` from `rng`, restricted to the given task types (index mod 6 is
 * the task type).
 */
export function drawTaskIndex(rng: Rng, split: HouseholdSplit, types: readonly TaskType[]): number {
  const allowed = new Set(types.map((t) => TASK_TYPES.indexOf(t)));
  if (allowed.size === 0) throw new RangeError('drawTaskIndex needs at least one task type');
  const size = HOUSEHOLD_SPLITS[split];
  for (;;) {
    const index = rng.int(size);
    if (allowed.has(index % TASK_TYPES.length)) return index;
  }
}
