import { describe, expect, it } from 'vitest';
import { admissibleCommands } from '../../../envs/household/admissible.js';
import { introText, listText } from '../../../envs/household/feedback.js';
import { evaluateGoal } from '../../../envs/household/goal-check.js';
import { stepGame } from '../../../envs/household/game.js';
import { applyCommand } from '../../../envs/household/rules.js';
import { CLEAN, COOL, HOT, stateKeyOf, type GameState } from '../../../envs/household/state.js';
import { APPLE, CABINET, COUNTERTOP, DESK, EGG, fixtureState, FRIDGE, goalOf, MUG } from './fixtures.js';

/** Plays accepted commands, failing loudly on a refused one; returns the final state and texts. */
function play(state: GameState, actions: string[]): { state: GameState; texts: string[] } {
  const texts: string[] = [];
  for (const a of actions) {
    const r = stepGame(state, a);
    if (r.invalid) throw new Error(`'${a}' refused: ${r.invalid.message}`);
    texts.push(r.text);
    state = r.state;
  }
  return { state, texts };
}

describe('feedback texts', () => {
  it('lists things the TextWorld way', () => {
    expect(listText([])).toBe('nothing');
    expect(listText(['mug 1'])).toBe('a mug 1');
    expect(listText(['mug 1', 'cup 2'])).toBe('a mug 1, and a cup 2');
    expect(listText(['mug 1', 'cup 2', 'fork 1'])).toBe('a mug 1, a cup 2, and a fork 1');
  });

  it('writes the intro', () => {
    expect(introText(fixtureState())).toBe(
      '-= Welcome to TextWorld, ALFRED! =-\n\n' +
        'You are in the middle of a room. Looking quickly around you, you see a cabinet 1, a countertop 1, a desk 1, ' +
        'a floorlamp 1, a fridge 1, a microwave 1, and a sinkbasin 1.\n\n' +
        'Your task is to: put a clean mug in countertop.',
    );
  });

  it('answers each command with its ALFWorld text', () => {
    const { texts } = play(fixtureState(), [
      'go to cabinet 1',
      'open cabinet 1',
      'take mug 1 from cabinet 1',
      'inventory',
      'examine mug 1',
      'go to sinkbasin 1',
      'clean mug 1 with sinkbasin 1',
      'examine mug 1',
      'go to microwave 1',
      'heat mug 1 with microwave 1',
      'examine mug 1',
      'go to desk 1',
      'use desklamp 1',
      'use desklamp 1',
      'look',
      'go to floorlamp 1',
      'use floorlamp 1',
      'examine floorlamp 1',
      'go to cabinet 1',
      'move mug 1 to cabinet 1',
      'close cabinet 1',
      'inventory',
      'go to fridge 1',
    ]);
    expect(texts).toEqual([
      'You arrive at cabinet 1. The cabinet 1 is closed.',
      'You open the cabinet 1. The cabinet 1 is open. In it, you see a mug 1.',
      'You pick up the mug 1 from the cabinet 1.',
      'You are carrying: a mug 1.',
      "There's nothing special about mug 1.",
      'You arrive at sinkbasin 1. On the sinkbasin 1, you see nothing.',
      'You clean the mug 1 using the sinkbasin 1.',
      'This is a clean mug 1.',
      'You arrive at microwave 1. The microwave 1 is closed.',
      'You heat the mug 1 using the microwave 1.',
      'This is a hot and clean mug 1.',
      'You arrive at desk 1. On the desk 1, you see a desklamp 1, and a pen 1.',
      'You turn on the desklamp 1.',
      'You turn off the desklamp 1.',
      'You are facing the desk 1. Next to it, you see nothing.',
      'You arrive at floorlamp 1. The floorlamp 1 is turned off.',
      'You turn on the floorlamp 1.',
      'The floorlamp 1 is turned on.',
      'You arrive at cabinet 1. The cabinet 1 is open. In it, you see nothing.',
      'You move the mug 1 to the cabinet 1.',
      'You close the cabinet 1.',
      'You are not carrying anything.',
      'You arrive at fridge 1. The fridge 1 is closed.',
    ]);
  });
});

