/**
 * search-engine: type the quoted query, press Search, then click the n-th result (three results per
 * page, pages 1-3). The right result of the right query +1; any other result −1 (a wrong query
 * shows results of its own, none of them right).
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage, jsValue, ordinal } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  query: string;
  /** The 9 result titles of the right query. */
  results: string[];
  /** 0-based rank of the result to click. */
  target: number;
  /** Titles shown for any other query. */
  decoys: string[];
}

const PER_PAGE = 3;

const SCRIPT = `(() => {
const DATA = DATA_JSON;
const box = document.getElementById('q');
const list = document.getElementById('results');
const pages = document.getElementById('pages');
let titles = [], prefix = 'x';
function show(page) {
  list.textContent = '';
  titles.slice(page * 3, page * 3 + 3).forEach((t, k) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '#'; a.textContent = t; a.setAttribute('data-key', prefix + (page * 3 + k));
    a.addEventListener('click', (e) => e.preventDefault());
    li.appendChild(a); list.appendChild(li);
  });
  pages.textContent = '';
  for (let p = 0; p < Math.ceil(titles.length / 3); p++) {
    const b = document.createElement('button');
    b.textContent = String(p + 1); b.setAttribute('aria-label', 'Page ' + (p + 1));
    if (p === page) b.setAttribute('aria-pressed', 'true');
    b.addEventListener('click', () => show(p));
    pages.appendChild(b);
  }
}
document.getElementById('search').addEventListener('click', () => {
  const right = box.value.trim() === DATA.query;
  titles = right ? DATA.results : DATA.decoys.map((t) => box.value.trim() + ' ' + t);
  prefix = right ? 'r' : 'x';
  document.getElementById('heading').textContent = 'Results for ' + box.value.trim();
  show(0);
});
})();`;

export const searchEngine: BrowserTask<Instance> = {
  name: 'search-engine',
  description: 'search for a query and click the n-th result (results span three pages)',
  maxTimeMs: 20_000,
  generate(rng) {
    const query = rng.sample(WORDS, 2).join(' ');
    const results = Array.from({ length: 9 }, () => `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.pick(['guide', 'news', 'wiki', 'shop', 'blog', 'forum'])}`);
    const unique = [...new Set(results)];
    while (unique.length < 9) unique.push(`${rng.pick(WORDS)} ${unique.length} notes`);
    return { query, results: unique, target: rng.int(9), decoys: Array.from({ length: 6 }, () => `${rng.pick(WORDS)} page`) };
  },
  goal: (i) => `Use the textbox to enter "${i.query}" and press "Search", then find and click the ${ordinal(i.target)} search result.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const body = `<div><label>Search <input type="text" id="q"></label> <button id="search">Search</button></div>
<h2 id="heading"></h2><ol id="results"></ol><div id="pages" role="group" aria-label="Pages"></div>`;
    return { status: 200, body: htmlPage('search-engine', body, { script: SCRIPT.replace('DATA_JSON', jsValue({ query: i.query, results: i.results, decoys: i.decoys })) }) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('r') || k.startsWith('x'));
    if (key === null) return PENDING;
    const right = key === `r${i.target}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0, rightQuery: key.startsWith('r') ? 1 : 0 });
  },
  fillValues: (i) => [i.query],
  solve(i, view) {
    const heading = view.nodes.find((n) => n.role === 'heading');
    const box = find(view, 'textbox', 'Search');
    if (!box) return NOOP;
    if (heading?.name !== `Results for ${i.query}`) {
      if (box.value !== i.query) return act.fill(box, i.query);
      const search = find(view, 'button', 'Search');
      return search ? act.click(search) : NOOP;
    }
    const link = find(view, 'link', i.results[i.target]);
    if (link) return act.click(link);
    const page = find(view, 'button', `Page ${Math.floor(i.target / PER_PAGE) + 1}`);
    return page ? act.click(page) : NOOP;
  },
};
