import { describe, expect, it } from 'vitest';
import { actionLogprobs } from '../../../agents/llm/logprobs.js';

describe('actionLogprobs', () => {
  const content = 'Action: go to desk 1';
  const tokens = [
    { token: 'Action', logprob: -0.5 },
    { token: ':', logprob: -0.25 },
    { token: ' go', logprob: -1 },
    { token: ' to', logprob: -0.125 },
    { token: ' desk', logprob: -2 },
    { token: ' 1', logprob: -0.0625 },
  ];
  const span: [number, number] = [8, content.length];

  it('sums the log-probs of the tokens that cover the action', () => {
    expect(actionLogprobs(content, tokens, span, [])).toEqual({ logp: -1 - 0.125 - 2 - 0.0625, probs: null, tokens: 4 });
  });

  it('refuses tokens that do not spell the reply, and an empty span', () => {
    expect(actionLogprobs(content, tokens.slice(1), span, [])).toBeNull();
    expect(actionLogprobs(content, tokens, [8, 8], [])).toBeNull();
    expect(actionLogprobs(content, [...tokens.slice(0, 5), { token: ' 1', logprob: Number.NaN }], span, [])).toBeNull();
  });

  it('reads π over the candidates from one whole-action token whose alternatives are the candidates', () => {
    const t = [
      { token: 'Action: ', logprob: 0 },
      { token: 'bet', logprob: Math.log(0.75), top_logprobs: [{ token: 'bet', logprob: Math.log(0.75) }, { token: 'check', logprob: Math.log(0.25) }] },
    ];
    const r = actionLogprobs('Action: bet', t, [8, 11], ['check', 'bet'])!;
    expect(r.logp).toBeCloseTo(Math.log(0.75), 12);
    expect(r.probs![0]).toBeCloseTo(0.25, 12);
    expect(r.probs![1]).toBeCloseTo(0.75, 12);
    expect(actionLogprobs('Action: bet', t, [8, 11], ['check', 'bet', 'fold'])!.probs).toBeNull();
  });
});
