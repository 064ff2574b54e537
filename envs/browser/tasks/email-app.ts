/**
 * The e-mail inbox the four email-inbox tasks share: an inbox list (sender, subject, a star button
 * and a trash button per message), a message view (Reply, Forward, Delete, Star, Back) and a
 * compose view (To, Message, Send). It reports what the user did as `email` events:
 * `{op: 'send', mode: 'reply'|'forward', of, to, body}`, `{op: 'delete', of}`, `{op: 'star', of, on}`.
 * @module
 */
import type { Rng } from '../../core/rng.js';
import { esc, htmlPage, jsValue } from './html.js';
import type { TaskEvent } from './types.js';
import { act, find, NOOP } from './view.js';
import type { PageView } from './types.js';
import { FIRST_NAMES, SENTENCES, WORDS } from './vocab.js';

export interface Email {
  from: string;
  subject: string;
  body: string;
}

export interface Inbox {
  emails: Email[];
  /** The message the task is about. */
  target: number;
}

export function makeInbox(rng: Rng): Inbox {
  const n = rng.range(3, 5);
  const senders = rng.sample(FIRST_NAMES, n);
  const emails = senders.map((from) => ({ from, subject: `${rng.pick(WORDS)} ${rng.pick(WORDS)}`, body: rng.pick(SENTENCES) }));
  return { emails, target: rng.int(n) };
}

const SCRIPT = `(() => {
const EMAILS = EMAILS_JSON;
const gone = new Set(), starred = new Set();
const app = document.getElementById('app');
const el = (tag, attrs, text) => { const e = document.createElement(tag); for (const k in attrs) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; return e; };
const btn = (label, fn, extra) => { const b = el('button', Object.assign({ 'aria-label': label }, extra || {}), extra && extra.text !== undefined ? extra.text : label); b.removeAttribute('text'); b.addEventListener('click', fn); return b; };
function star(k) { if (starred.has(k)) starred.delete(k); else starred.add(k); window.__ludus.emit({ type: 'email', op: 'star', of: k, on: starred.has(k) }); }
function inbox() {
  app.textContent = '';
  app.appendChild(el('h1', {}, 'Inbox'));
  const list = el('ul', { 'aria-label': 'Messages' });
  EMAILS.forEach((m, k) => {
    if (gone.has(k)) return;
    const li = el('li');
    li.appendChild(btn(m.from + ': ' + m.subject, () => open(k)));
    li.appendChild(btn('Star message from ' + m.from, () => { star(k); inbox(); }, { 'aria-pressed': String(starred.has(k)), text: starred.has(k) ? '★' : '☆' }));
    li.appendChild(btn('Delete message from ' + m.from, () => { gone.add(k); window.__ludus.emit({ type: 'email', op: 'delete', of: k }); inbox(); }, { text: '🗑' }));
    list.appendChild(li);
  });
  app.appendChild(list);
}
function open(k) {
  const m = EMAILS[k];
  app.textContent = '';
  app.appendChild(btn('Back to inbox', inbox));
  app.appendChild(el('h1', {}, m.subject));
  app.appendChild(el('p', {}, 'From: ' + m.from));
  app.appendChild(el('p', {}, m.body));
  app.appendChild(btn('Reply', () => compose(k, 'reply')));
  app.appendChild(btn('Forward', () => compose(k, 'forward')));
  app.appendChild(btn('Delete', () => { gone.add(k); window.__ludus.emit({ type: 'email', op: 'delete', of: k }); inbox(); }));
  app.appendChild(btn(starred.has(k) ? 'Unstar' : 'Star', () => { star(k); open(k); }));
}
function compose(k, mode) {
  const m = EMAILS[k];
  app.textContent = '';
  app.appendChild(btn('Back to inbox', inbox));
  app.appendChild(el('h1', {}, mode === 'reply' ? 'Reply' : 'Forward'));
  const to = el('input', { type: 'text', 'aria-label': 'To' });
  to.value = mode === 'reply' ? m.from : '';
  const body = el('textarea', { 'aria-label': 'Message', rows: '4', cols: '40' });
  body.value = mode === 'forward' ? m.body : '';
  app.appendChild(to); app.appendChild(el('br')); app.appendChild(body); app.appendChild(el('br'));
  app.appendChild(btn('Send', () => { window.__ludus.emit({ type: 'email', op: 'send', mode: mode, of: k, to: to.value, body: body.value }); inbox(); }));
}
inbox();
})();`;

export function inboxPage(title: string, inbox: Inbox): string {
  return htmlPage(title, `<div id="app"></div>`, { script: SCRIPT.replace('EMAILS_JSON', jsValue(inbox.emails)) });
}

/** The `email` events of the log, in order. */
export function emailEvents(events: readonly TaskEvent[]): TaskEvent[] {
  return events.filter((e) => e.type === 'email');
}

/** Opens the target message (from the inbox or wherever the view is). */
export function openTarget(inbox: Inbox, view: PageView): string {
  const m = inbox.emails[inbox.target] as Email;
  const item = find(view, 'button', `${m.from}: ${m.subject}`);
  if (item) return act.click(item);
  const back = find(view, 'button', 'Back to inbox');
  return back ? act.click(back) : NOOP;
}

/** True when the view shows the target message. */
export function showingTarget(inbox: Inbox, view: PageView): boolean {
  const m = inbox.emails[inbox.target] as Email;
  return view.nodes.some((n) => n.role === 'heading' && n.name === m.subject) && view.nodes.some((n) => n.role === 'StaticText' && n.name === `From: ${m.from}`);
}

export { esc };
