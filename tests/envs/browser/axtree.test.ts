import { describe, expect, it } from 'vitest';
import { anchorText, formatNode, formatTree, parseLine, parseTree } from '../../../envs/browser/axtree.js';
import type { RawNode } from '../../../envs/browser/page-script.js';

const NODES: RawNode[] = [
  { d: 0, r: 'heading', n: 'Pick one', p: { level: 1 } },
  { d: 0, r: 'button', n: 'OK', id: 3, c: 1 },
  { d: 0, r: 'textbox', n: 'Name', id: 4, v: 'ada', c: 1, e: 1 },
  { d: 0, r: 'checkbox', n: 'Remember me', id: 5, c: 1, p: { checked: false } },
  { d: 0, r: 'combobox', n: 'Colour', id: 6, v: 'Red', c: 1 },
  { d: 1, r: 'option', n: 'Red', p: { selected: true } },
  { d: 1, r: 'option', n: 'Blue' },
  { d: 0, r: 'button', n: 'Behind', id: 7, p: { covered: true } },
  { d: 0, r: 'StaticText', n: "It's a \\ test" },
  { d: 0, r: 'list', n: '' },
];

describe('the tree as text', () => {
  it('formats one node per line, BrowserGym-style', () => {
    expect(formatTree(NODES, 'Demo', 4).split('\n')).toEqual([
      "RootWebArea 'Demo'",
      "\theading 'Pick one', level=1",
      "\t[3] button 'OK', clickable",
      "\t[4] textbox 'Name' value='ada', clickable, focused",
      "\t[5] checkbox 'Remember me', clickable, checked=false",
      "\t[6] combobox 'Colour' value='Red', clickable",
      "\t\toption 'Red', selected",
      "\t\toption 'Blue'",
      "\t[7] button 'Behind', covered",
      "\tStaticText 'It\\'s a \\\\ test'",
      '\tlist',
    ]);
  });

  it('parses every line back to what was printed', () => {
    const back = parseTree(formatTree(NODES, 'Demo', 4));
    expect(back[0]).toMatchObject({ depth: -1, role: 'RootWebArea', name: 'Demo' });
    expect(back[3]).toEqual({ depth: 0, id: 4, role: 'textbox', name: 'Name', value: 'ada', clickable: true, focused: true, states: {} });
    expect(back[4]!.states).toEqual({ checked: false });
    expect(back[6]).toMatchObject({ depth: 1, id: null, role: 'option', states: { selected: true } });
    expect(back[8]).toMatchObject({ id: 7, clickable: false, states: { covered: true } });
    expect(back[9]!.name).toBe("It's a \\ test");
    expect(back[1]!.states).toEqual({ level: 1 });
    expect(parseLine('garbage (')).toBeNull();
  });

  it('the anchor has no ids and no focus, so equal pages reached by different paths share it', () => {
    const other = NODES.map((n) => (n.id === undefined ? n : { ...n, id: n.id + 40 }));
    expect(anchorText(other, 'Demo', '/')).toBe(anchorText(NODES, 'Demo', '/'));
    expect(anchorText(NODES, 'Demo', '/')).not.toMatch(/\[\d+\]|focused/);
    expect(anchorText(NODES, 'Demo', '/')).toContain("textbox 'Name' value='ada', clickable");
    expect(anchorText(NODES, 'Demo', '/a')).not.toBe(anchorText(NODES, 'Demo', '/b'));
  });

  it('formatNode without ids drops the id and the focus mark', () => {
    expect(formatNode(NODES[2]!, 4, false)).toBe("textbox 'Name' value='ada', clickable");
  });
});
