import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../agents/llm/reply.js';

describe('parseReply', () => {
  const table: [string, string, string, string][] = [
    ['a bare action line', 'Action: go to cabinet 1', 'go to cabinet 1', 'action-line'],
    ['reasoning, then the action line', 'I should look for a mug.\nThe cabinet is closest.\nAction: open cabinet 1', 'open cabinet 1', 'action-line'],
    ['the last of several action lines', 'Action: look\nOn second thought:\nAction: inventory', 'inventory', 'action-line'],
    ['markdown bold and backticks', '**Action:** `take mug 1 from countertop 1`', 'take mug 1 from countertop 1', 'action-line'],
    ['quotes and trailing spaces, CRLF', 'ACTION : "go to shelf 2"  \r\n', 'go to shelf 2', 'action-line'],
    ['a fullwidth colon', 'Action：look', 'look', 'action-line'],
    ['a fenced block', 'I will do this:\n```\nheat egg 1 with microwave 1\n```\n', 'heat egg 1 with microwave 1', 'fenced'],
    ['the last fenced block, with a language tag', '```text\nlook\n```\nno, better:\n```text\ninventory\n```', 'inventory', 'fenced'],
    ['the last non-empty line', 'hmm\n\ngo to fridge 1\n\n', 'go to fridge 1', 'last-line'],
    ['a reasoning model\'s think block is skipped', '<think>\nAction: look\n</think>\nAction: go to desk 1', 'go to desk 1', 'action-line'],
    ['only a think block', '<think>Action: look</think>\n', '', 'empty'],
    ['an empty reply', '   \n', '', 'empty'],
  ];
  for (const [name, reply, text, how] of table) {
    it(name, () => {
      const parsed = parseReply(reply);
      expect(parsed.text).toBe(text);
      expect(parsed.how).toBe(how);
      if (parsed.span !== null) expect(reply.slice(parsed.span[0], parsed.span[1])).toBe(text);
      else expect(text).toBe('');
    });
  }

  it('skips an empty action line for an earlier full one', () => {
    expect(parseReply('Action: look\nAction:').text).toBe('look');
  });
});
