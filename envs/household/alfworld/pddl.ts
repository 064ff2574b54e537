/**
 * Reading an ALFWorld PDDL problem (`pddl_problem` of game.tw-pddl, or initial_state.pddl): an
 * s-expression reader and the problem's parts, as plain data. Only what a problem file holds:
 * `(:objects name - type ...)`, `(:init fact ...)` (numeric `(= ...)` facts dropped) and the raw
 * `(:goal ...)` expression. A malformed file is a PddlError saying where.
 * @module
 */

export type SExpr = string | SExpr[];

export class PddlError extends Error {}

/** Parses PDDL text into its top-level s-expressions (`;` comments dropped). */
export function parseSExprs(text: string): SExpr[] {
  const tokens = text.replace(/;[^\n]*/g, ' ').match(/\(|\)|[^\s()]+/g) ?? [];
  const stack: SExpr[][] = [[]];
  for (const t of tokens) {
    if (t === '(') stack.push([]);
    else if (t === ')') {
      if (stack.length === 1) throw new PddlError('unbalanced parentheses: a ")" closes nothing');
      const done = stack.pop()!;
      stack[stack.length - 1]!.push(done);
    } else stack[stack.length - 1]!.push(t);
  }
  if (stack.length !== 1) throw new PddlError(`unbalanced parentheses: ${stack.length - 1} "(" never closed (is the file truncated?)`);
  return stack[0]!;
}

export interface PddlProblem {
  /** Declared objects: name → PDDL type (agent, location, receptacle, object, rtype, otype). */
  objects: Map<string, string>;
  /** Ground facts of :init, each [predicate, ...args]. */
  facts: string[][];
  goal: SExpr | null;
}

export function parseProblem(text: string): PddlProblem {
  const top = parseSExprs(text);
  const define = top.find((e): e is SExpr[] => Array.isArray(e) && e[0] === 'define');
  if (!define) throw new PddlError('no (define (problem ...) ...) form');
  const section = (name: string) => define.find((e): e is SExpr[] => Array.isArray(e) && typeof e[0] === 'string' && e[0].toLowerCase() === name);
  const objectsExpr = section(':objects');
  const initExpr = section(':init');
  if (!objectsExpr) throw new PddlError('no (:objects ...) section');
  if (!initExpr) throw new PddlError('no (:init ...) section');
  const objects = new Map<string, string>();
  const pending: string[] = [];
  const items = objectsExpr.slice(1);
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (typeof it !== 'string') throw new PddlError('(:objects ...) holds a nested list');
    if (it === '-') {
      const type = items[++i];
      if (typeof type !== 'string') throw new PddlError('(:objects ...) has a "-" without a type');
      for (const n of pending) objects.set(n, type);
      pending.length = 0;
    } else pending.push(it);
  }
  for (const n of pending) objects.set(n, 'object');
  const facts: string[][] = [];
  for (const f of initExpr.slice(1)) {
    if (!Array.isArray(f) || f.length === 0) throw new PddlError('(:init ...) holds something that is not a fact');
    if (f[0] === '=') continue;
    if (!f.every((x): x is string => typeof x === 'string')) throw new PddlError(`(:init ...) fact (${String(f[0])} ...) has a nested argument`);
    facts.push(f);
  }
  return { objects, facts, goal: section(':goal')?.[1] ?? null };
}