describe('admissible commands', () => {
  it('in the middle of the room: go to every receptacle, inventory, look, help', () => {
    expect(admissibleCommands(fixtureState()).texts).toEqual([
      'go to cabinet 1',
      'go to countertop 1',
      'go to desk 1',
      'go to floorlamp 1',
      'go to fridge 1',
      'go to microwave 1',
      'go to sinkbasin 1',
      'inventory',
      'look',
      'help',
    ]);
  });

  it('at a closed fridge: open it, but nothing can be taken', () => {
    const { state } = play(fixtureState(), ['go to fridge 1']);
    const texts = admissibleCommands(state).texts;
    expect(texts).toContain('open fridge 1');
    expect(texts).toContain('examine fridge 1');
    expect(texts).not.toContain('go to fridge 1');
    expect(texts.filter((t) => t.startsWith('take'))).toEqual([]);
  });

  it('at an open fridge with empty hands: take each thing, close', () => {
    const { state } = play(fixtureState(), ['go to fridge 1', 'open fridge 1']);
    const texts = admissibleCommands(state).texts;
    expect(texts.filter((t) => !t.startsWith('go to '))).toEqual([
      'close fridge 1',
      'take apple 1 from fridge 1',
      'take egg 1 from fridge 1',
      'examine fridge 1',
      'inventory',
      'look',
      'help',
    ]);
  });

  it('carrying an apple at the open fridge: move, cool, examine it; no take (one object at a time)', () => {
    const { state } = play(fixtureState(), ['go to fridge 1', 'open fridge 1', 'take apple 1 from fridge 1']);
    const texts = admissibleCommands(state).texts;
    expect(texts.filter((t) => !t.startsWith('go to '))).toEqual([
      'close fridge 1',
      'move apple 1 to fridge 1',
      'cool apple 1 with fridge 1',
      'examine fridge 1',
      'examine apple 1',
      'inventory',
      'look',
      'help',
    ]);
  });

  it('at the desk: use the desklamp on it; at the sinkbasin with a pen: no clean (pens are not cleanable)', () => {
    const { state } = play(fixtureState(), ['go to desk 1', 'take pen 1 from desk 1']);
    expect(admissibleCommands(state).texts).toContain('use desklamp 1');
    const { state: atSink } = play(state, ['go to sinkbasin 1']);
    const texts = admissibleCommands(atSink).texts;
    expect(texts).toContain('move pen 1 to sinkbasin 1');
    expect(texts.some((t) => t.startsWith('clean'))).toBe(false);
  });

  it('nothing can be moved to a floorlamp', () => {
    const { state } = play(fixtureState(), ['go to desk 1', 'take pen 1 from desk 1', 'go to floorlamp 1']);
    const texts = admissibleCommands(state).texts;
    expect(texts).toContain('use floorlamp 1');
    expect(texts.some((t) => t.startsWith('move'))).toBe(false);
  });

  it('every admissible command is accepted, in every state of a long walk', () => {
    let state = fixtureState();
    const walk = ['go to fridge 1', 'open fridge 1', 'take egg 1 from fridge 1', 'go to microwave 1', 'open microwave 1', 'go to desk 1'];
    for (const a of walk) {
      for (const t of admissibleCommands(state).texts) expect(stepGame(state, t).invalid, t).toBeUndefined();
      state = stepGame(state, a).state;
    }
  });
});

