import { describe, expect, it } from 'vitest';
import { BpeTokenizer, checkSpec, mergeIn, pretokenize, trainBpe } from '../../../agents/lm/bpe.js';
import { CHAT_SPECIAL_TOKENS, completionIds, renderChat } from '../../../agents/lm/chat-template.js';
import { LmError } from '../../../agents/lm/errors.js';
import { readSystemMessage, systemMessage, transcriptOf } from '../../../agents/lm/transcript.js';

describe('pretokenize', () => {
  it('splits into words with their leading space, single digits, symbols and whitespace', () => {
    expect(pretokenize('You arrive at countertop 12.')).toEqual(['You', ' arrive', ' at', ' countertop', ' 1', '2', '.']);
    expect(pretokenize('a  b\n\nc')).toEqual(['a', ' ', ' b', '\n', '\n', 'c']);
    expect(pretokenize('search[red shoes]')).toEqual(['search', '[', 'red', ' shoes', ']']);
    for (const s of ['héllo wörld', ' x  y \t', '']) expect(pretokenize(s).join('')).toBe(s);
  });
});

describe('trainBpe', () => {
  it('merges the most frequent pair first and stops below minFrequency, by hand', () => {
    // chunks: "ab" ×1, " ab" ×2, "abc" ×1.  Pairs: (a,b) 4, (␠,a) 2, (b,c) 1.
    // merge 0: a+b → 256; then (␠,256) 2, (256,c) 1; merge 1: ␠+256 → 257; then (256,c) 1 < 2: stop.
    const spec = trainBpe(['ab ab ab', 'abc'], { vocabSize: 300, specialTokens: ['<|end|>'] });
    expect(spec.merges).toEqual([[97, 98], [32, 256]]);
    const tok = new BpeTokenizer(spec);
    expect(tok.vocabSize).toBe(256 + 2 + 1);
    expect(tok.special('<|end|>')).toBe(258);
    // "ab abc": "ab" → [256]; " abc" → [␠,a,b,c] → [␠,256,c] → [257,c]
    expect(tok.encode('ab abc')).toEqual([256, 257, 99]);
    expect(tok.decode([256, 257, 99])).toBe('ab abc');
    expect(tok.tokenText(257)).toBe(' ab');
  });

  it('breaks ties by the smaller pair of ids, and stops at vocabSize', () => {
    // every pair occurs once: (␠,c) = (32,99) is the smallest
    expect(trainBpe(['ab cd'], { vocabSize: 257, minFrequency: 1 }).merges).toEqual([[32, 99]]);
    expect(trainBpe(['ab ab ab'], { vocabSize: 257 }).merges).toHaveLength(1);
  });

  it('is deterministic and refuses a vocabulary smaller than the bytes and specials', () => {
    const corpus = ['You arrive at countertop 1. On the countertop 1, you see a mug 2.', 'You pick up the mug 2 from the countertop 1.'];
    expect(trainBpe(corpus, { vocabSize: 290 })).toEqual(trainBpe(corpus, { vocabSize: 290 }));
    expect(() => trainBpe(corpus, { vocabSize: 257, specialTokens: ['<|a|>', '<|b|>'] })).toThrow(LmError);
  });

  it('round-trips any text, unseen bytes and emoji included', () => {
    const tok = new BpeTokenizer(trainBpe(['the cat sat on the mat', 'the hat'], { vocabSize: 280, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
    for (const s of ['the cat', 'héllo wörld 日本 🎉\n\t x  y', '<|end|> is text here', '']) expect(tok.decode(tok.encode(s))).toBe(s);
    // special-token names in text are plain bytes, never the special id
    expect(tok.encode('<|end|>')).not.toContain(tok.special('<|end|>'));
    expect(tok.encode('the cat').length).toBeLessThan('the cat'.length);
  });

  it('mergeIn replaces left to right without overlaps', () => {
    expect(mergeIn([1, 1, 1, 2, 1, 1], 1, 1, 9)).toEqual([9, 1, 2, 9]);
  });

  it('checkSpec refuses what is not a byte-level BPE', () => {
    expect(() => checkSpec({ type: 'wordpiece', version: 1, merges: [], specialTokens: [] })).toThrow(/byte-level-bpe/);
    expect(() => checkSpec({ type: 'byte-level-bpe', version: 1, merges: [[300, 1]], specialTokens: [] })).toThrow(/merge 0/);
  });
});

describe('chat template and transcript', () => {
  const tok = new BpeTokenizer(trainBpe(['Environment: household-v1.', 'go to desk 1'], { vocabSize: 300, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
  const [SYS, USER, ASSISTANT, END] = CHAT_SPECIAL_TOKENS.map((t) => tok.special(t));

  it('renders role, content, end-of-turn per message and opens the assistant turn for generation', () => {
    const ids = renderChat(tok, [{ role: 'system', content: 'hi' }, { role: 'user', content: 'look' }], { generation: true });
    expect(ids).toEqual([SYS, ...tok.encode('hi'), END, USER, ...tok.encode('look'), END, ASSISTANT]);
    expect(completionIds(tok, 'go to desk 1')).toEqual([...tok.encode('go to desk 1'), END]);
  });

  it('writes the episode as system, then observation/action turns; each step\'s transcript extends the last', () => {
    const first = transcriptOf({ envId: 'household-v1', goal: 'put a mug in the sink.', text: 'You are in a room.', history: [] });
    expect(first).toEqual([
      { role: 'system', content: 'Environment: household-v1.\nTask: put a mug in the sink.' },
      { role: 'user', content: 'You are in a room.' },
    ]);
    const second = transcriptOf({ envId: 'household-v1', goal: 'put a mug in the sink.', text: 'You arrive at desk 1.', history: [{ observation: 'You are in a room.', action: 'go to desk 1' }] });
    const a = renderChat(tok, first, { generation: true });
    const b = renderChat(tok, second, { generation: true });
    expect(b.slice(0, a.length)).toEqual(a);
    expect(b.slice(a.length, a.length + completionIds(tok, 'go to desk 1').length)).toEqual(completionIds(tok, 'go to desk 1'));
    expect(readSystemMessage(systemMessage('shop-v1', 'buy shoes', 3).content)).toEqual({ envId: 'shop-v1', seat: 3, goal: 'buy shoes' });
    expect(readSystemMessage('You are an agent.')).toBeNull();
  });
});
