/**
 * email-inbox-forward: forward the message from a named sender to a named recipient. Sending a
 * forward of that message to that recipient +1; forwarding it to someone else 0; forwarding
 * another message −1.
 * @module
 */
import { str } from './events.js';
import { emailEvents, inboxPage, makeInbox, openTarget, showingTarget, type Inbox } from './email-app.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { FIRST_NAMES } from './vocab.js';

interface Instance extends Inbox {
  to: string;
}

export const emailInboxForward: BrowserTask<Instance> = {
  name: 'email-inbox-forward',
  description: 'find the e-mail from a sender and forward it to someone',
  maxTimeMs: 30_000,
  generate(rng) {
    const inbox = makeInbox(rng);
    const to = rng.pick(FIRST_NAMES.filter((n) => !inbox.emails.some((e) => e.from === n)));
    return { ...inbox, to };
  },
  goal: (i) => `Find the email by ${i.emails[i.target]!.from} and forward that email to ${i.to}.`,
  serve: (i, req) => (req.path === '/' ? { status: 200, body: inboxPage('email-inbox', i) } : null),
  check(i, events) {
    const send = emailEvents(events).find((e) => e.op === 'send' && e.mode === 'forward');
    if (!send) return PENDING;
    if (send.of !== i.target) return done(-1, { rightMessage: 0, rightRecipient: 0 });
    const rightTo = str(send.to).trim() === i.to;
    return done(rightTo ? 1 : 0, { rightMessage: 1, rightRecipient: rightTo ? 1 : 0 });
  },
  fillValues: (i) => [i.to],
  solve(i, view) {
    const heading = view.nodes.find((n) => n.role === 'heading');
    if (heading?.name === 'Forward') {
      const to = find(view, 'textbox', 'To');
      if (to && to.value !== i.to) return act.fill(to, i.to);
      const send = find(view, 'button', 'Send');
      return send ? act.click(send) : NOOP;
    }
    if (showingTarget(i, view)) {
      const fwd = find(view, 'button', 'Forward');
      return fwd ? act.click(fwd) : NOOP;
    }
    return openTarget(i, view);
  },
};
