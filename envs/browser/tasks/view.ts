/**
 * Helpers for the tasks' `solve` hooks: find elements in the parsed tree, and write the action
 * that acts on one. An expert is an agent too: it reads the same tree and sends the same calls.
 * @module
 */
import { formatAction } from '../actions.js';
import type { TreeNode } from '../axtree.js';
import type { PageView } from './types.js';

export const NOOP = 'noop()';

export function withId(view: PageView): TreeNode[] {
  return view.nodes.filter((n) => n.id !== null);
}

/** The first element with an id matching role (or any role when null) and name (exact, or a test). */
export function find(view: PageView, role: string | readonly string[] | null, name?: string | ((name: string) => boolean)): TreeNode | undefined {
  const roles = role === null ? null : typeof role === 'string' ? [role] : role;
  return view.nodes.find(
    (n) => n.id !== null && (roles === null || roles.includes(n.role)) && (name === undefined || (typeof name === 'string' ? n.name === name : name(n.name))),
  );
}

export function findAll(view: PageView, role: string | readonly string[] | null, name?: string | ((name: string) => boolean)): TreeNode[] {
  const roles = role === null ? null : typeof role === 'string' ? [role] : role;
  return view.nodes.filter(
    (n) => n.id !== null && (roles === null || roles.includes(n.role)) && (name === undefined || (typeof name === 'string' ? n.name === name : name(n.name))),
  );
}

/** The static text lines of the page, in order. */
export function texts(view: PageView): string[] {
  return view.nodes.filter((n) => n.role === 'StaticText').map((n) => n.name);
}

/** Index of a node in the view (for "the element after this text" searches). */
export function indexOf(view: PageView, node: TreeNode): number {
  return view.nodes.indexOf(node);
}

function idOf(node: TreeNode): number {
  if (node.id === null) throw new RangeError(`node ${node.role} '${node.name}' has no id`);
  return node.id;
}

export const act = {
  click: (n: TreeNode) => formatAction({ verb: 'click', id: idOf(n) }),
  check: (n: TreeNode) => formatAction({ verb: 'check', id: idOf(n) }),
  uncheck: (n: TreeNode) => formatAction({ verb: 'uncheck', id: idOf(n) }),
  hover: (n: TreeNode) => formatAction({ verb: 'hover', id: idOf(n) }),
  fill: (n: TreeNode, text: string) => formatAction({ verb: 'fill', id: idOf(n), text }),
  select: (n: TreeNode, value: string) => formatAction({ verb: 'select_option', id: idOf(n), value }),
  press: (n: TreeNode, key: string) => formatAction({ verb: 'press', id: idOf(n), key }),
};

/** Click `node` if it exists, else noop (the page is not what the plan expected; wait a step). */
export function clickOr(node: TreeNode | undefined): string {
  return node ? act.click(node) : NOOP;
}
