/**
 * HTML helpers for task pages: escaping, one document shell with a small shared style sheet, and
 * the ordinal words goals use. Pages are built as strings from seeded instances; every
 * instance-provided text goes through `esc`.
 * @module
 */
import { escapeHtml } from '../../shop/render.js';

export const esc = escapeHtml;

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:12px;color:#222;background:#fff}
#area{max-width:560px}button,.btn{font:inherit;margin:3px;padding:3px 10px;border:1px solid #888;border-radius:3px;background:#f4f4f4;cursor:pointer}
input,select,textarea{font:inherit;margin:3px}label{margin-right:8px}h1{font-size:18px;margin:4px 0 8px}h2{font-size:16px;margin:4px 0}
.hidden{display:none}.row{margin:4px 0}.muted{color:#666}a{color:#1a4fb4}`;

export interface PageOptions {
  /** Inline script run at the end of the body. */
  script?: string;
  /** Extra CSS. */
  style?: string;
}

/** A complete HTML document: `<title>` is the task name, the body is `body`. */
export function htmlPage(title: string, body: string, options: PageOptions = {}): string {
  const style = options.style ? `${STYLE}\n${options.style}` : STYLE;
  const script = options.script ? `<script>\n${options.script}\n</script>` : '';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${style}</style></head>\n<body>\n<div id="area">\n${body}\n</div>\n${script}\n</body></html>\n`;
}

/** A value for a script: JSON with `<` escaped, safe inside <script>. */
export function jsValue(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th', '10th', '11th', '12th'] as const;

export function ordinal(i: number): string {
  return ORDINALS[i] ?? `${i + 1}th`;
}

/** "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
