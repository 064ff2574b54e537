import { describe, expect, it } from 'vitest';
import { callPart, formatAction, isKeyCombo, parseAction, repairAction } from '../../../envs/browser/actions.js';
import type { InvalidAction } from '../../../envs/core/types.js';

const ADMISSIBLE = [`click("3") # button 'OK'`, `fill("4", "ada") # textbox 'Name'`, 'noop()'];

describe('parseAction: well-formed calls', () => {
  const cases: [string, unknown][] = [
    ['click("12")', { verb: 'click', id: 12 }],
    ["click('12')", { verb: 'click', id: 12 }],
    ['  click( "12" )  ', { verb: 'click', id: 12 }],
    [`click("3") # button 'OK'`, { verb: 'click', id: 3 }],
    ['fill("12", "text")', { verb: 'fill', id: 12, text: 'text' }],
    ['fill("12", "say \\"hi\\"\\n")', { verb: 'fill', id: 12, text: 'say "hi"\n' }],
    ['fill("12", "# not a comment")', { verb: 'fill', id: 12, text: '# not a comment' }],
    ['fill("12", "")', { verb: 'fill', id: 12, text: '' }],
    ['fill("12", "\\u00e9t\\u00e9")', { verb: 'fill', id: 12, text: 'été' }],
    ['select_option("7", "Blue")', { verb: 'select_option', id: 7, value: 'Blue' }],
    ['check("5")', { verb: 'check', id: 5 }],
    ['uncheck("5")', { verb: 'uncheck', id: 5 }],
    ['press("12", "Enter")', { verb: 'press', id: 12, key: 'Enter' }],
    ['press("12", "ControlOrMeta+a")', { verb: 'press', id: 12, key: 'ControlOrMeta+a' }],
    ['hover("2")', { verb: 'hover', id: 2 }],
    ['scroll(0, 200)', { verb: 'scroll', dx: 0, dy: 200 }],
    ['scroll(-10, -300.5)', { verb: 'scroll', dx: -10, dy: -300.5 }],
    ['noop()', { verb: 'noop' }],
    ['noop() # wait', { verb: 'noop' }],
  ];
  for (const [text, want] of cases) it(`${text}`, () => expect(parseAction(text)).toEqual(want));

  it('formatAction is the canonical form and parses back to the same action', () => {
    for (const [text] of cases) {
      const a = parseAction(text);
      expect('code' in a).toBe(false);
      expect(parseAction(formatAction(a as never))).toEqual(a);
    }
    expect(formatAction({ verb: 'fill', id: 4, text: 'a "b"' })).toBe('fill("4", "a \\"b\\"")');
    expect(formatAction({ verb: 'scroll', dx: 0, dy: -300 })).toBe('scroll(0, -300)');
  });
});

describe('parseAction: malformed input is an InvalidAction with a suggestion', () => {
  const invalid = (text: unknown) => parseAction(text, ADMISSIBLE) as InvalidAction;

  it('empty and blank actions are EMPTY_ACTION', () => {
    expect(invalid('').code).toBe('EMPTY_ACTION');
    expect(invalid('   ').code).toBe('EMPTY_ACTION');
    expect(invalid(undefined).code).toBe('EMPTY_ACTION');
  });

  it('an unquoted id is a PARSE_ERROR whose first suggestion is the quoted call (the admissible entry when it is one)', () => {
    const r = invalid('click(3)');
    expect(r.code).toBe('PARSE_ERROR');
    expect(r.message).toMatch(/ids are strings/);
    expect(r.suggestions[0]).toBe(`click("3") # button 'OK'`);
    expect(invalid('click(12)').suggestions[0]).toBe('click("12")');
  });

  it('brackets, missing parentheses and trailing junk are repaired in the suggestion', () => {
    expect(invalid('click["12"]').suggestions[0]).toBe('click("12")');
    expect(invalid('click 12').suggestions[0]).toBe('click("12")');
    expect(invalid('click("12") and more').code).toBe('PARSE_ERROR');
    expect(invalid('click("12"); click("3")').code).toBe('PARSE_ERROR');
    expect(invalid('fill(12, "ada")').suggestions[0]).toBe('fill("12", "ada")');
    expect(invalid('clik("12")').code).toBe('UNKNOWN_VERB');
    expect(invalid('clik("12")').suggestions[0]).toBe('click("12")');
  });

  it('wrong arity, types and keys say the signature', () => {
    expect(invalid('click()').message).toMatch(/click takes 1 argument, got 0: write click\("12"\)/);
    expect(invalid('fill("1")').message).toMatch(/fill takes 2 arguments/);
    expect(invalid('scroll("a", "b")').message).toMatch(/numbers/);
    expect(invalid('scroll(0, 99999)').message).toMatch(/at most 10000/);
    expect(invalid('press("1", "Enterr")').message).toMatch(/not a key/);
    expect(invalid('click("x1")').message).toMatch(/not an element id/);
    expect(invalid('noop(500)').code).toBe('PARSE_ERROR');
  });

  it('unknown verbs are UNKNOWN_VERB; unterminated strings and other text are PARSE_ERROR', () => {
    expect(invalid('tap("3")').code).toBe('UNKNOWN_VERB');
    expect(invalid('goto("https://example.com")').code).toBe('UNKNOWN_VERB');
    expect(invalid('click("3').code).toBe('PARSE_ERROR');
    expect(invalid('xyzzy plugh').code).toBe('PARSE_ERROR');
    expect(invalid('<script>alert(1)</script>').code).toBe('PARSE_ERROR');
    expect(invalid('{"method": "session.close"}').code).toBe('PARSE_ERROR');
    expect(invalid('ünïcödé 🙂 ☃').code).toBe('PARSE_ERROR');
  });

  it('a 10,000-character action is refused without work', () => {
    const r = invalid('a'.repeat(10_000));
    expect(r.code).toBe('PARSE_ERROR');
    expect(r.message).toMatch(/10000 characters long/);
  });

  it('suggestions never exceed three and never repeat a call', () => {
    const r = invalid('click(3)');
    expect(r.suggestions.length).toBeLessThanOrEqual(3);
    expect(new Set(r.suggestions.map(callPart)).size).toBe(r.suggestions.length);
  });
});

describe('helpers', () => {
  it('callPart drops a trailing comment but not a # inside a string', () => {
    expect(callPart(`click("3") # button 'OK'`)).toBe('click("3")');
    expect(callPart('fill("1", "#1") # textbox')).toBe('fill("1", "#1")');
  });
  it('isKeyCombo accepts Playwright key names, characters and modifier combos', () => {
    for (const k of ['Enter', 'a', 'A', '1', 'Shift+Tab', 'ControlOrMeta+a', 'Control+Shift+ArrowLeft', 'F5', '+', 'Shift++']) expect(isKeyCombo(k)).toBe(true);
    for (const k of ['', 'Enterr', 'ctrl+a', 'Hyper+a', 'ab', 'Shift+']) expect(isKeyCombo(k)).toBe(false);
  });
  it('repairAction gives up on text that has no verb or no id', () => {
    expect(repairAction('hello world')).toBeNull();
    expect(repairAction('click()')).toBeNull();
    expect(repairAction('scroll down')).toBe('scroll(0, 200)');
  });
});
