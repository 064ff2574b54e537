/**
 * What a language model read and wrote for one turn: the chat messages of its prompt, the text it
 * generated, and, where the model (or the server in front of it) says so, the completion's tokens,
 * their ids and their log-probs under the policy that sampled them.
 *
 * The same record comes from three places: the LM policy in process, `serve-policy`, and any
 * OpenAI-compatible server driven by the LLM agent. It rides on the agent's `Decision.tokens`, is
 * kept per step in the store (`steps.tokens`), and is what the export to Python trainers reads.
 * The advantage estimators never see it: they work on turns.
 *
 * A turn's sequence log-prob is the sum of its token log-probs over the loss mask
 * ({@link sequenceLogprob}); REFUEL's regression and DPO use that sum.
 * @module
 */

/** One chat message as the model read it. */
export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One alternative at a generated position (OpenAI's `top_logprobs` entry). */
export interface TopLogprob {
  token: string;
  logprob: number;
}

export interface TurnTokens {
  /** The chat messages the model was given for this turn, in order. */
  prompt: PromptMessage[];
  /** The prompt's token ids, when the tokenizer is known (the in-process LM); null otherwise. */
  promptIds: number[] | null;
  /** The whole generated text, before any parsing or mapping to an action. */
  completion: string;
  /** The completion's tokens as text, in order; null when the server returned none. */
  tokens: string[] | null;
  /** The completion's token ids, same order; null when unknown. */
  ids: number[] | null;
  /** log π_old of each completion token under the sampling policy; null when none came back. */
  logprobs: number[] | null;
  /** The alternatives at each position, when they were asked for. */
  top?: TopLogprob[][] | null;
  /**
   * 1 for each completion token the loss trains on (the action's tokens), 0 for the rest; same
   * length as `tokens`/`ids`. Absent: every completion token is trained on.
   */
  mask?: number[] | null;
  /** The model (or tokenizer) the ids belong to. */
  model?: string;
  /** Why generation stopped (`stop`, `length`, ...), as the server said. */
  finishReason?: string | null;
  /** The sampling parameters the completion was drawn with. */
  sampling?: { temperature?: number; topP?: number; maxTokens?: number };
}

/** The completion's token count: ids, else tokens, else log-probs; 0 when none is known. */
export function tokenCount(t: TurnTokens): number {
  return t.ids?.length ?? t.tokens?.length ?? t.logprobs?.length ?? 0;
}

/**
 * Σ mask_i · logprob_i: the turn's sequence log-prob under the sampling policy; null when the
 * log-probs are unknown or the mask does not fit them.
 */
export function sequenceLogprob(t: TurnTokens): number | null {
  const lp = t.logprobs;
  if (lp == null) return null;
  const mask = t.mask ?? null;
  if (mask !== null && mask.length !== lp.length) return null;
  let sum = 0;
  for (let i = 0; i < lp.length; i++) if (mask === null || mask[i] !== 0) sum += lp[i]!;
  return sum;
}

/**
 * What is wrong with a record (lengths that disagree, log-probs that are not finite or above 0), or
 * null when nothing is. The store refuses a record with a problem rather than keep one that a
 * trainer would misread.
 */
export function turnTokensProblem(t: TurnTokens): string | null {
  if (!Array.isArray(t.prompt)) return 'prompt must be an array of chat messages';
  for (const [i, m] of t.prompt.entries()) {
    if (m === null || typeof m !== 'object' || typeof m.content !== 'string' || !['system', 'user', 'assistant'].includes(m.role)) {
      return `prompt[${i}] must be {role: system|user|assistant, content: string}`;
    }
  }
  if (typeof t.completion !== 'string') return 'completion must be a string';
  const lengths: [string, number][] = [];
  if (t.tokens != null) lengths.push(['tokens', t.tokens.length]);
  if (t.ids != null) lengths.push(['ids', t.ids.length]);
  if (t.logprobs != null) lengths.push(['logprobs', t.logprobs.length]);
  if (t.top != null) lengths.push(['top', t.top.length]);
  if (t.mask != null) lengths.push(['mask', t.mask.length]);
  for (const [name, n] of lengths) {
    if (n !== lengths[0]![1]) return `${name} has ${n} entries but ${lengths[0]![0]} has ${lengths[0]![1]}: one per completion token`;
  }
  if (t.ids != null && !t.ids.every((x) => Number.isInteger(x) && x >= 0)) return 'ids must be non-negative integers';
  if (t.logprobs != null && !t.logprobs.every((x) => Number.isFinite(x) && x <= 1e-6)) return 'logprobs must be finite and ≤ 0';
  if (t.mask != null && !t.mask.every((x) => x === 0 || x === 1)) return 'mask entries must be 0 or 1';
  if (t.promptIds != null && !t.promptIds.every((x) => Number.isInteger(x) && x >= 0)) return 'promptIds must be non-negative integers';
  return null;
}
