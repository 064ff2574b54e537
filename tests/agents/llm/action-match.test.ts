import { describe, expect, it } from 'vitest';
import { matchAction } from '../../../agents/llm/action-match.js';

const CANDIDATES = ['go to cabinet 1', 'go to cabinet 2', 'open drawer 1', 'take mug 1 from countertop 1', 'look', 'inventory'];

describe('matchAction', () => {
  it('takes an exact candidate as it is', () => {
    expect(matchAction('open drawer 1', CANDIDATES)).toEqual({ action: 'open drawer 1', how: 'exact', score: 100 });
  });

  it('ignores case, spacing and a trailing period', () => {
    expect(matchAction('  Open   Drawer 1.', CANDIDATES)).toEqual({ action: 'open drawer 1', how: 'normalized', score: 100 });
  });

  it('maps a near miss to the nearest admissible action', () => {
    const m = matchAction('take the mug 1 from countertop 1', CANDIDATES);
    expect(m.action).toBe('take mug 1 from countertop 1');
    expect(m.how).toBe('fuzzy');
    expect(m.score).toBeGreaterThanOrEqual(80);
  });

  it('breaks equal fuzzy scores by edit distance, then by list order', () => {
    expect(matchAction('go to cabinet 2.5', CANDIDATES).action).toBe('go to cabinet 2');
    expect(matchAction('go to cabinet', ['go to cabinet 2', 'go to cabinet 1']).action).toBe('go to cabinet 2');
  });

  it('leaves text that matches nothing well enough as written', () => {
    expect(matchAction('fly to the moon', CANDIDATES)).toMatchObject({ action: 'fly to the moon', how: 'unmatched' });
    expect(matchAction('open drawer 1', CANDIDATES, [], 101).how).toBe('exact');
    expect(matchAction('opn drawr 1', CANDIDATES, [], 100)).toMatchObject({ action: 'opn drawr 1', how: 'unmatched' });
    expect(matchAction('anything', [])).toEqual({ action: 'anything', how: 'unmatched', score: 0 });
  });

  it('keeps a filled-in free-form template as written, but not the bare placeholder', () => {
    expect(matchAction('search[red running shoes]', ['search[shoes]'], ['search[<query>]'])).toEqual({ action: 'search[red running shoes]', how: 'template', score: 100 });
    expect(matchAction('search[<query>]', ['search[shoes]'], ['search[<query>]']).how).not.toBe('template');
  });
});
