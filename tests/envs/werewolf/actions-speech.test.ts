import { describe, expect, it } from 'vitest';
import { formatAction, parseAction } from '../../../envs/werewolf/actions.js';
import { cleanSpeech, speechNotice } from '../../../envs/werewolf/speech.js';

describe('the action grammar', () => {
  it.each([
    ['kill[3]', { verb: 'kill', target: 3 }, 'kill[3]'],
    ['  KILL[ player 3 ] ', { verb: 'kill', target: 3 }, 'kill[3]'],
    ['check[p5]', { verb: 'check', target: 5 }, 'check[5]'],
    ['protect[0]', { verb: 'protect', target: 0 }, 'protect[0]'],
    ['vote[6]', { verb: 'vote', target: 6 }, 'vote[6]'],
    ['vote[none]', { verb: 'vote', target: null }, 'vote[none]'],
    ['vote[Abstain]', { verb: 'vote', target: null }, 'vote[none]'],
    ['bid[4]', { verb: 'bid', amount: 4 }, 'bid[4]'],
    ['bid[ 0 ]', { verb: 'bid', amount: 0 }, 'bid[0]'],
    ['say[I am the seer. [really]]', { verb: 'say', text: 'I am the seer. [really]' }, 'say[I am the seer. [really]]'],
    ['say[]', { verb: 'say', text: '' }, 'say[]'],
  ])('reads %j', (raw, action, canonical) => {
    const parsed = parseAction(raw);
    expect(parsed).toEqual({ ok: true, action });
    if (parsed.ok) expect(formatAction(parsed.action)).toBe(canonical);
  });

  it.each([
    ['', 'EMPTY_ACTION'],
    ['   ', 'EMPTY_ACTION'],
    ['dance[3]', 'UNKNOWN_VERB'],
    ['xyzzy', 'UNKNOWN_VERB'],
    ['kill 3', 'PARSE_ERROR'],
    ['say[unclosed', 'PARSE_ERROR'],
    ['kill[bob]', 'PARSE_ERROR'],
    ['kill[7]', 'UNKNOWN_OBJECT'],
    ['vote[-1]', 'UNKNOWN_OBJECT'],
    ['bid[5]', 'PARSE_ERROR'],
    ['bid[two]', 'PARSE_ERROR'],
  ])('refuses %j with %s', (raw, code) => {
    const parsed = parseAction(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.code).toBe(code);
      expect(parsed.message.length).toBeGreaterThan(10);
    }
  });
});

describe('speech cleaning', () => {
  it('keeps a normal speech as it is', () => {
    expect(cleanSpeech('I am a villager.', 1000)).toEqual({ text: 'I am a villager.', originalLength: 16, controlCharacters: 0, cut: false });
    expect(speechNotice(cleanSpeech('hi', 1000), 1000)).toBeNull();
  });

  it('cuts at the limit, in code points, and says so', () => {
    const clean = cleanSpeech('ab🙂cd', 3);
    expect(clean).toEqual({ text: 'ab🙂', originalLength: 5, controlCharacters: 0, cut: true });
    expect(speechNotice(clean, 3)).toBe('Your speech was accepted, but it was cut to 3 characters (it had 5).');
    expect(Array.from(cleanSpeech('x'.repeat(1500), 1000).text)).toHaveLength(1000);
  });

  it('turns line breaks into spaces and removes other control characters and bidi overrides', () => {
    const clean = cleanSpeech('line one\nline\ttwo\u0007\u202Eevil\u0000', 1000);
    expect(clean.text).toBe('line one line twoevil');
    expect(clean.controlCharacters).toBe(5);
    expect(speechNotice(clean, 1000)).toMatch(/5 control characters were removed or replaced by spaces/);
  });
});
