import { beforeAll, describe, expect, it } from 'vitest';
import { BpeTokenizer, trainBpe } from '../../../agents/lm/bpe.js';
import { CHAT_SPECIAL_TOKENS, END_OF_TURN } from '../../../agents/lm/chat-template.js';
import { actionTrie } from '../../../agents/lm/constrain.js';
import type { LanguageModel } from '../../../agents/lm/language-model.js';
import { LmAgent } from '../../../agents/lm/lm-agent.js';
import { chooseToken, logSoftmax } from '../../../agents/lm/sampling.js';
import { TransformerLm } from '../../../agents/lm/transformer.js';
import { selectBackend } from '../../../agents/policy/backend.js';
import { runEpisode } from '../../../agents/run-episode.js';
import { make } from '../../../envs/core/registry.js';
import { Rng } from '../../../envs/core/rng.js';
import '../../../envs/builtin.js';

let lm: LanguageModel;

beforeAll(async () => {
  await selectBackend();
  const tokenizer = new BpeTokenizer(trainBpe(['go to desk 1', 'You arrive at desk 1. On the desk 1, you see a mug 2.', 'take mug 2 from desk 1'], { vocabSize: 320, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
  lm = { tokenizer, model: TransformerLm.create({ vocabSize: tokenizer.vocabSize, dModel: 16, layers: 1, heads: 2, dFf: 32, context: 256, seed: 1 }) };
});

describe('constrained decoding', () => {
  it('the prefix tree allows exactly the next tokens of the actions that start with what is written', () => {
    const t = lm.tokenizer;
    const end = t.special(END_OF_TURN);
    const trie = actionTrie(t, ['go to desk 1', 'go to desk 2', 'take mug 2 from desk 1', '  ', 'go to desk 1'], end);
    const go1 = t.encode('go to desk 1');
    const go2 = t.encode('go to desk 2');
    const take = t.encode('take mug 2 from desk 1');
    expect(trie.next([])).toEqual(new Set([go1[0], take[0]]));
    // 'go to desk 1' and 'go to desk 2' share every token but the digit
    const shared = go1.findIndex((id, i) => id !== go2[i]);
    expect(shared).toBeGreaterThan(0);
    expect(trie.next(go1.slice(0, shared))).toEqual(new Set([go1[shared], go2[shared]]));
    expect(trie.next(go1)).toEqual(new Set([end]));
    expect(trie.next([...go1, end])).toEqual(new Set());
    expect(trie.next([take[0]!, go1[1]! === take[1] ? -1 : go1[1]!])).toEqual(new Set());
  });

  it('chooseToken renormalises over the allowed tokens, by hand', () => {
    const logits = Float32Array.of(2, 1, 0, -1);
    const c = chooseToken(logits, 0, 4, { temperature: 0, topP: 1, topLogprobs: 2 }, new Rng(0), new Set([1, 3]));
    expect(c.id).toBe(1);
    // log(e^1 / (e^1 + e^-1))
    expect(c.logprob).toBeCloseTo(1 - Math.log(Math.exp(1) + Math.exp(-1)), 12);
    expect(c.top.map((x) => x.id)).toEqual([1, 3]);
    for (let s = 0; s < 40; s++) expect([1, 3]).toContain(chooseToken(logits, 0, 4, { temperature: 1, topP: 1, topLogprobs: 0 }, new Rng(s), new Set([1, 3])).id);
    // an empty set constrains nothing
    expect(chooseToken(logits, 0, 4, { temperature: 0, topP: 1, topLogprobs: 0 }, new Rng(0), new Set()).logprob).toBeCloseTo(logSoftmax(logits, 0, 4)[0]!, 12);
  });

  it('an untrained model constrained to the admissible actions never writes an invalid one; unconstrained it does', async () => {
    const play = async (constrain: boolean) => {
      const env = make('household-v1', { difficulty: 'easy', maxEpisodeSteps: 6 });
      const agent = new LmAgent(lm, { rng: new Rng(3), constrain, maxTokens: 24, warn: () => undefined });
      const episode = await runEpisode(env, agent, { reset: { task: { split: 'train', index: 0 }, seed: 0 } });
      await agent.close();
      return episode;
    };
    const constrained = await play(true);
    expect(constrained.steps.length).toBeGreaterThan(0);
    for (const s of constrained.steps) {
      expect(s.result.info.invalid).toBeUndefined();
      expect(s.decision.tokens!.finishReason).toBe('stop');
    }
    const free = await play(false);
    expect(free.steps.some((s) => s.result.info.invalid !== undefined)).toBe(true);
  });
});
