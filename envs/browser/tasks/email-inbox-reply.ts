/**
 * email-inbox-reply: reply to the message from a named sender with the quoted text. That reply
 * with exactly that text +1; a reply to it with other text 0; replying to another message −1.
 * @module
 */
import { str } from './events.js';
import { emailEvents, inboxPage, makeInbox, openTarget, showingTarget, type Inbox } from './email-app.js';
import { type BrowserTask, done, PENDING } from './types.js';
import { act, find, NOOP } from './view.js';
import { SENTENCES } from './vocab.js';

interface Instance extends Inbox {
  text: string;
}

export const emailInboxReply: BrowserTask<Instance> = {
  name: 'email-inbox-reply',
  description: 'find the e-mail from a sender and reply with a given text',
  maxTimeMs: 30_000,
  generate(rng) {
    return { ...makeInbox(rng), text: rng.pick(SENTENCES) };
  },
  goal: (i) => `Find the email by ${i.emails[i.target]!.from} and reply to them with the text "${i.text}".`,
  serve: (i, req) => (req.path === '/' ? { status: 200, body: inboxPage('email-inbox', i) } : null),
  check(i, events) {
    const send = emailEvents(events).find((e) => e.op === 'send' && e.mode === 'reply');
    if (!send) return PENDING;
    if (send.of !== i.target) return done(-1, { rightMessage: 0, rightText: 0 });
    const rightText = str(send.body).trim() === i.text;
    return done(rightText ? 1 : 0, { rightMessage: 1, rightText: rightText ? 1 : 0 });
  },
  fillValues: (i) => [i.text],
  solve(i, view) {
    const heading = view.nodes.find((n) => n.role === 'heading');
    if (heading?.name === 'Reply') {
      const body = find(view, 'textbox', 'Message');
      if (body && body.value !== i.text) return act.fill(body, i.text);
      const send = find(view, 'button', 'Send');
      return send ? act.click(send) : NOOP;
    }
    if (showingTarget(i, view)) {
      const reply = find(view, 'button', 'Reply');
      return reply ? act.click(reply) : NOOP;
    }
    return openTarget(i, view);
  },
};
