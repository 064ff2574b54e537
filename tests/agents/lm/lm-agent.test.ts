import { beforeAll, describe, expect, it } from 'vitest';
import { BpeTokenizer, trainBpe } from '../../../agents/lm/bpe.js';
import { CHAT_SPECIAL_TOKENS, renderChat } from '../../../agents/lm/chat-template.js';
import { generate } from '../../../agents/lm/generate.js';
import { fitPrompt, teacherTurn, type LanguageModel } from '../../../agents/lm/language-model.js';
import { LmAgent } from '../../../agents/lm/lm-agent.js';
import { chooseToken, logSoftmax, nucleus } from '../../../agents/lm/sampling.js';
import { transcriptOf } from '../../../agents/lm/transcript.js';
import { TransformerLm } from '../../../agents/lm/transformer.js';
import { selectBackend } from '../../../agents/policy/backend.js';
import { runEpisode } from '../../../agents/run-episode.js';
import { turnTokensProblem } from '../../../agents/turn-tokens.js';
import { make } from '../../../envs/core/registry.js';
import { Rng } from '../../../envs/core/rng.js';
import '../../../envs/builtin.js';

let lm: LanguageModel;

beforeAll(async () => {
  await selectBackend();
  const tokenizer = new BpeTokenizer(trainBpe(['go to desk 1', 'You arrive at desk 1. On the desk 1, you see a mug 2.', 'take mug 2 from desk 1'], { vocabSize: 320, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
  lm = { tokenizer, model: TransformerLm.create({ vocabSize: tokenizer.vocabSize, dModel: 16, layers: 1, heads: 2, dFf: 32, context: 256, seed: 1 }) };
});

describe('sampling', () => {
  const logits = Float32Array.of(2, 1, 0, -1);
  it('log-softmax at a temperature, by hand', () => {
    const lp = logSoftmax(logits, 0, 4, 2); // logits/2 = 1, .5, 0, -.5
    const lse = Math.log(Math.exp(1) + Math.exp(0.5) + 1 + Math.exp(-0.5));
    expect(lp[0]).toBeCloseTo(1 - lse, 12);
    expect(lp[3]).toBeCloseTo(-0.5 - lse, 12);
  });

  it('greedy takes the argmax and reports log π at T = 1; top-p keeps the smallest nucleus', () => {
    const c = chooseToken(logits, 0, 4, { temperature: 0, topP: 1, topLogprobs: 2 }, new Rng(0));
    expect(c.id).toBe(0);
    expect(c.logprob).toBeCloseTo(logSoftmax(logits, 0, 4)[0]!, 12);
    expect(c.top.map((t) => t.id)).toEqual([0, 1]);
    const lp = logSoftmax(logits, 0, 4); // p ≈ .644, .237, .087, .032
    expect(nucleus(lp, [0, 1, 2, 3], 0.6)).toEqual([0]);
    expect(nucleus(lp, [0, 1, 2, 3], 0.85)).toEqual([0, 1]);
    for (let s = 0; s < 50; s++) expect(chooseToken(logits, 0, 4, { temperature: 1, topP: 0.85, topLogprobs: 0 }, new Rng(s)).id).toBeLessThan(2);
  });
});

describe('prompt fitting', () => {
  it('drops the oldest turns in blocks, keeps the system message and the current observation', () => {
    const history = Array.from({ length: 12 }, (_, i) => ({ observation: `You arrive at desk ${i}.`, action: 'go to desk 1' }));
    const messages = transcriptOf({ envId: 'household-v1', text: 'You see a mug 2.', history });
    const full = renderChat(lm.tokenizer, messages, { generation: true });
    const fitted = fitPrompt(lm.tokenizer, messages, full.length - 10, 4);
    expect(fitted.droppedMessages).toBe(8); // one block of 4 turns
    expect(fitted.messages[0]).toEqual(messages[0]);
    expect(fitted.messages.at(-1)).toEqual(messages.at(-1));
    expect(fitted.ids.length).toBeLessThanOrEqual(full.length - 10);
    const tiny = fitPrompt(lm.tokenizer, messages, 12);
    expect(tiny.ids).toHaveLength(12);
    expect(tiny.cutTokens).toBeGreaterThan(0);
  });
});

describe('the LM agent', () => {
  it('generates several prompts together, reusing caches, as it generates each alone', () => {
    const prompts = [renderChat(lm.tokenizer, [{ role: 'user', content: 'go to desk 1' }], { generation: true }), renderChat(lm.tokenizer, [{ role: 'user', content: 'take mug 2' }], { generation: true })];
    const stop = new Set([lm.tokenizer.special('<|end|>')]);
    const req = (p: number[]) => ({ prompt: p, maxTokens: 6, sampling: { temperature: 0, topP: 1, topLogprobs: 0 }, rng: new Rng(0) });
    const together = generate(lm.model, prompts.map(req), { stop, keepCaches: false });
    const alone = prompts.map((p) => generate(lm.model, [req(p)], { stop, keepCaches: false })[0]!);
    expect(together.map((g) => g.ids)).toEqual(alone.map((g) => g.ids));
    together.forEach((g, i) => g.logprobs.forEach((lp, t) => expect(lp).toBeCloseTo(alone[i]!.logprobs[t]!, 4)));
  });

  it('extends a kept cache: the next turn reads only its new tokens and writes what a fresh read writes', () => {
    const stop = new Set([lm.tokenizer.special('<|end|>')]);
    const sampling = { temperature: 0, topP: 1, topLogprobs: 0 };
    const first = generate(lm.model, [{ prompt: renderChat(lm.tokenizer, [{ role: 'user', content: 'go to desk 1' }], { generation: true }), maxTokens: 4, sampling, rng: new Rng(0) }], { stop })[0]!;
    const next = [...first.prefix.ids, first.ids.at(-1)!, ...renderChat(lm.tokenizer, [{ role: 'user', content: 'take mug 2' }], { generation: true })];
    const kept = generate(lm.model, [{ prompt: next, maxTokens: 4, sampling, rng: new Rng(0), prefix: first.prefix }], { stop, keepCaches: false })[0]!;
    const fresh = generate(lm.model, [{ prompt: next, maxTokens: 4, sampling, rng: new Rng(0) }], { stop, keepCaches: false })[0]!;
    expect(kept.reused).toBe(first.prefix.ids.length);
    expect(fresh.reused).toBe(0);
    expect(kept.ids).toEqual(fresh.ids);
    kept.logprobs.forEach((lp, t) => expect(lp).toBeCloseTo(fresh.logprobs[t]!, 4));
  });

  it('plays household with free-text actions: tokens recorded per step, refused actions answered with the env\'s invalid codes, caches reused', async () => {
    const agent = new LmAgent(lm, { rng: new Rng(3), maxTokens: 8 });
    const env = make('household-v1', { difficulty: 'easy', maxEpisodeSteps: 4 });
    const episode = await runEpisode(env, agent, { reset: { task: { split: 'train', index: 0 }, seed: 0 } });
    expect(episode.steps.length).toBe(4);
    for (const s of episode.steps) {
      const t = s.decision.tokens!;
      expect(turnTokensProblem(t)).toBeNull();
      expect(t.promptIds!.length).toBeGreaterThan(5);
      expect(t.ids!.length).toBeGreaterThan(0);
      expect(s.decision.action).toBe(t.completion.trim());
      expect(s.decision.logp).toBeCloseTo(t.logprobs!.reduce((a, b) => a + b, 0), 6);
    }
    // an untrained model writes gibberish: the env refuses it through its invalid codes
    expect(episode.steps.some((s) => s.result.info.invalid !== undefined)).toBe(true);
    expect(agent.counts.prefillTokens + agent.counts.reusedTokens).toBe(episode.steps.reduce((n, s) => n + s.decision.tokens!.promptIds!.length, 0));
    await agent.close();
    await env.close();
  });

  it('writes the teacher turn of an expert action as the model would have', () => {
    const messages = transcriptOf({ envId: 'household-v1', text: 'You arrive at desk 1.', history: [] });
    const t = teacherTurn(lm, messages, 'take mug 2 from desk 1', 32);
    expect(t.promptIds).toEqual(renderChat(lm.tokenizer, messages, { generation: true }));
    expect(lm.tokenizer.decode(t.ids)).toBe('take mug 2 from desk 1');
    expect(t.ids.at(-1)).toBe(lm.tokenizer.special('<|end|>'));
  });
});
