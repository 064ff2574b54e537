import { describe, expect, it } from 'vitest';
import { UnknownTaskError } from '../../../envs/core/errors.js';
import { DIFFICULTIES, DIFFICULTY_LIMITS } from '../../../envs/household/difficulty.js';
import { evaluateGoal } from '../../../envs/household/goal-check.js';
import { goalText, GOAL_TEMPLATES, parseGoalText } from '../../../envs/household/goal-text.js';
import { getLayout, isUnseenLayout, LAYOUTS_PER_KIND } from '../../../envs/household/layouts.js';
import { objectInfo, spotWeight } from '../../../envs/household/objects.js';
import { RECEPTACLE_INFO, TRANSFORM_APPLIANCE } from '../../../envs/household/receptacles.js';
import { ROOM_KINDS } from '../../../envs/household/rooms.js';
import { HOUSEHOLD_SPLITS, isHeldOutPair, resolveTaskRef, SPLIT_NAMES, taskId } from '../../../envs/household/splits.js';
import { getTask } from '../../../envs/household/tasks.js';
import { TASK_TYPES, taskTransform } from '../../../envs/household/task-types.js';
import { buildInitialState } from '../../../envs/household/world-gen.js';

describe('splits and task ids', () => {
  it('are sized like ALFWorld', () => {
    expect(HOUSEHOLD_SPLITS).toEqual({ train: 3553, valid_seen: 140, valid_unseen: 134 });
  });

  it('name tasks household/<split>/<5 digits> and resolve every reference form', () => {
    expect(taskId('train', 42)).toBe('household/train/00042');
    expect(resolveTaskRef('household/train/00042')).toEqual({ split: 'train', index: 42 });
    expect(resolveTaskRef({ id: 'household/valid_seen/00139' })).toEqual({ split: 'valid_seen', index: 139 });
    expect(resolveTaskRef({ split: 'valid_unseen', index: 0 })).toEqual({ split: 'valid_unseen', index: 0 });
  });

  it.each([
    ['household/train/03553'],
    ['household/test/00001'],
    ['train/1'],
    [{ split: 'train', index: -1 }],
    [{ split: 'train', index: 1.5 }],
    [{ split: 'nope', index: 0 }],
    [{ id: 'household/valid_unseen/00134' }],
  ])('rejects %j with UnknownTaskError naming the valid ranges', (ref) => {
    expect(() => resolveTaskRef(ref as never)).toThrow(UnknownTaskError);
    expect(() => resolveTaskRef(ref as never)).toThrow(/train \(0\.\.3552\), valid_seen \(0\.\.139\), valid_unseen \(0\.\.133\)/);
  });
});

