/**
 * A small hand-built household state for rule and text tests, so expectations can be written by
 * hand: a kitchen-ish room with a desk and two lamps.
 *
 *   0 cabinet 1 (openable)  — mug 1
 *   1 countertop 1          — (empty)
 *   2 desk 1                — desklamp 1, pen 1
 *   3 floorlamp 1           — (a lamp you go to)
 *   4 fridge 1 (openable)   — apple 1, egg 1
 *   5 microwave 1 (openable)
 *   6 sinkbasin 1
 */
import type { Goal, GameState } from '../../../envs/household/state.js';
import { goalText } from '../../../envs/household/goal-text.js';
import type { TaskType } from '../../../envs/household/task-types.js';

export const CABINET = 0;
export const COUNTERTOP = 1;
export const DESK = 2;
export const FLOORLAMP = 3;
export const FRIDGE = 4;
export const MICROWAVE = 5;
export const SINK = 6;
export const MUG = 0;
export const APPLE = 1;
export const PEN = 2;
export const EGG = 3;

export function goalOf(type: TaskType, object: Goal['object'], target: Goal['target']): Goal {
  return { type, object, target, text: goalText(type, object, target, 0) };
}

export function fixtureState(goal: Goal = goalOf('pick_clean_then_place', 'mug', 'countertop')): GameState {
  return {
    world: {
      roomKind: 'kitchen',
      layout: 'fixture-1',
      receptacles: [
        { name: 'cabinet 1', type: 'cabinet' },
        { name: 'countertop 1', type: 'countertop' },
        { name: 'desk 1', type: 'desk' },
        { name: 'floorlamp 1', type: 'floorlamp' },
        { name: 'fridge 1', type: 'fridge' },
        { name: 'microwave 1', type: 'microwave' },
        { name: 'sinkbasin 1', type: 'sinkbasin' },
      ],
      objects: [
        { name: 'mug 1', type: 'mug' },
        { name: 'apple 1', type: 'apple' },
        { name: 'pen 1', type: 'pen' },
        { name: 'egg 1', type: 'egg' },
      ],
      lamps: [
        { name: 'desklamp 1', type: 'desklamp', at: DESK },
        { name: 'floorlamp 1', type: 'floorlamp', at: FLOORLAMP },
      ],
    },
    goal,
    dyn: {
      location: -1,
      holding: -1,
      where: [CABINET, FRIDGE, DESK, FRIDGE],
      flags: [0, 0, 0, 0],
      open: [false, false, false, false, false, false, false],
      lit: [false, false],
      found: false,
      picked: false,
      done: false,
    },
  };
}
