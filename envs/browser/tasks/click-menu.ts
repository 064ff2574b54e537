/**
 * click-menu: a menu bar whose items open sub-menus (on hover or click); choose the item the goal
 * names. The right item +1, another leaf item −1.
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  menus: string[];
  items: string[][];
  menu: number;
  item: number;
}

const STYLE = `.menubar{display:flex;gap:6px}.menu{position:relative}.sub{position:absolute;top:30px;left:0;background:#fff;border:1px solid #999;padding:4px;z-index:2;min-width:120px}
.sub button{display:block;width:100%;text-align:left}`;

const SCRIPT = `const tops = document.querySelectorAll('.menu > button');
function openMenu(b) {
  tops.forEach((t) => { const on = t === b; t.setAttribute('aria-expanded', String(on)); document.getElementById(t.getAttribute('aria-controls')).classList.toggle('hidden', !on); });
}
tops.forEach((b) => { b.addEventListener('mouseenter', () => openMenu(b)); b.addEventListener('click', () => openMenu(b)); });`;

export const clickMenu: BrowserTask<Instance> = {
  name: 'click-menu',
  description: 'open a menu (hover or click) and choose a named item',
  maxTimeMs: 10_000,
  generate(rng) {
    const n = rng.range(2, 4);
    const words = rng.sample(WORDS, n * 4);
    const menus = words.slice(0, n).map((w) => w[0]!.toUpperCase() + w.slice(1));
    const items = Array.from({ length: n }, (_, m) => words.slice(n + m * 3, n + m * 3 + 3));
    return { menus, items, menu: rng.int(n), item: rng.int(3) };
  },
  goal: (i) => `Select ${i.menus[i.menu]} > ${i.items[i.menu]![i.item]} from the menu.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const menus = i.menus
      .map(
        (m, k) =>
          `<div class="menu"><button aria-haspopup="menu" aria-expanded="false" aria-controls="m${k}">${esc(m)}</button><div id="m${k}" class="sub hidden" role="menu">${i.items[k]!.map((it, j) => `<button role="menuitem" data-key="i${k}-${j}">${esc(it)}</button>`).join('')}</div></div>`,
      )
      .join('\n');
    return { status: 200, body: htmlPage('click-menu', `<div class="menubar" role="menubar">${menus}</div><p style="margin-top:120px" class="muted">Choose from the menu above.</p>`, { style: STYLE, script: SCRIPT }) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('i'));
    if (key === null) return PENDING;
    const right = key === `i${i.menu}-${i.item}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const item = find(view, 'menuitem', i.items[i.menu]![i.item]);
    if (item && item.clickable) return act.click(item);
    const top = find(view, 'button', i.menus[i.menu]);
    return top ? act.hover(top) : NOOP;
  },
};
