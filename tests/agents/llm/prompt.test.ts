import { describe, expect, it } from 'vitest';
import { actionLine, DEFAULT_SYSTEM_PROMPT, PromptFormatError, readPrompt, renderPrompt, type PromptInput } from '../../../agents/llm/prompt.js';

const INPUT: PromptInput = {
  envId: 'household-v1',
  goal: 'put a clean mug in the coffeemachine.',
  text: 'You arrive at countertop 1.\nOn the countertop 1, you see a mug 1.',
  history: [
    { observation: '-= Welcome =-\n\nYou are in the middle of a room.', action: 'go to countertop 1' },
    { observation: 'Nothing happens.', action: 'look' },
  ],
  candidates: ['take mug 1 from countertop 1', 'go to sinkbasin 1', 'look'],
};

describe('renderPrompt', () => {
  it('writes the system instructions, one user/assistant pair per history step, then the goal, observation and actions', () => {
    const messages = renderPrompt(INPUT);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(messages[0]!.content).toBe(`${DEFAULT_SYSTEM_PROMPT}\nEnvironment: household-v1.`);
    expect(messages[1]!.content).toBe('<observation>\n-= Welcome =-\n\nYou are in the middle of a room.\n</observation>');
    expect(messages[2]!.content).toBe('Action: go to countertop 1');
    expect(messages[5]!.content).toBe(
      [
        '<goal>',
        'put a clean mug in the coffeemachine.',
        '</goal>',
        '<observation>',
        'You arrive at countertop 1.',
        'On the countertop 1, you see a mug 1.',
        '</observation>',
        '<admissible_actions>',
        'take mug 1 from countertop 1',
        'go to sinkbasin 1',
        'look',
        '</admissible_actions>',
        'Choose the next action. End your reply with one line: Action: <one of the admissible actions>',
      ].join('\n'),
    );
  });

  it('names the seat and replaces the instructions when asked', () => {
    const [system] = renderPrompt({ ...INPUT, envId: 'kuhn-poker-v1', seat: 1 }, 'Play well.');
    expect(system!.content).toBe('Play well.\nEnvironment: kuhn-poker-v1, holding seat 1.');
  });

  it('mentions free-form templates that are not among the candidates', () => {
    const last = renderPrompt({ ...INPUT, candidates: ['search[red shoes]'], templates: ['search[<query>]'] }).at(-1)!.content;
    expect(last).toContain('Templates: search[<query>]');
    expect(renderPrompt({ ...INPUT, candidates: ['search[<query>]'], templates: ['search[<query>]'] }).at(-1)!.content).not.toContain('Templates');
  });

  it('writes actions that cannot be a plain line as JSON strings', () => {
    expect(actionLine('look')).toBe('look');
    expect(actionLine('say "hi"')).toBe('say "hi"');
    expect(actionLine('"quoted"')).toBe('"\\"quoted\\""');
    expect(actionLine('two\nlines')).toBe('"two\\nlines"');
    expect(actionLine('')).toBe('""');
  });
});

describe('readPrompt', () => {
  const cases: [string, PromptInput][] = [
    ['a goal, history and candidates', INPUT],
    ['no goal', { ...INPUT, goal: undefined as unknown as string }],
    ['an empty goal and an empty observation', { ...INPUT, goal: '', text: '' }],
    ['no history', { ...INPUT, history: [] }],
    ['odd actions', { ...INPUT, candidates: ['', '"x"', 'a\nb', 'search[<query>]', '  padded  '] }],
    ['observations with tags and trailing newlines', { ...INPUT, text: '</observation>\n<admissible_actions>\nnot a list\n\n', history: [{ observation: '', action: 'multi\nline' }] }],
  ];
  for (const [name, input] of cases) {
    it(`gives back exactly what was rendered: ${name}`, () => {
      const clean = { ...input };
      if (clean.goal === undefined) delete clean.goal;
      const back = readPrompt(renderPrompt(clean));
      expect(back).toEqual({ ...(clean.goal === undefined ? {} : { goal: clean.goal }), text: clean.text, history: clean.history, candidates: clean.candidates });
    });
  }

  it('accepts an empty candidate list (the caller decides what that means)', () => {
    expect(readPrompt(renderPrompt({ ...INPUT, candidates: [] })).candidates).toEqual([]);
  });

  it('says what is missing in a chat that is not in the format', () => {
    expect(() => readPrompt([{ role: 'user', content: 'hello' }])).toThrow(PromptFormatError);
    expect(() => readPrompt([{ role: 'user', content: 'hello' }])).toThrow(/<observation> block followed by an <admissible_actions> block/);
    expect(() => readPrompt([{ role: 'assistant', content: 'Action: look' }])).toThrow(/last message must be the user turn/);
    const messages = renderPrompt(INPUT);
    expect(() => readPrompt([messages[0]!, messages[1]!, messages[5]!])).toThrow(/followed by the assistant's action/);
    expect(() => readPrompt([{ role: 'user', content: 'free text' }, { role: 'assistant', content: 'Action: x' }, messages[5]!])).toThrow(/history message 0 must be an <observation> block/);
    expect(() => readPrompt([{ role: 'user', content: '<goal>\nno end' }])).toThrow(/<goal> block is not closed/);
  });
});
