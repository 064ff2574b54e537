/**
 * click-collapsible: sections whose content is hidden until their header is expanded; find the
 * link the goal names (in one of them) and click it. The right link +1, another link −1.
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  sections: string[];
  links: string[][];
  section: number;
  link: number;
}

const SCRIPT = `document.querySelectorAll('button[aria-expanded]').forEach((b) => b.addEventListener('click', () => {
  const open = b.getAttribute('aria-expanded') !== 'true';
  b.setAttribute('aria-expanded', String(open));
  document.getElementById(b.getAttribute('aria-controls')).classList.toggle('hidden', !open);
}));`;

export const clickCollapsible: BrowserTask<Instance> = {
  name: 'click-collapsible',
  description: 'expand the right collapsed section and click a named link inside it',
  maxTimeMs: 10_000,
  generate(rng) {
    const n = rng.range(2, 4);
    const words = rng.sample(WORDS, n * 4);
    const sections = words.slice(0, n).map((w) => `Section ${w}`);
    const links = Array.from({ length: n }, (_, s) => words.slice(n + s * 3, n + s * 3 + 3));
    return { sections, links, section: rng.int(n), link: rng.int(3) };
  },
  goal: (i) => `Expand the sections to find the link "${i.links[i.section]![i.link]}" and click it.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = i.sections
      .map(
        (s, k) =>
          `<div class="row"><h2><button aria-expanded="false" aria-controls="sec${k}">${esc(s)}</button></h2><div id="sec${k}" class="hidden"><p>${i.links[k]!.map((w, j) => `<a href="#" data-key="l${k}-${j}" onclick="return false">${esc(w)}</a>`).join(' · ')}</p></div></div>`,
      )
      .join('\n');
    return { status: 200, body: htmlPage('click-collapsible', body, { script: SCRIPT }) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('l'));
    if (key === null) return PENDING;
    const right = key === `l${i.section}-${i.link}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const link = find(view, 'link', i.links[i.section]![i.link]);
    if (link) return act.click(link);
    const header = find(view, 'button', i.sections[i.section]);
    return header ? act.click(header) : NOOP;
  },
};
