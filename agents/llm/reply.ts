/**
 * Reading the action out of a model's reply: the last `Action: ...` line, else the last fenced
 * block, else the last non-empty line. A reasoning model's `<think>...</think>` part is skipped.
 * Pure; the span says where the action text sits in the reply (for its token log-probs).
 * @module
 */

/** How the action text was found. */
export type ReplyParse = 'action-line' | 'fenced' | 'last-line' | 'empty';

export interface ParsedReply {
  /** The action text as the model wrote it (wrapping quotes, backticks and bold removed). */
  text: string;
  how: ReplyParse;
  /** [start, end) of `text` in the reply; null when nothing was found. */
  span: [number, number] | null;
}

const ACTION_LINE = /^[ \t>*_#-]*(?:\*\*|__)?action(?:\*\*|__)?[ \t]*(?:\*\*|__)?[:：](?:\*\*|__)?[ \t]*(.*?)[ \t\r]*$/dgim;
const FENCE = /```[^\n`]*\n([\s\S]*?)\n?```/dg;
const THINK_END = '</think>';

/** Strips one layer of wrapping quotes, backticks, bold or brackets that are not part of the action. */
function unwrap(text: string, start: number): { text: string; start: number } {
  let t = text;
  let s = start;
  for (;;) {
    const m = /^(\*\*|__|`|"|'|“)([\s\S]*)(\*\*|__|`|"|'|”)$/.exec(t);
    if (m === null || t.length < 2) break;
    const [open, close] = [m[1] as string, m[3] as string];
    const pair = open === close || (open === '“' && close === '”');
    if (!pair) break;
    t = m[2] as string;
    s += open.length;
  }
  return { text: t, start: s };
}

export function parseReply(reply: string): ParsedReply {
  const thinkEnd = reply.lastIndexOf(THINK_END);
  const base = thinkEnd >= 0 ? thinkEnd + THINK_END.length : 0;
  const body = reply.slice(base);

  let found: { text: string; start: number } | null = null;
  for (const m of body.matchAll(ACTION_LINE)) {
    const text = m[1] as string;
    if (text.length === 0) continue;
    found = { text, start: (m.indices?.[1] as [number, number])[0] };
  }
  if (found !== null) return done(found, 'action-line', base);

  let fenced: { text: string; start: number } | null = null;
  for (const m of body.matchAll(FENCE)) {
    const inner = m[1] as string;
    const trimmed = inner.trim();
    if (trimmed.length === 0) continue;
    fenced = { text: trimmed, start: (m.indices?.[1] as [number, number])[0] + inner.indexOf(trimmed) };
  }
  if (fenced !== null) return done(fenced, 'fenced', base);

  const lines = body.split('\n');
  let offset = body.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    offset -= line.length + (i < lines.length - 1 ? 1 : 0);
    const trimmed = line.trim();
    if (trimmed.length > 0) return done({ text: trimmed, start: offset + line.indexOf(trimmed) }, 'last-line', base);
  }
  return { text: '', how: 'empty', span: null };
}

function done(found: { text: string; start: number }, how: ReplyParse, base: number): ParsedReply {
  const u = unwrap(found.text, found.start);
  const start = base + u.start;
  return { text: u.text, how, span: [start, start + u.text.length] };
}