describe('transitions are pure', () => {
  it('never modify the input state', () => {
    const state = fixtureState();
    const before = JSON.stringify(state);
    const cmds = admissibleCommands(state).commands;
    for (const c of cmds) applyCommand(state, c);
    play(state, ['go to fridge 1', 'open fridge 1', 'take apple 1 from fridge 1', 'cool apple 1 with fridge 1']);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('update location, inventory, places, flags, doors and lamps', () => {
    const { state } = play(fixtureState(), [
      'go to fridge 1',
      'open fridge 1',
      'take apple 1 from fridge 1',
      'cool apple 1 with fridge 1',
      'go to microwave 1',
      'heat apple 1 with microwave 1',
      'go to sinkbasin 1',
      'clean apple 1 with sinkbasin 1',
      'move apple 1 to sinkbasin 1',
      'go to desk 1',
      'use desklamp 1',
    ]);
    expect(state.dyn.location).toBe(DESK);
    expect(state.dyn.holding).toBe(-1);
    expect(state.dyn.where[APPLE]).toBe(6);
    expect(state.dyn.flags[APPLE]).toBe(HOT | CLEAN); // heating undoes cooling
    expect(state.dyn.open[FRIDGE]).toBe(true);
    expect(state.dyn.lit).toEqual([true, false]);
    expect(state.dyn.where[EGG]).toBe(FRIDGE);
    expect(COOL).toBe(4);
  });

  it('look, inventory, help and examine leave the state key unchanged', () => {
    const { state } = play(fixtureState(), ['go to cabinet 1']);
    for (const a of ['look', 'inventory', 'help', 'examine cabinet 1']) {
      expect(stateKeyOf(stepGame(state, a).state)).toBe(stateKeyOf(state));
    }
  });
});

describe('goals and reward', () => {
  it('pick_clean_then_place: placing a dirty mug is not enough; a clean one succeeds with reward 1', () => {
    let state = play(fixtureState(), ['go to cabinet 1', 'open cabinet 1', 'take mug 1 from cabinet 1', 'go to countertop 1']).state;
    const dirty = stepGame(state, 'move mug 1 to countertop 1');
    expect(dirty.success).toBe(false);
    expect(dirty.reward).toBe(0);
    expect(dirty.rewardComponents).toEqual({ found: 1, picked: 1, transformed: 0, placed: 1, success: 0 });
    state = play(dirty.state, ['take mug 1 from countertop 1', 'go to sinkbasin 1', 'clean mug 1 with sinkbasin 1', 'go to countertop 1']).state;
    const win = stepGame(state, 'move mug 1 to countertop 1');
    expect(win.success).toBe(true);
    expect(win.reward).toBe(1);
    expect(win.state.dyn.done).toBe(true);
    expect(win.rewardComponents).toEqual({ found: 1, picked: 1, transformed: 1, placed: 1, success: 1 });
  });

  it('pick_and_place and pick_two count objects in one receptacle of the target type', () => {
    const one = fixtureState(goalOf('pick_and_place', 'apple', 'countertop'));
    one.dyn.where[APPLE] = COUNTERTOP;
    expect(evaluateGoal(one).success).toBe(true);
    const two = fixtureState(goalOf('pick_two_obj_and_place', 'apple', 'countertop'));
    two.world.objects.push({ name: 'apple 2', type: 'apple' });
    two.dyn.where.push(FRIDGE);
    two.dyn.flags.push(0);
    two.dyn.where[APPLE] = COUNTERTOP;
    expect(evaluateGoal(two)).toEqual({ success: false, transformed: true, placed: false });
    two.dyn.where[4] = COUNTERTOP;
    expect(evaluateGoal(two).success).toBe(true);
  });

  it('heat and cool goals need the right temperature', () => {
    const heat = fixtureState(goalOf('pick_heat_then_place', 'egg', 'countertop'));
    heat.dyn.where[EGG] = COUNTERTOP;
    expect(evaluateGoal(heat).success).toBe(false);
    heat.dyn.flags[EGG] = HOT;
    expect(evaluateGoal(heat).success).toBe(true);
    const cool = fixtureState(goalOf('pick_cool_then_place', 'egg', 'countertop'));
    cool.dyn.where[EGG] = COUNTERTOP;
    cool.dyn.flags[EGG] = HOT;
    expect(evaluateGoal(cool).success).toBe(false);
  });

  it('look_at_obj_in_light: carry the object where a lamp of the goal type is on', () => {
    const start = fixtureState(goalOf('look_at_obj_in_light', 'mug', 'desklamp'));
    const { state } = play(start, ['go to cabinet 1', 'open cabinet 1', 'take mug 1 from cabinet 1', 'go to floorlamp 1', 'use floorlamp 1']);
    expect(evaluateGoal(state)).toEqual({ success: false, transformed: false, placed: false }); // wrong lamp type
    const arrive = stepGame(state, 'go to desk 1');
    expect(arrive.rewardComponents).toMatchObject({ placed: 1, transformed: 0, success: 0 });
    const lit = stepGame(arrive.state, 'use desklamp 1');
    expect(lit.text).toBe('You turn on the desklamp 1.');
    expect(lit.success).toBe(true);
    expect(lit.reward).toBe(1);
  });

  it('found and picked are remembered; found counts only what was seen', () => {
    const start = fixtureState(goalOf('pick_and_place', 'apple', 'countertop'));
    const closed = stepGame(start, 'go to fridge 1');
    expect(closed.rewardComponents.found).toBe(0);
    const open = stepGame(closed.state, 'open fridge 1');
    expect(open.rewardComponents.found).toBe(1);
    const away = play(open.state, ['close fridge 1', 'go to desk 1']).state;
    expect(stepGame(away, 'look').rewardComponents.found).toBe(1);
  });

  it('the state key covers location, inventory, doors and lamps but not the diagnostics', () => {
    const a = fixtureState();
    const keys = new Set([stateKeyOf(a)]);
    for (const mutate of [
      (s: GameState) => (s.dyn.location = CABINET),
      (s: GameState) => (s.dyn.open[CABINET] = true),
      (s: GameState) => (s.dyn.lit[0] = true),
      (s: GameState) => (s.dyn.flags[MUG] = CLEAN),
      (s: GameState) => (s.dyn.where[MUG] = COUNTERTOP),
    ]) {
      const s = fixtureState();
      mutate(s);
      keys.add(stateKeyOf(s));
    }
    expect(keys.size).toBe(6);
    const b = fixtureState();
    b.dyn.found = true;
    expect(stateKeyOf(b)).toBe(stateKeyOf(a));
  });
});
