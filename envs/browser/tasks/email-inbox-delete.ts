/**
 * email-inbox-delete: delete the message from a named sender (trash button in the list, or Delete in
 * the message). Deleting it +1, deleting another −1.
 * @module
 */
import { emailEvents, inboxPage, makeInbox, type Inbox } from './email-app.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';

export const emailInboxDelete: BrowserTask<Inbox> = {
  name: 'email-inbox-delete',
  description: 'find the e-mail from a sender and delete it',
  maxTimeMs: 30_000,
  generate: (rng) => makeInbox(rng),
  goal: (i) => `Find the email by ${i.emails[i.target]!.from} and click the trash icon to delete it.`,
  serve: (i, req) => (req.path === '/' ? { status: 200, body: inboxPage('email-inbox', i) } : null),
  check(i, events) {
    const del = emailEvents(events).find((e) => e.op === 'delete');
    if (!del) return PENDING;
    const right = del.of === i.target;
    return done(right ? 1 : -1, { correct: right ? 1 : 0 });
  },
  fillValues: () => [],
  solve(i, view) {
    const trash = find(view, 'button', `Delete message from ${i.emails[i.target]!.from}`);
    if (trash) return act.click(trash);
    const back = find(view, 'button', 'Back to inbox');
    return back ? act.click(back) : NOOP;
  },
};
