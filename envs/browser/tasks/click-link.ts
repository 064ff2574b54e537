/**
 * click-link: a paragraph of words, some of them links; click the link the goal names. The right
 * link +1, another link −1.
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { WORDS } from './vocab.js';

interface Instance {
  /** Words of the paragraph, in order. */
  words: string[];
  /** Indices of the words that are links. */
  links: number[];
  /** Index (into words) of the target link. */
  target: number;
}

export const clickLink: BrowserTask<Instance> = {
  name: 'click-link',
  description: 'click the link with a given text in a paragraph',
  maxTimeMs: 10_000,
  generate(rng) {
    const words = rng.sample(WORDS, rng.range(10, 16));
    const links = rng.sample([...words.keys()], rng.range(2, 5)).sort((a, b) => a - b);
    return { words, links, target: rng.pick(links) };
  },
  goal: (i) => `Click on the link "${i.words[i.target]}".`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const text = i.words.map((w, k) => (i.links.includes(k) ? `<a href="#" data-key="l${k}" onclick="return false">${esc(w)}</a>` : esc(w))).join(' ');
    return { status: 200, body: htmlPage('click-link', `<p>${text}.</p>`) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('l'));
    if (key === null) return PENDING;
    const right = key === `l${i.target}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const link = find(view, 'link', i.words[i.target]);
    return link ? act.click(link) : NOOP;
  },
};
