import { describe, expect, it } from 'vitest';
import { stepGame } from '../../../envs/household/game.js';
import { normalizeAction, parseCommand } from '../../../envs/household/parser.js';
import { suggestCommands } from '../../../envs/household/suggest.js';
import type { GameState } from '../../../envs/household/state.js';
import { fixtureState } from './fixtures.js';

describe('parseCommand', () => {
  const table: [string, string][] = [
    ['look', 'look'],
    ['  LOOK  ', 'look'],
    ['inventory', 'inventory'],
    ['help', 'help'],
    ['go to cabinet 1', 'go to cabinet 1'],
    ['Go   To  Cabinet 1.', 'go to cabinet 1'],
    ['go to the cabinet 1', 'go to cabinet 1'],
    ['open fridge 1', 'open fridge 1'],
    ['close fridge 1', 'close fridge 1'],
    ['take mug 1 from cabinet 2', 'take mug 1 from cabinet 2'],
    ['take the mug 1 from the cabinet 2', 'take mug 1 from cabinet 2'],
    ['move mug 1 to countertop 1', 'move mug 1 to countertop 1'],
    ['put mug 1 in countertop 1', 'move mug 1 to countertop 1'],
    ['put mug 1 on countertop 1', 'move mug 1 to countertop 1'],
    ['PUT mug 1 into fridge 1', 'move mug 1 to fridge 1'],
    ['put mug 1 in/on countertop 1', 'move mug 1 to countertop 1'],
    ['clean mug 1 with sinkbasin 1', 'clean mug 1 with sinkbasin 1'],
    ['heat egg 1 with microwave 1', 'heat egg 1 with microwave 1'],
    ['cool apple 1 with fridge 1', 'cool apple 1 with fridge 1'],
    ['use desklamp 1', 'use desklamp 1'],
    ['examine desk 1', 'examine desk 1'],
  ];
  it.each(table)('%j → %j', (input, canonical) => {
    const r = parseCommand(input);
    expect(r.ok && r.canonical).toBe(canonical);
  });

  const errors: [string, string][] = [
    ['', 'EMPTY_ACTION'],
    ['   \t\n ', 'EMPTY_ACTION'],
    ['take', 'PARSE_ERROR'],
    ['take mug 1', 'PARSE_ERROR'],
    ['go to', 'PARSE_ERROR'],
    ['go cabinet 1', 'PARSE_ERROR'],
    ['look around', 'PARSE_ERROR'],
    ['move mug 1', 'PARSE_ERROR'],
    ['put mug 1 under desk 1', 'PARSE_ERROR'],
    ['clean mug 1', 'PARSE_ERROR'],
    ['a'.repeat(10_000), 'PARSE_ERROR'],
    ['jump', 'UNKNOWN_VERB'],
    ['xyzzy plugh', 'UNKNOWN_VERB'],
    ['ünïcödé 🙂 ☃', 'UNKNOWN_VERB'],
    ['{"method": "session.close"}', 'UNKNOWN_VERB'],
    ['<script>alert(1)</script>', 'UNKNOWN_VERB'],
  ];
  it.each(errors)('%j → %s', (input, code) => {
    const r = parseCommand(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message.length).toBeGreaterThan(10);
      expect(r.message.length).toBeLessThan(400);
    }
  });

  it('normalizes case, spaces and a final period', () => {
    expect(normalizeAction('  Take  Mug 1  FROM cabinet 1. ')).toBe('take mug 1 from cabinet 1');
  });
});

