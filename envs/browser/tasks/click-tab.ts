/**
 * click-tab: links spread over tabs; switch tabs to find the link the goal names and click it.
 * The right link +1, another link −1; switching tabs is free.
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  tabs: string[];
  /** Links per tab. */
  panels: string[][];
  /** The target: tab and link index. */
  tab: number;
  link: number;
}

const SCRIPT = `document.querySelectorAll('[role=tab]').forEach((tab) => tab.addEventListener('click', () => {
  document.querySelectorAll('[role=tab]').forEach((t) => t.setAttribute('aria-selected', String(t === tab)));
  document.querySelectorAll('[role=tabpanel]').forEach((p) => p.classList.toggle('hidden', p.id !== tab.getAttribute('aria-controls')));
}));`;

export const clickTab: BrowserTask<Instance> = {
  name: 'click-tab',
  description: 'switch between tabs to find a named link and click it',
  maxTimeMs: 10_000,
  generate(rng) {
    const nTabs = rng.range(2, 4);
    const words = rng.sample(WORDS, nTabs * 3 + nTabs);
    const tabs = words.slice(0, nTabs).map((w, k) => `Tab ${k + 1}: ${w}`);
    const panels = Array.from({ length: nTabs }, (_, t) => words.slice(nTabs + t * 3, nTabs + t * 3 + 3));
    const tab = rng.range(1, nTabs - 1); // never the tab open at the start
    return { tabs, panels, tab, link: rng.int(3) };
  },
  goal: (i) => `Switch between the tabs to find and click on the link "${i.panels[i.tab]![i.link]}".`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const tabs = i.tabs.map((t, k) => `<button role="tab" id="tab${k}" aria-controls="panel${k}" aria-selected="${k === 0}">${esc(t)}</button>`).join('');
    const panels = i.panels
      .map((links, k) => `<div role="tabpanel" id="panel${k}" aria-labelledby="tab${k}" class="${k === 0 ? '' : 'hidden'}"><p>${links.map((w, j) => `<a href="#" data-key="l${k}-${j}" onclick="return false">${esc(w)}</a>`).join(' · ')}</p></div>`)
      .join('\n');
    return { status: 200, body: htmlPage('click-tab', `<div role="tablist">${tabs}</div>\n${panels}`, { script: SCRIPT }) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('l'));
    if (key === null) return PENDING;
    const right = key === `l${i.tab}-${i.link}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const link = find(view, 'link', i.panels[i.tab]![i.link]);
    if (link) return act.click(link);
    const tab = find(view, 'tab', i.tabs[i.tab]);
    return tab ? act.click(tab) : NOOP;
  },
};
