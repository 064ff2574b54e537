/**
 * The action's log-probability from an OpenAI-style `logprobs.content` list (one entry per
 * generated token: `token`, `logprob`, `top_logprobs`). Pure.
 *
 * log π(action) is the sum of the log-probs of the tokens that cover the action text in the
 * reply. It is only meaningful when the action the env gets is the text the model wrote (an exact
 * match): a fuzzy-mapped action was never generated, so it gets none. When the alternatives at the
 * action's first token are exactly the candidates (a server whose tokens are whole actions, such as
 * `ludus serve-policy`), they give π over the candidates too.
 * @module
 */

export interface TokenLogprob {
  token: string;
  logprob: number;
  top_logprobs?: readonly { token: string; logprob: number }[] | null;
}

export interface ActionLogprobs {
  logp: number;
  /** π over the candidates (their order), when the server listed every candidate as an alternative. */
  probs: number[] | null;
  /** Tokens that cover the action. */
  tokens: number;
}

/**
 * @param content the reply text the tokens spell
 * @param tokens `choices[0].logprobs.content`
 * @param span [start, end) of the action in `content`
 * @returns null when the tokens do not spell the content (a server that tokenises differently
 *   from what it returns) or cover no part of the span
 */
export function actionLogprobs(content: string, tokens: readonly TokenLogprob[], span: readonly [number, number], candidates: readonly string[]): ActionLogprobs | null {
  if (tokens.map((t) => t.token).join('') !== content) return null;
  const [start, end] = span;
  if (end <= start) return null;
  let at = 0;
  let logp = 0;
  let count = 0;
  let first: TokenLogprob | undefined;
  for (const t of tokens) {
    const from = at;
    at += t.token.length;
    if (at <= start || from >= end) continue;
    if (!Number.isFinite(t.logprob)) return null;
    logp += t.logprob;
    count += 1;
    first ??= t;
  }
  if (count === 0) return null;
  return { logp, probs: first && count === 1 ? candidateProbs(first, candidates) : null, tokens: count };
}

function candidateProbs(token: TokenLogprob, candidates: readonly string[]): number[] | null {
  const alternatives = new Map((token.top_logprobs ?? []).map((a) => [a.token, a.logprob]));
  if (candidates.length === 0 || !candidates.every((c) => alternatives.has(c))) return null;
  const p = candidates.map((c) => Math.exp(alternatives.get(c) as number));
  const total = p.reduce((a, b) => a + b, 0);
  return total > 0 ? p.map((x) => x / total) : null;
}