describe('refused commands', () => {
  function refuse(state: GameState, action: string) {
    const r = stepGame(state, action);
    expect(r.text).toBe('Nothing happens.');
    expect(r.state).toBe(state);
    expect(r.reward).toBe(0);
    expect(r.invalid).toBeDefined();
    return r.invalid!;
  }
  const walk = (actions: string[]) => actions.reduce((s, a) => stepGame(s, a).state, fixtureState());

  const cases: [string, string[], string, string, RegExp][] = [
    ['blank', [], '', 'EMPTY_ACTION', /empty/],
    ['unknown verb', [], 'dance', 'UNKNOWN_VERB', /not a command/],
    ['take alone', [], 'take', 'PARSE_ERROR', /take <object> from <receptacle>/],
    ['unknown object', [], 'take banana 1 from fridge 1', 'UNKNOWN_OBJECT', /no 'banana 1'/],
    ['unnumbered name', [], 'go to fridge', 'UNKNOWN_OBJECT', /'fridge 1'/],
    ['already there', ['go to fridge 1'], 'go to fridge 1', 'NOT_ADMISSIBLE', /already at the fridge 1/],
    ['not at the receptacle', [], 'open fridge 1', 'NOT_ADMISSIBLE', /go to fridge 1 first/],
    ['elsewhere', ['go to desk 1'], 'open fridge 1', 'NOT_ADMISSIBLE', /at the desk 1, not at the fridge 1/],
    ['not openable', ['go to desk 1'], 'open desk 1', 'NOT_ADMISSIBLE', /cannot be opened/],
    ['already open', ['go to fridge 1', 'open fridge 1'], 'open fridge 1', 'NOT_ADMISSIBLE', /already open/],
    ['closed', ['go to fridge 1'], 'take apple 1 from fridge 1', 'NOT_ADMISSIBLE', /closed: open it first/],
    ['not there', ['go to fridge 1', 'open fridge 1'], 'take mug 1 from fridge 1', 'NOT_ADMISSIBLE', /no mug 1 in or on the fridge 1/],
    ['hands full', ['go to fridge 1', 'open fridge 1', 'take apple 1 from fridge 1'], 'take egg 1 from fridge 1', 'NOT_ADMISSIBLE', /one object at a time/],
    ['not carried', ['go to fridge 1'], 'move apple 1 to fridge 1', 'NOT_ADMISSIBLE', /not carrying the apple 1/],
    ['fixed lamp', ['go to desk 1'], 'take desklamp 1 from desk 1', 'NOT_ADMISSIBLE', /fixed in place/],
    ['receptacle is no object', ['go to desk 1'], 'take desk 1 from desk 1', 'NOT_ADMISSIBLE', /is a receptacle/],
    ['wrong appliance', ['go to desk 1', 'take pen 1 from desk 1'], 'heat pen 1 with fridge 1', 'NOT_ADMISSIBLE', /only heat things with a microwave/],
    ['not cleanable', ['go to desk 1', 'take pen 1 from desk 1', 'go to sinkbasin 1'], 'clean pen 1 with sinkbasin 1', 'NOT_ADMISSIBLE', /cannot be cleaned/],
    ['lamp elsewhere', [], 'use desklamp 1', 'NOT_ADMISSIBLE', /stands on the desk 1/],
    ['floorlamp elsewhere', [], 'use floorlamp 1', 'NOT_ADMISSIBLE', /go to floorlamp 1 first/],
    ['use a non-lamp', ['go to desk 1'], 'use desk 1', 'NOT_ADMISSIBLE', /Only a desklamp or a floorlamp/],
    ['nothing on a floorlamp', ['go to desk 1', 'take pen 1 from desk 1', 'go to floorlamp 1'], 'put pen 1 on floorlamp 1', 'NOT_ADMISSIBLE', /Nothing can be put/],
    ['examine from afar', [], 'examine fridge 1', 'NOT_ADMISSIBLE', /go to fridge 1 first/],
  ];
  it.each(cases)('%s', (_name, before, action, code, message) => {
    const inv = refuse(walk(before), action);
    expect(inv.code).toBe(code);
    expect(inv.message).toMatch(message);
    expect(inv.suggestions.length).toBeGreaterThan(0);
    expect(inv.suggestions.length).toBeLessThanOrEqual(5);
  });

  it('suggests the closest admissible commands, best first', () => {
    const atFridge = walk(['go to fridge 1', 'open fridge 1']);
    expect(refuse(atFridge, 'take apple 2 from fridge 1').suggestions[0]).toBe('take apple 1 from fridge 1');
    expect(refuse(atFridge, 'tkae egg 1 from fridge 1').suggestions[0]).toBe('take egg 1 from fridge 1');
    expect(refuse(fixtureState(), 'go to fridge').suggestions[0]).toBe('go to fridge 1');
    expect(refuse(fixtureState(), 'lok').suggestions[0]).toBe('look');
    const sugg = refuse(fixtureState(), 'open fridge 1').suggestions;
    expect(sugg).toContain('go to fridge 1');
  });

  it('suggestions only come from the candidates, at most k', () => {
    expect(suggestCommands('take', ['look', 'help'], 5)).toEqual(['look', 'help']);
    expect(suggestCommands('x', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 5)).toHaveLength(5);
    expect(suggestCommands('z'.repeat(100_000), ['look'], 5)).toEqual(['look']);
  });

  it('accepts the put alias and reports the canonical command', () => {
    const state = walk(['go to fridge 1', 'open fridge 1', 'take apple 1 from fridge 1', 'go to countertop 1']);
    const r = stepGame(state, 'put apple 1 on countertop 1');
    expect(r.invalid).toBeUndefined();
    expect(r.canonical).toBe('move apple 1 to countertop 1');
    expect(r.text).toBe('You move the apple 1 to the countertop 1.');
  });
});
