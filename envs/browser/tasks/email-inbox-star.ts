/**
 * email-inbox-star: star the message from a named sender. Starring it +1, starring another −1.
 * @module
 */
import { emailEvents, inboxPage, makeInbox, type Inbox } from './email-app.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';

export const emailInboxStar: BrowserTask<Inbox> = {
  name: 'email-inbox-star',
  description: 'find the e-mail from a sender and star it',
  maxTimeMs: 30_000,
  generate: (rng) => makeInbox(rng),
  goal: (i) => `Find the email by ${i.emails[i.target]!.from} and click the star icon to mark it as important.`,
  serve: (i, req) => (req.path === '/' ? { status: 200, body: inboxPage('email-inbox', i) } : null),
  check(i, events) {
    const star = emailEvents(events).find((e) => e.op === 'star' && e.on === true);
    if (!star) return PENDING;
    const right = star.of === i.target;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const star = find(view, 'button', `Star message from ${i.emails[i.target]!.from}`);
    if (star) return act.click(star);
    const back = find(view, 'button', 'Back to inbox');
    return back ? act.click(back) : NOOP;
  },
};
