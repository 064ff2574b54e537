/**
 * navigate-tree: a file tree whose folders open on click; find the file the goal names and click
 * it. The right file +1, another file −1; opening folders is free.
 * @module
 */
import type { Rng } from '../../core/rng.js';
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { EXTENSIONS, FOLDERS, WORDS } from './vocab.js';

interface TreeEntry {
  name: string;
  /** Children for a folder; absent for a file. */
  children?: TreeEntry[];
}

interface Instance {
  root: TreeEntry[];
  /** Names from the top to the target file. */
  path: string[];
}

const SCRIPT = `document.querySelectorAll('[role=treeitem][aria-expanded]').forEach((f) => f.addEventListener('click', (e) => {
  e.stopPropagation();
  const open = f.getAttribute('aria-expanded') !== 'true';
  f.setAttribute('aria-expanded', String(open));
  document.getElementById(f.getAttribute('aria-owns')).classList.toggle('hidden', !open);
}));`;

function build(rng: Rng, depth: number, used: Set<string>): TreeEntry[] {
  const out: TreeEntry[] = [];
  const n = rng.range(2, 3);
  for (let k = 0; k < n; k++) {
    const folder = depth < 2 && rng.bool(0.5);
    let name = '';
    do name = folder ? rng.pick(FOLDERS) : `${rng.pick(WORDS)}.${rng.pick(EXTENSIONS)}`;
    while (used.has(name));
    used.add(name);
    out.push(folder ? { name, children: build(rng, depth + 1, used) } : { name });
  }
  return out;
}

function files(entries: TreeEntry[], prefix: string[] = []): string[][] {
  return entries.flatMap((e) => (e.children ? files(e.children, [...prefix, e.name]) : [[...prefix, e.name]]));
}

export const navigateTree: BrowserTask<Instance> = {
  name: 'navigate-tree',
  description: 'open folders of a file tree to find a named file and click it',
  maxTimeMs: 10_000,
  generate(rng) {
    for (;;) {
      const root = build(rng, 0, new Set());
      const deep = files(root).filter((p) => p.length > 1);
      if (deep.length > 0) return { root, path: rng.pick(deep) };
    }
  },
  goal: (i) => `Navigate through the file tree. Find and click on the file named "${i.path[i.path.length - 1]}".`,
  serve(i, req) {
    if (req.path !== '/') return null;
    let counter = 0;
    const render = (entries: TreeEntry[], hidden: boolean, level: number): { id: string; html: string } => {
      const id = `g${counter++}`;
      const items = entries
        .map((e) => {
          if (!e.children) return `<li role="treeitem" tabindex="0" data-key="f:${esc(e.name)}">${esc(e.name)}</li>`;
          const inner = render(e.children, true, level + 1);
          return `<li role="treeitem" aria-expanded="false" aria-owns="${inner.id}" tabindex="0">${esc(e.name)}/</li>${inner.html}`;
        })
        .join('');
      return { id, html: `<ul role="group" id="${id}" class="${hidden ? 'hidden' : ''}" style="margin-left:${level * 14}px">${items}</ul>` };
    };
    const top = render(i.root, false, 0);
    return { status: 200, body: htmlPage('navigate-tree', `<div role="tree" aria-label="Files">${top.html}</div>`, { script: SCRIPT, style: 'li{list-style:none;cursor:pointer}' }) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('f:'));
    if (key === null) return PENDING;
    const right = key === `f:${i.path[i.path.length - 1]}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const file = i.path[i.path.length - 1] as string;
    const target = find(view, 'treeitem', file);
    if (target) return act.click(target);
    for (const folder of i.path.slice(0, -1)) {
      const node = find(view, 'treeitem', `${folder}/`);
      if (!node) return NOOP;
      if (node.states.expanded !== true) return act.click(node);
    }
    return NOOP;
  },
};
