/**
 * Test pages for browser-v1: a task suite whose pages are given as HTML, registered as a test
 * env (`browser-fixtures-v1`, the same spec as browser-v1 but this suite) so tests go through
 * `make` and its replay snapshot like the real env.
 */
import { BrowserEnv } from '../../../envs/browser/env.js';
import { browserOptionsSchema, type BrowserOptions } from '../../../envs/browser/options.js';
import { firstClick } from '../../../envs/browser/tasks/events.js';
import { htmlPage } from '../../../envs/browser/tasks/html.js';
import type { BrowserTask, PageRequest, PageResponse, TaskCheck } from '../../../envs/browser/tasks/types.js';
import { done, PENDING } from '../../../envs/browser/tasks/types.js';
import { isRegistered, register } from '../../../envs/core/registry.js';
import type { EnvSpec } from '../../../envs/core/spec.js';

export const CHROMIUM = process.env.LUDUS_CHROMIUM ?? '/usr/bin/chromium';

/** A task with fixed pages: `pages['/']` is the start page; a click on `[data-key="win"]` ends it with +1, on `"lose"` with −1. */
export function fixtureTask(name: string, pages: Record<string, string> | ((req: PageRequest) => PageResponse | null), extra: Partial<BrowserTask<number>> = {}): BrowserTask<number> {
  return {
    name,
    description: `test page ${name}`,
    maxTimeMs: 10_000,
    generate: (rng) => rng.int(1000),
    goal: () => `Test page ${name}: click win.`,
    serve: (_i, req) => (typeof pages === 'function' ? pages(req) : pages[req.path] === undefined ? null : { status: 200, body: pages[req.path] as string }),
    check(_i, events): TaskCheck {
      const key = firstClick(events, (k) => k === 'win' || k === 'lose');
      return key === null ? PENDING : done(key === 'win' ? 1 : -1);
    },
    fillValues: () => ['hello', '2024-03-14'],
    solve: () => 'noop()',
    ...extra,
  };
}

export const TREE_PAGE = htmlPage(
  'tree',
  `<h1>Tree test</h1>
<button data-key="win">Win</button>
<button disabled>Off</button>
<button style="display:none">Hidden</button>
<div aria-hidden="true"><button>Aria hidden</button></div>
<div style="visibility:hidden"><button>Invisible</button></div>
<label>Name <input type="text" id="name"></label>
<label for="mail">Mail</label><input type="email" id="mail" placeholder="you@example.org">
<input type="text" placeholder="Only placeholder">
<input type="text" readonly value="fixed" aria-label="Fixed">
<select aria-label="Colour"><option>Red</option><option>Blue</option></select>
<label><input type="checkbox" id="agree"> Agree</label>
<div id="listener">div with a click listener</div>
<span style="cursor:pointer" onclick="void 0">pointer span <b>with bold</b></span>
<div contenteditable="true" aria-label="Notes">editable</div>
<div tabindex="0">focusable div</div>
<p>Plain <i>text</i> here.</p>
<button id="grow">Grow</button>
<div style="position:relative;height:40px"><button style="position:absolute;top:0;left:0" data-key="lose">Under</button><div style="position:absolute;top:0;left:0;width:300px;height:40px;background:#eee">cover</div></div>
<input type="date" aria-label="When">`,
  {
    script: `document.getElementById('listener').addEventListener('click', () => {});
document.getElementById('grow').addEventListener('click', () => { const b = document.createElement('button'); b.textContent = 'New'; document.getElementById('grow').before(b); });`,
  },
);

export const LONG_PAGE = htmlPage('long', `<div style="height:2000px">tall</div><button data-key="win">Far below</button>`);

/** Registers `browser-fixtures-v1` over `suite` (once per process). */
export function registerFixtureEnv(suite: Record<string, BrowserTask>, id = 'browser-fixtures-v1'): string {
  if (!isRegistered(id)) {
    const spec: EnvSpec<BrowserOptions> = {
      id,
      description: 'browser-v1 over test pages',
      kind: 'single',
      capabilities: { snapshot: 'replay', screenshots: true },
      entryPoint: (o) => new BrowserEnv(o, suite),
      options: browserOptionsSchema,
      maxEpisodeSteps: 30,
      splits: { train: 1000 * Object.keys(suite).length, test: 50 * Object.keys(suite).length },
    };
    register(spec);
  }
  return id;
}
