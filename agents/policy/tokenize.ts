/** The policy's word tokenizer, shared by the featurizer and its text transforms. @module */

const TOKEN_RE = /[\p{L}\p{N}]+/gu;

/** Lower-cased runs of letters and digits, at most `maxTokens` of them (the head of the text). */
export function tokenize(text: string, maxTokens = Infinity): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(TOKEN_RE)) {
    out.push(m[0]);
    if (out.length >= maxTokens) break;
  }
  return out;
}
