import { describe, expect, it } from 'vitest';
import { completionTokens, type CompletionTokenInput } from '../../../agents/llm/completion-tokens.js';
import { turnTokensProblem } from '../../../agents/turn-tokens.js';

const prompt = [
  { role: 'system' as const, content: 'sys' },
  { role: 'user' as const, content: 'obs' },
];

function input(over: Partial<CompletionTokenInput> = {}): CompletionTokenInput {
  return {
    prompt,
    content: 'Action: go',
    truncated: false,
    logprobs: [
      { token: 'Action: ', logprob: -0.5 },
      { token: 'go', logprob: -1.25 },
    ],
    tokenIds: null,
    promptIds: null,
    model: 'm',
    finishReason: 'stop',
    keepTop: false,
    sampling: { temperature: 1, maxTokens: 16 },
    ...over,
  };
}

describe('completionTokens', () => {
  it('OpenAI-style logprobs.content: token strings and log-probs, no ids', () => {
    const { tokens, idSource, problem } = completionTokens(input());
    expect(tokens).toMatchObject({ completion: 'Action: go', tokens: ['Action: ', 'go'], ids: null, logprobs: [-0.5, -1.25], promptIds: null, model: 'm', finishReason: 'stop' });
    expect(tokens.prompt).toEqual(prompt);
    expect(idSource).toBeNull();
    expect(problem).toBeNull();
    expect(turnTokensProblem(tokens)).toBeNull();
  });

  it("vLLM's return_token_ids: choice token_ids and prompt_token_ids", () => {
    const { tokens, idSource } = completionTokens(input({ tokenIds: [17, 4], promptIds: [1, 2, 3] }));
    expect(tokens.ids).toEqual([17, 4]);
    expect(tokens.promptIds).toEqual([1, 2, 3]);
    expect(idSource).toBe('token_ids');
  });

  it('an explicit token_id field on every entry', () => {
    const { tokens, idSource } = completionTokens(input({ logprobs: [{ token: 'Action: ', logprob: -0.5, token_id: 9 }, { token: 'go', logprob: -1, token_id: 3 }] }));
    expect(tokens.ids).toEqual([9, 3]);
    expect(tokens.tokens).toEqual(['Action: ', 'go']);
    expect(idSource).toBe('token_id field');
  });

  it("vLLM's return_tokens_as_token_ids: `token_id:N` strings give ids; the texts are unknown", () => {
    const { tokens, idSource } = completionTokens(input({ logprobs: [{ token: 'token_id:9', logprob: -0.5 }, { token: 'token_id:3', logprob: -1 }] }));
    expect(tokens.ids).toEqual([9, 3]);
    expect(tokens.tokens).toBeNull();
    expect(tokens.logprobs).toEqual([-0.5, -1]);
    expect(idSource).toBe('token_id: strings');
  });

  it('a server without log-probs: text only (ids still read when sent)', () => {
    expect(completionTokens(input({ logprobs: null })).tokens).toMatchObject({ tokens: null, ids: null, logprobs: null, completion: 'Action: go' });
    expect(completionTokens(input({ logprobs: null, tokenIds: [5, 6, 7] })).tokens.ids).toEqual([5, 6, 7]);
  });

  it('drops what contradicts itself and says so', () => {
    const mismatch = completionTokens(input({ tokenIds: [1, 2, 3] }));
    expect(mismatch.tokens.ids).toBeNull();
    expect(mismatch.tokens.logprobs).toEqual([-0.5, -1.25]);
    expect(mismatch.problem).toMatch(/3 token ids for 2 log-prob entries/);
    const positive = completionTokens(input({ logprobs: [{ token: 'Action: ', logprob: 0.5 }, { token: 'go', logprob: -1 }] }));
    expect(positive.tokens.logprobs).toBeNull();
    expect(positive.tokens.tokens).toEqual(['Action: ', 'go']);
    expect(positive.problem).toMatch(/not finite numbers ≤ 0/);
    expect(completionTokens(input({ tokenIds: [1, -2] })).tokens.ids).toBeNull();
    expect(turnTokensProblem(mismatch.tokens)).toBeNull();
  });

  it('a cut reply keeps its text and no tokens', () => {
    const cut = completionTokens(input({ truncated: true, tokenIds: [1, 2] }));
    expect(cut.tokens).toMatchObject({ tokens: null, ids: null, logprobs: null });
    expect(cut.problem).toMatch(/cut at maxReplyChars/);
  });

  it('keeps the alternatives only when asked', () => {
    const entries = [
      { token: 'Action: ', logprob: 0, top_logprobs: [{ token: 'Action: ', logprob: 0 }] },
      { token: 'go', logprob: -0.1, top_logprobs: [{ token: 'go', logprob: -0.1 }, { token: 'look', logprob: -2.4 }] },
    ];
    expect(completionTokens(input({ logprobs: entries })).tokens.top).toBeUndefined();
    expect(completionTokens(input({ logprobs: entries, keepTop: true })).tokens.top).toEqual([[{ token: 'Action: ', logprob: 0 }], [{ token: 'go', logprob: -0.1 }, { token: 'look', logprob: -2.4 }]]);
  });
});
