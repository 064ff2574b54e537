import { describe, expect, it } from 'vitest';
import { parseAction } from '../../../envs/browser/actions.js';
import { candidateActions, valuesFor } from '../../../envs/browser/candidates.js';
import type { RawNode } from '../../../envs/browser/page-script.js';

const NODES: RawNode[] = [
  { d: 0, r: 'button', n: 'OK', id: 1, c: 1 },
  { d: 0, r: 'button', n: 'Off', id: 2, p: { disabled: true } },
  { d: 0, r: 'button', n: 'Behind', id: 3, p: { covered: true } },
  { d: 0, r: 'textbox', n: 'Name', id: 4, v: '', c: 1, e: 1 },
  { d: 0, r: 'textbox', n: 'Read only', id: 5, v: 'x', c: 1, p: { readonly: true } },
  { d: 0, r: 'checkbox', n: 'Tick', id: 6, c: 1, p: { checked: false } },
  { d: 0, r: 'checkbox', n: 'Ticked', id: 7, c: 1, p: { checked: true } },
  { d: 0, r: 'radio', n: 'On', id: 8, c: 1, p: { checked: true } },
  { d: 0, r: 'combobox', n: 'Colour', id: 9, v: 'Red', c: 1 },
  { d: 1, r: 'option', n: 'Red', p: { selected: true } },
  { d: 1, r: 'option', n: 'Blue' },
  { d: 1, r: 'option', n: 'Gone', p: { disabled: true } },
  { d: 0, r: 'slider', n: 'Level', id: 10, v: '3', c: 1 },
  { d: 0, r: 'button', n: 'File', id: 11, c: 1, p: { haspopup: true } },
  { d: 0, r: 'textbox', n: 'When', id: 12, v: '', c: 1, e: 1, t: 'date' },
  { d: 0, r: 'StaticText', n: 'hello' },
];

describe('candidateActions', () => {
  const actions = candidateActions({ nodes: NODES, fillValues: ['ada', '2024-03-14'], scroll: { y: 100, maxY: 500 } });

  it('lists one action per use of each usable element, annotated, in page order', () => {
    expect(actions).toEqual([
      `click("1") # button 'OK'`,
      `fill("4", "ada") # textbox 'Name'`,
      `fill("4", "2024-03-14") # textbox 'Name'`,
      `click("4") # textbox 'Name'`,
      `click("5") # textbox 'Read only'`,
      `check("6") # checkbox 'Tick'`,
      `uncheck("7") # checkbox 'Ticked'`,
      `select_option("9", "Blue") # combobox 'Colour'`,
      `press("10", "ArrowLeft") # slider 'Level'`,
      `press("10", "ArrowRight") # slider 'Level'`,
      `hover("11") # button 'File'`,
      `click("11") # button 'File'`,
      `fill("12", "2024-03-14") # textbox 'When'`,
      `click("12") # textbox 'When'`,
      'scroll(0, 300)',
      'scroll(0, -300)',
      'noop()',
    ]);
  });

  it('skips disabled and covered elements, checked radios and selected or disabled options', () => {
    expect(actions.some((a) => a.includes('"2"') || a.includes('"3"') || a.includes('"8"'))).toBe(false);
    expect(actions.some((a) => a.includes('Red') || a.includes('Gone'))).toBe(false);
  });

  it('every candidate is a well-formed call', () => {
    for (const a of actions) expect('code' in parseAction(a)).toBe(false);
  });

  it('a page that cannot scroll gets no scroll actions', () => {
    expect(candidateActions({ nodes: [], fillValues: [], scroll: { y: 0, maxY: 0 } })).toEqual(['noop()']);
  });

  it('valuesFor keeps ISO dates for date inputs and numbers for spin buttons', () => {
    expect(valuesFor({ d: 0, r: 'textbox', n: '', t: 'date' }, ['03/14/2024', '2024-03-14'])).toEqual(['2024-03-14']);
    expect(valuesFor({ d: 0, r: 'spinbutton', n: '' }, ['a', '12', '-3.5'])).toEqual(['12', '-3.5']);
    expect(valuesFor({ d: 0, r: 'textbox', n: '', t: 'week' }, ['x'])).toEqual([]);
    expect(valuesFor({ d: 0, r: 'textbox', n: '' }, ['a', 'a', 'b'])).toEqual(['a', 'b']);
  });
});
