/**
 * The browser-v1 expert: a scripted solver per task that may read the task's hidden state. It
 * rebuilds the episode's instance from `info.task` (task name and instance seed: the same pure
 * function the env uses) and, every step, reads the tree from the observation and asks the
 * task's `solve` hook (envs/browser/tasks/*.ts) for the next action — so it acts through the same
 * ids, calls and candidates an agent has.
 *
 * For the `shop` task it plans with the text shop's oracle (agents/shop-expert.ts: the query among
 * the policy's query candidates whose results hold a reward-1 product, its position, its options)
 * and the shop task's `solve` turns that plan into clicks on the site.
 *
 * Measured success on every task's test seeds: `npm run bench:browser -- --expert` and
 * tests/agents/browser-expert.test.ts (docs/browser.md).
 * @module
 */
import { callPart } from '../envs/browser/actions.js';
import { parseTree } from '../envs/browser/axtree.js';
import { PRIVATE_ORIGIN } from '../envs/browser/confinement.js';
import { BUILTIN_TASKS } from '../envs/browser/tasks/index.js';
import { taskInstance } from '../envs/browser/tasks/instance.js';
import { planToMemory } from '../envs/browser/tasks/shop.js';
import type { BrowserTask, PageView } from '../envs/browser/tasks/types.js';
import type { JsonValue, Observation, StepInfo } from '../envs/core/types.js';
import { openCatalog } from '../envs/shop/catalog.js';
import { goalAt, goalIndexOf } from '../envs/shop/goals.js';
import type { ExpertPlanner } from './experts.js';
import { solvePage } from '../envs/browser/pages/solve.js';

/** The expert's task stand-in for task pages: only `solve` is used. */
const PAGE_SOLVER = { solve: (_i: unknown, view: PageView, memory: Record<string, JsonValue>) => solvePage(String(memory.goal ?? ''), view, memory) } as unknown as BrowserTask;
import { planShopEpisode } from './shop-expert.js';

interface TaskRefInfo {
  type?: unknown;
  seed?: unknown;
  catalog?: { seed?: unknown; products?: unknown };
}

/** The tree text of an observation (its `axtree`, or the text after the header). */
export function treeText(observation: Observation): string {
  if (typeof observation.axtree === 'string') return observation.axtree;
  const at = observation.text.indexOf('\n\n');
  return at < 0 ? observation.text : observation.text.slice(at + 2);
}

export function pageView(observation: Observation): PageView {
  const path = observation.url ?? '/';
  return { nodes: parseTree(treeText(observation)), url: `${PRIVATE_ORIGIN}${path}`, path };
}

export class BrowserExpert implements ExpertPlanner {
  readonly name = 'browser-expert';
  private task: BrowserTask | null = null;
  private instance: unknown = null;
  private memory: Record<string, JsonValue> = {};

  reset(observation: Observation, info?: StepInfo): void {
    this.task = null;
    this.instance = null;
    this.memory = {};
    const ref = info?.task as TaskRefInfo | undefined;
    const name = ref?.type;
    const seed = ref?.seed;
    if (typeof (ref as { pages?: unknown } | undefined)?.pages === 'string') {
      // A MiniWoB++-style task page: no oracle, the generic page heuristic (envs/browser/pages/solve.ts).
      this.task = PAGE_SOLVER;
      this.memory.goal = observation.goal ?? '';
      return;
    }
    if (typeof name !== 'string' || typeof seed !== 'number' || !Object.hasOwn(BUILTIN_TASKS, name)) return;
    const task = BUILTIN_TASKS[name] as BrowserTask;
    const catalogSeed = ref?.catalog?.seed;
    const products = ref?.catalog?.products;
    const catalog = () => {
      if (typeof catalogSeed !== 'number' || typeof products !== 'number') throw new RangeError('the shop task needs info.task.catalog');
      return openCatalog({ seed: catalogSeed, products });
    };
    let instance: unknown;
    try {
      instance = taskInstance(task, seed, { catalog });
    } catch {
      return;
    }
    if (observation.goal !== undefined && observation.goal !== task.goal(instance)) return; // not the instance we think
    if (name === 'shop') {
      const i = instance as { split: 'test' | 'train'; index: number };
      const c = catalog();
      this.memory.plan = planToMemory(planShopEpisode(c, goalAt(c.seed, c.size, goalIndexOf(i.split, i.index))));
    }
    this.task = task;
    this.instance = instance;
  }

  /** The next action, written as the admissible candidate it is (with its comment) when it is one: valid SFT demonstrations. */
  act(observation: Observation, _info?: StepInfo): string {
    if (this.task === null) return observation.actions.includes('noop()') ? 'noop()' : (observation.actions[0] ?? 'noop()');
    const action = this.task.solve(this.instance, pageView(observation), this.memory);
    return observation.actions.find((c) => callPart(c) === action) ?? action;
  }
}