describe('task generation', () => {
  it('is deterministic and balanced over the six task types', () => {
    expect(getTask('train', 7)).toEqual(getTask('train', 7));
    const counts = new Map<string, number>();
    for (let i = 0; i < HOUSEHOLD_SPLITS.valid_seen; i++) {
      const t = getTask('valid_seen', i);
      counts.set(t.type, (counts.get(t.type) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...TASK_TYPES].sort());
    for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(23);
  });

  it('poses only valid combinations: the right properties, rooms and targets', () => {
    for (const split of SPLIT_NAMES) {
      for (let i = 0; i < HOUSEHOLD_SPLITS[split]; i += split === 'train' ? 7 : 1) {
        const t = getTask(split, i);
        const info = objectInfo(t.object);
        const layout = getLayout(t.roomKind, t.layoutId);
        const types = new Set(layout.furniture.map((f) => f.type));
        const change = taskTransform(t.type);
        if (change === 'light') {
          expect(info.look).toBe(true);
          expect(t.target === 'desklamp' ? layout.desklamps.length > 0 : types.has('floorlamp')).toBe(true);
        } else {
          expect(types.has(t.target as never)).toBe(true);
          expect(spotWeight(t.object, t.target as never)).toBeGreaterThan(0);
          if (change !== null) {
            expect(info[change]).toBe(true);
            expect(types.has(TRANSFORM_APPLIANCE[change])).toBe(true);
          }
        }
        expect(parseGoalText(t.goal)).toEqual({ type: t.type, object: t.object, target: t.target });
      }
    }
  });

  it('goal sentences read back for every phrasing', () => {
    expect(goalText('pick_clean_then_place', 'mug', 'coffeemachine')).toBe('put a clean mug in coffeemachine.');
    expect(goalText('look_at_obj_in_light', 'bowl', 'desklamp')).toBe('look at bowl under the desklamp.');
    expect(goalText('pick_two_obj_and_place', 'cellphone', 'sofa')).toBe('put two cellphone in sofa.');
    expect(goalText('pick_heat_then_place', 'egg', 'countertop', 1)).toBe('heat some egg and put it in countertop.');
    expect(goalText('pick_cool_then_place', 'apple', 'fridge', 1)).toBe('cool some apple and put it in fridge.');
    for (const type of TASK_TYPES) {
      const target = type === 'look_at_obj_in_light' ? 'floorlamp' : 'shelf';
      for (let v = 0; v < GOAL_TEMPLATES[type].length; v++) {
        expect(parseGoalText(`Your task is to: ${goalText(type, 'book', target, v)}`)).toEqual({ type, object: 'book', target });
      }
    }
    expect(parseGoalText('make me a sandwich.')).toBeNull();
  });
});

describe('valid_unseen is unseen', () => {
  it('uses layouts and (object, target) pairings that train never uses', () => {
    const trainLayouts = new Set<string>();
    const trainPairs = new Set<string>();
    for (let i = 0; i < HOUSEHOLD_SPLITS.train; i++) {
      const t = getTask('train', i);
      trainLayouts.add(t.layout);
      trainPairs.add(`${t.object}>${t.target}`);
      expect(isUnseenLayout(t.layoutId)).toBe(false);
      expect(isHeldOutPair(t.object, t.target)).toBe(false);
    }
    const unseenPairs = new Set<string>();
    for (let i = 0; i < HOUSEHOLD_SPLITS.valid_unseen; i++) {
      const t = getTask('valid_unseen', i);
      expect(trainLayouts.has(t.layout)).toBe(false);
      expect(trainPairs.has(`${t.object}>${t.target}`)).toBe(false);
      unseenPairs.add(`${t.object}>${t.target}`);
    }
    expect(unseenPairs.size).toBeGreaterThan(20); // a real variety, not one held-out pair
    for (let i = 0; i < HOUSEHOLD_SPLITS.valid_seen; i++) {
      const t = getTask('valid_seen', i);
      expect(isUnseenLayout(t.layoutId)).toBe(false);
      expect(isHeldOutPair(t.object, t.target)).toBe(false);
    }
  });

  it('layouts are fixed per id and every room kind has held-out ones', () => {
    expect(getLayout('kitchen', 3)).toBe(getLayout('kitchen', 3));
    expect(isUnseenLayout(1)).toBe(false);
    expect(isUnseenLayout(LAYOUTS_PER_KIND)).toBe(true);
    for (const kind of ROOM_KINDS) expect(getLayout(kind, LAYOUTS_PER_KIND).furniture.length).toBeGreaterThan(3);
  });
});

describe('world generation', () => {
  it('is a pure function of (task, seed, difficulty); the seed moves objects', () => {
    const task = getTask('train', 11);
    expect(buildInitialState(task, 5)).toEqual(buildInitialState(task, 5));
    const worlds = new Set([0, 1, 2, 3, 4].map((s) => JSON.stringify(buildInitialState(task, s).dyn.where)));
    expect(worlds.size).toBeGreaterThan(1);
    expect(buildInitialState(task, 1).world.receptacles).toEqual(buildInitialState(task, 2).world.receptacles);
  });

  it('starts unsolved, with openables closed, the goal objects placed plausibly and never in the target', () => {
    for (const split of SPLIT_NAMES) {
      for (let i = 0; i < HOUSEHOLD_SPLITS[split]; i += 13) {
        const task = getTask(split, i);
        for (const difficulty of DIFFICULTIES) {
          const s = buildInitialState(task, i, difficulty);
          const { world, dyn } = s;
          expect(evaluateGoal(s).success).toBe(false);
          expect(dyn.open.every((o) => !o)).toBe(true);
          const goalObjects = world.objects.filter((o) => o.type === task.object);
          expect(goalObjects.length).toBe(task.objectCount);
          world.objects.forEach((o, k) => {
            const r = world.receptacles[dyn.where[k]!]!;
            expect(spotWeight(o.type, r.type)).toBeGreaterThan(0);
            if (o.type === task.object && task.type !== 'look_at_obj_in_light') expect(r.type).not.toBe(task.target);
          });
          const max = DIFFICULTY_LIMITS[difficulty].maxReceptacles;
          if (max !== null) expect(world.receptacles.length).toBeLessThanOrEqual(max);
          const change = taskTransform(task.type);
          if (change === 'light') expect(world.lamps.some((l) => l.type === task.target)).toBe(true);
          else expect(world.receptacles.some((r) => r.type === task.target && RECEPTACLE_INFO[r.type].holds)).toBe(true);
          if (change !== null && change !== 'light') expect(world.receptacles.some((r) => r.type === TRANSFORM_APPLIANCE[change])).toBe(true);
          expect(new Set([...world.receptacles, ...world.objects].map((x) => x.name)).size).toBe(world.receptacles.length + world.objects.length);
        }
      }
    }
  });
});
