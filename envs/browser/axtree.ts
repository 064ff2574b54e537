/**
 * The accessibility tree as text, and back. Pure functions over the nodes the page script returns
 * (page-script.ts), so the format is pinned by tests without a browser.
 *
 * One node per line, indented by one tab per depth under the root, BrowserGym's layout:
 *
 *   RootWebArea 'Click button'
 *   	heading 'Pick one', level=1
 *   	[3] button 'OK', clickable
 *   	[4] textbox 'Name' value='ada', clickable, focused
 *   	[5] checkbox 'Remember me', clickable, checked=false
 *   	StaticText 'Some text'
 *
 * `[N]` is the element's stable id (interactive elements only). Names and values are single-quoted
 * with `\` and `'` escaped. Flags follow, comma-separated: `clickable`, then the element's states
 * (`checked=true|false`, `expanded=true|false`, `selected`, `disabled`, `required`, `readonly`,
 * `pressed`, `covered`, `haspopup`, `level=N`) and `focused`.
 *
 * The anchor (GiGPO's grouping key) is the same tree without ids and without `focused`: two
 * trajectories that reach the same page by different paths share it, whatever ids their
 * elements were given on the way.
 * @module
 */
import type { RawNode } from './page-script.js';

/** A parsed tree line (what the expert and tests read back from the text). */
export interface TreeNode {
  depth: number;
  id: number | null;
  role: string;
  name: string;
  value: string | null;
  clickable: boolean;
  focused: boolean;
  /** States as printed: booleans, numbers, or strings. */
  states: Record<string, boolean | number | string>;
}

const BARE_STATES = ['selected', 'disabled', 'required', 'readonly', 'pressed', 'covered', 'haspopup'] as const;
const VALUED_STATES = ['checked', 'expanded'] as const;

export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** One node as a line (without indentation). */
export function formatNode(node: RawNode, focusedId: number | null, withIds = true): string {
  let line = withIds && node.id !== undefined ? `[${node.id}] ${node.r}` : node.r;
  if (node.n !== '' || node.id !== undefined) line += ` ${quote(node.n)}`;
  if (node.v !== undefined) line += ` value=${quote(node.v)}`;
  const flags: string[] = [];
  if (node.c === 1) flags.push('clickable');
  const p = node.p ?? {};
  if (typeof p.level === 'number') flags.push(`level=${p.level}`);
  for (const k of VALUED_STATES) if (typeof p[k] === 'boolean') flags.push(`${k}=${p[k]}`);
  for (const k of BARE_STATES) if (p[k] === true) flags.push(k);
  if (withIds && focusedId !== null && node.id === focusedId) flags.push('focused');
  return flags.length > 0 ? `${line}, ${flags.join(', ')}` : line;
}

/** The tree text: the root line, then one indented line per node. */
export function formatTree(nodes: readonly RawNode[], title: string, focusedId: number | null): string {
  const lines = [`RootWebArea ${quote(title)}`];
  for (const n of nodes) lines.push(`${'\t'.repeat(n.d + 1)}${formatNode(n, focusedId)}`);
  return lines.join('\n');
}

/** The anchor: the page path and the tree without ids or focus. */
export function anchorText(nodes: readonly RawNode[], title: string, path: string): string {
  const lines = [`${path} ${quote(title)}`];
  for (const n of nodes) lines.push(`${'\t'.repeat(n.d + 1)}${formatNode(n, null, false)}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Parsing the text back (the expert reads the tree the way an agent does).

function readQuoted(s: string, at: number): { text: string; end: number } | null {
  if (s[at] !== "'") return null;
  let out = '';
  for (let i = at + 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      out += s[i + 1];
      i++;
    } else if (c === "'") return { text: out, end: i + 1 };
    else out += c;
  }
  return null;
}

/** Parses one line (as printed by {@link formatNode}, with its indentation); null for a line that is not a node. */
export function parseLine(line: string): TreeNode | null {
  const depthMatch = /^\t*/.exec(line) as RegExpExecArray;
  const depth = depthMatch[0].length - 1;
  let s = line.slice(depthMatch[0].length);
  let id: number | null = null;
  const idm = /^\[(\d+)\] /.exec(s);
  if (idm) {
    id = Number(idm[1]);
    s = s.slice(idm[0].length);
  }
  const rm = /^([A-Za-z][\w-]*)/.exec(s);
  if (!rm) return null;
  const role = rm[1] as string;
  let i = role.length;
  let name = '';
  let value: string | null = null;
  if (s[i] === ' ' && s[i + 1] === "'") {
    const q = readQuoted(s, i + 1);
    if (!q) return null;
    name = q.text;
    i = q.end;
  }
  if (s.startsWith(' value=', i)) {
    const q = readQuoted(s, i + 7);
    if (!q) return null;
    value = q.text;
    i = q.end;
  }
  const states: Record<string, boolean | number | string> = {};
  let clickable = false;
  let focused = false;
  const rest = s.slice(i);
  if (rest !== '' && !rest.startsWith(', ')) return null;
  if (rest.startsWith(', ')) {
    for (const flag of rest.slice(2).split(', ')) {
      const eq = flag.indexOf('=');
      if (flag === 'clickable') clickable = true;
      else if (flag === 'focused') focused = true;
      else if (eq < 0) states[flag] = true;
      else {
        const k = flag.slice(0, eq);
        const v = flag.slice(eq + 1);
        states[k] = v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
      }
    }
  }
  return { depth, id, role, name, value, clickable, focused, states };
}

/** Every node line of a tree text (the root line included, at depth -1). */
export function parseTree(text: string): TreeNode[] {
  const out: TreeNode[] = [];
  for (const line of text.split('\n')) {
    const node = parseLine(line);
    if (node) out.push(node);
  }
  return out;
}
