/**
 * Builds the initial game state of an episode from (task, seed, difficulty). The task fixes the
 * room layout, the goal and which objects exist; the seed decides where each object starts (among
 * its plausible spots, weighted by the catalog) and the order objects are listed in; the
 * difficulty may drop receptacles the task does not need. Goal objects never start in a
 * receptacle of the goal's target type, so no task is solved at reset.
 * @module
 */
import { Rng } from '../core/rng.js';
import { DIFFICULTY_LIMITS, type Difficulty } from './difficulty.js';
import { getLayout } from './layouts.js';
import { spotWeight, type ObjectType } from './objects.js';
import { TRANSFORM_APPLIANCE, type ReceptacleType } from './receptacles.js';
import type { Dyn, GameState, Item, Lamp, Receptacle, World } from './state.js';
import type { HouseholdTask } from './tasks.js';
import { taskTransform } from './task-types.js';

interface Instance {
  type: ReceptacleType;
  /** Number in the full layout. */
  n: number;
}

const key = (i: Instance) => `${i.type} ${i.n}`;

export function buildInitialState(task: HouseholdTask, seed: number, difficulty: Difficulty = 'full'): GameState {
  const rng = new Rng(`household-v1/world/${task.id}/${seed}/${difficulty}`);
  const layout = getLayout(task.roomKind, task.layoutId);
  const limits = DIFFICULTY_LIMITS[difficulty];
  const lookTask = task.type === 'look_at_obj_in_light';

  let instances: Instance[] = layout.furniture.flatMap((f) => Array.from({ length: f.count }, (_, i) => ({ type: f.type, n: i + 1 })));
  if (limits.maxReceptacles !== null && instances.length > limits.maxReceptacles) {
    instances = capReceptacles(instances, task, layout.desklamps, limits.maxReceptacles, rng);
  }

  // Renumber the kept instances 1..k per type, in layout order.
  const renumber = new Map<string, number>();
  const perType = new Map<ReceptacleType, number>();
  for (const inst of instances) {
    const n = (perType.get(inst.type) ?? 0) + 1;
    perType.set(inst.type, n);
    renumber.set(key(inst), n);
  }
  const receptacles: Receptacle[] = instances.map((i) => ({ type: i.type, name: `${i.type} ${renumber.get(key(i))}` }));
  const indexOfKey = new Map(instances.map((inst, i) => [key(inst), i]));

  const lamps: Lamp[] = [];
  for (const host of layout.desklamps) {
    const at = indexOfKey.get(key(host));
    if (at !== undefined) lamps.push({ name: `desklamp ${lamps.filter((l) => l.type === 'desklamp').length + 1}`, type: 'desklamp', at });
  }
  receptacles.forEach((r, at) => {
    if (r.type === 'floorlamp') lamps.push({ name: r.name, type: 'floorlamp', at });
  });

  // Objects: the goal object's instances, then the distractors.
  const wanted: { type: ObjectType; goal: boolean }[] = [];
  for (let i = 0; i < task.objectCount; i++) wanted.push({ type: task.object, goal: true });
  let distractors = task.distractors;
  if (limits.maxDistractorTypes !== null && distractors.length > limits.maxDistractorTypes) {
    distractors = rng.sample(distractors, limits.maxDistractorTypes).sort((a, b) => (a.type < b.type ? -1 : 1));
  }
  for (const d of distractors) for (let i = 0; i < d.count; i++) wanted.push({ type: d.type, goal: false });

  const placed: { item: Item; at: number }[] = [];
  const numbers = new Map<ObjectType, number>();
  const weightsFor = new Map<string, number[]>();
  for (const w of wanted) {
    const cacheKey = `${w.type}:${w.goal}`;
    let weights = weightsFor.get(cacheKey);
    if (!weights) {
      weights = receptacles.map((r) => {
        if (w.goal && !lookTask && r.type === task.target) return 0;
        return spotWeight(w.type, r.type) / (perType.get(r.type) ?? 1);
      });
      weightsFor.set(cacheKey, weights);
    }
    if (!weights.some((x) => x > 0)) {
      if (w.goal) throw new Error(`household-v1: task ${task.id} has no starting spot for ${w.type}; this is a bug`);
      continue;
    }
    const n = (numbers.get(w.type) ?? 0) + 1;
    numbers.set(w.type, n);
    placed.push({ item: { name: `${w.type} ${n}`, type: w.type }, at: pickWeighted(rng, weights) });
  }
  const order = rng.shuffle(placed);

  const world: World = {
    roomKind: task.roomKind,
    layout: layout.key,
    receptacles,
    objects: order.map((p) => p.item),
    lamps,
  };
  const dyn: Dyn = {
    location: -1,
    holding: -1,
    where: order.map((p) => p.at),
    flags: order.map(() => 0),
    open: receptacles.map(() => false),
    lit: lamps.map(() => false),
    found: false,
    picked: false,
    done: false,
  };
  return { world, goal: { type: task.type, object: task.object, target: task.target, text: task.goal }, dyn };
}

/** Keeps the receptacles the task needs, then fills up to `max` with others, in layout order. */
function capReceptacles(
  instances: Instance[],
  task: HouseholdTask,
  desklamps: readonly Instance[],
  max: number,
  rng: Rng,
): Instance[] {
  const keep = new Set<string>();
  const ofType = (t: string) => instances.filter((i) => i.type === t);
  const transform = taskTransform(task.type);
  if (transform === 'light') {
    const hosts = task.target === 'desklamp' ? desklamps : ofType('floorlamp');
    keep.add(key(rng.pick(hosts)));
  } else {
    keep.add(key(rng.pick(ofType(task.target))));
    if (transform !== null) keep.add(key(rng.pick(ofType(TRANSFORM_APPLIANCE[transform]))));
  }
  const spawn = instances.filter((i) => spotWeight(task.object, i.type) > 0 && (transform === 'light' || i.type !== task.target));
  keep.add(key(spawn[pickWeighted(rng, spawn.map((i) => spotWeight(task.object, i.type)))] as Instance));
  for (const inst of rng.shuffle(instances)) {
    if (keep.size >= max) break;
    keep.add(key(inst));
  }
  return instances.filter((i) => keep.has(key(i)));
}

/** An index drawn with probability proportional to its weight; never one of weight 0. */
function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const i = rng.weighted(weights);
  if ((weights[i] ?? 0) > 0) return i;
  // Rounding can carry the draw past the end: fall back to the last positive weight.
  for (let j = weights.length - 1; j >= 0; j--) if ((weights[j] ?? 0) > 0) return j;
  throw new RangeError('pickWeighted needs a positive weight');
}
