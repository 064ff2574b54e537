/**
 * social-media: a feed of posts, each with Reply, Retweet, Like and Share buttons; press the named
 * button of the post by the named user. The right button of the right post +1, any other post
 * button −1. The buttons are named only by their action: which post they belong to is read from
 * the tree's structure (the article they sit in).
 * @module
 */
import { firstClick } from './events.js';
import { esc, htmlPage } from './html.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, NOOP } from './view.js';
import { SENTENCES, USERNAMES } from './vocab.js';

const ACTIONS = ['Reply', 'Retweet', 'Like', 'Share'] as const;

interface Instance {
  posts: { user: string; text: string }[];
  target: number;
  action: (typeof ACTIONS)[number];
}

export const socialMedia: BrowserTask<Instance> = {
  name: 'social-media',
  description: "press an action button (Like, Share, ...) on a given user's post",
  maxTimeMs: 15_000,
  generate(rng) {
    const users = rng.sample(USERNAMES, rng.range(3, 5));
    return { posts: users.map((user) => ({ user, text: rng.pick(SENTENCES) })), target: rng.int(users.length), action: rng.pick(ACTIONS) };
  },
  goal: (i) => `For the user @${i.posts[i.target]!.user}, click on the "${i.action}" button.`,
  serve(i, req) {
    if (req.path !== '/') return null;
    const posts = i.posts
      .map(
        (p, k) =>
          `<article class="row" aria-label="Post by @${esc(p.user)}"><b>@${esc(p.user)}</b> <span>${esc(p.text)}</span><div>${ACTIONS.map((a) => `<button data-key="p${k}-${a}">${a}</button>`).join('')}</div></article>`,
      )
      .join('\n');
    return { status: 200, body: htmlPage('social-media', posts) };
  },
  check(i, events) {
    const key = firstClick(events, (k) => k.startsWith('p'));
    if (key === null) return PENDING;
    const right = key === `p${i.target}-${i.action}`;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const at = view.nodes.findIndex((n) => n.role === 'article' && n.name === `Post by @${i.posts[i.target]!.user}`);
    if (at < 0) return NOOP;
    const depth = view.nodes[at]!.depth;
    for (let k = at + 1; k < view.nodes.length && view.nodes[k]!.depth > depth; k++) {
      const n = view.nodes[k]!;
      if (n.role === 'button' && n.name === i.action && n.id !== null) return act.click(n);
    }
    return NOOP;
  },
};
