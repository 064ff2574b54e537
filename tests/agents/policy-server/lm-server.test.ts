import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BpeTokenizer, trainBpe } from '../../../agents/lm/bpe.js';
import { CHAT_SPECIAL_TOKENS, renderChat } from '../../../agents/lm/chat-template.js';
import type { LanguageModel } from '../../../agents/lm/language-model.js';
import { transcriptOf } from '../../../agents/lm/transcript.js';
import { TransformerLm } from '../../../agents/lm/transformer.js';
import { renderPrompt } from '../../../agents/llm/prompt.js';
import { PolicyServer } from '../../../agents/policy-server/policy-server.js';
import { selectBackend } from '../../../agents/policy/backend.js';

const MODEL = 'tiny-lm';
let lm: LanguageModel;
let server: PolicyServer;
let client: OpenAI;
const MESSAGES: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You play household.' },
  { role: 'user', content: 'You arrive at desk 1. On the desk 1, you see a mug 2.' },
];

async function post(body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  await selectBackend();
  const tokenizer = new BpeTokenizer(trainBpe(['go to desk 1', 'You arrive at desk 1. On the desk 1, you see a mug 2.', 'take mug 2 from desk 1', 'You play household.'], { vocabSize: 330, specialTokens: [...CHAT_SPECIAL_TOKENS] }));
  lm = { tokenizer, model: TransformerLm.create({ vocabSize: tokenizer.vocabSize, dModel: 16, layers: 1, heads: 2, dFf: 32, context: 256, seed: 2 }), prompt: { listActions: true, historyWindow: 2, maxTokens: 12, constrain: false } };
  server = await new PolicyServer(lm, { model: MODEL, batchWindowMs: 5 }, () => undefined).listen();
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
  lm.model.dispose();
});

describe('serve-policy with a language model: real generation on the chat API', () => {
  it('greedy replies: content is the generated text, log-probs per token spell it, token ids come back on request', async () => {
    const reply = (await client.chat.completions.create({ model: MODEL, messages: MESSAGES, temperature: 0, logprobs: true, top_logprobs: 3, max_tokens: 8, return_token_ids: true } as never)) as any;
    const choice = reply.choices[0];
    const tokens = choice.logprobs.content as { token: string; logprob: number; top_logprobs: { logprob: number }[] }[];
    expect(tokens.map((t) => t.token).join('')).toBe(choice.message.content);
    for (const t of tokens) {
      expect(t.top_logprobs).toHaveLength(3);
      expect(t.logprob).toBeCloseTo(t.top_logprobs[0]!.logprob, 5); // greedy takes the most likely token
    }
    expect(reply.prompt_token_ids).toEqual(renderChat(lm.tokenizer, MESSAGES as never, { generation: true }));
    expect(choice.token_ids.length).toBe(choice.token_logprobs.length);
    expect(lm.tokenizer.decode(choice.token_ids).startsWith(choice.message.content)).toBe(true);
    expect(reply.usage).toEqual({ prompt_tokens: reply.prompt_token_ids.length, completion_tokens: choice.token_ids.length, total_tokens: reply.prompt_token_ids.length + choice.token_ids.length });
    expect(['stop', 'length']).toContain(choice.finish_reason);
    if (choice.finish_reason === 'length') expect(choice.token_ids).toHaveLength(8);
  });

  it('streams the same reply token by token, with usage last', async () => {
    const whole = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, temperature: 0, max_tokens: 8 });
    const stream = await client.chat.completions.create({ model: MODEL, messages: MESSAGES, temperature: 0, max_tokens: 8, stream: true, stream_options: { include_usage: true }, logprobs: true });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const c = chunk.choices[0];
      if (c?.delta.content) {
        text += c.delta.content;
        chunks += 1;
        expect(c.logprobs?.content).toHaveLength(1);
      }
      finish = c?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(chunks).toBeGreaterThan(0);
    expect(finish).toBe(whole.choices[0]!.finish_reason);
    expect(usage).toEqual(whole.usage);
  });

  it('samples n choices reproducibly with a seed; max_tokens caps the reply; a stop string ends it', async () => {
    const ask = (seed: number) => client.chat.completions.create({ model: MODEL, messages: MESSAGES, temperature: 1.5, n: 4, seed, max_tokens: 6 });
    const a = await ask(5);
    const b = await ask(5);
    expect(a.choices.map((c) => c.message.content)).toEqual(b.choices.map((c) => c.message.content));
    expect(new Set(a.choices.map((c) => c.message.content)).size).toBeGreaterThan(1);
    const capped = (await post({ model: MODEL, messages: MESSAGES, temperature: 0, max_tokens: 2, return_token_ids: true })).json;
    expect(capped.choices[0].token_ids.length).toBeLessThanOrEqual(2);
    const free = (await post({ model: MODEL, messages: MESSAGES, temperature: 0, max_tokens: 10, logprobs: true })).json;
    const content: string = free.choices[0].message.content;
    const third = free.choices[0].logprobs.content[2]?.token as string | undefined;
    if (third !== undefined && third.trim() !== '') {
      const cut = (await post({ model: MODEL, messages: MESSAGES, temperature: 0, max_tokens: 10, stop: [third] })).json.choices[0];
      expect(cut.finish_reason).toBe('stop');
      expect(cut.message.content).toBe(content.slice(0, content.indexOf(third)));
    }
  });

  it('decodes concurrent requests together: fewer forward passes than requests × tokens', async () => {
    const one = server.batches;
    await client.chat.completions.create({ model: MODEL, messages: MESSAGES, temperature: 0, max_tokens: 6 });
    const alonePasses = server.batches.passes - one.passes;
    const before = server.batches;
    const replies = await Promise.all(Array.from({ length: 8 }, () => client.chat.completions.create({ model: MODEL, messages: MESSAGES, temperature: 0, max_tokens: 6 })));
    const after = server.batches;
    expect(new Set(replies.map((r) => r.choices[0]!.message.content)).size).toBe(1);
    expect(after.rows - before.rows).toBe(8);
    expect(after.passes - before.passes).toBeLessThan(8 * alonePasses);
  });

  it('reads a chat in the ludus prompt format as the model\'s own transcript', async () => {
    const prompt = {
      envId: 'household-v1',
      goal: 'put a mug in the sink.',
      text: 'You arrive at desk 1. On the desk 1, you see a mug 2.',
      history: [
        { observation: 'You are in a room.', action: 'look' },
        { observation: 'You see a desk 1.', action: 'go to desk 1' },
        { observation: 'Nothing happens.', action: 'inventory' },
      ],
      candidates: ['take mug 2 from desk 1', 'go to sink 1'],
    };
    const r = (await post({ model: MODEL, messages: renderPrompt(prompt), temperature: 0, max_tokens: 4, return_token_ids: true })).json;
    // the model was trained with the admissible actions listed and a history of 2 steps
    const own = transcriptOf({ envId: 'household-v1', goal: prompt.goal, text: prompt.text, history: prompt.history.slice(-2), actions: prompt.candidates });
    expect(r.prompt_token_ids).toEqual(renderChat(lm.tokenizer, own, { generation: true }));
  });
});

describe('serve-policy with a language model: bad requests get OpenAI-style 400s', () => {
  const cases: [string, Record<string, unknown>, RegExp, string | null][] = [
    ['an unknown field', { model: MODEL, messages: MESSAGES, frobnicate: true }, /Unrecognized request argument supplied: frobnicate/, 'unknown_parameter'],
    ['a negative max_tokens', { model: MODEL, messages: MESSAGES, max_tokens: -3 }, /^max_tokens: /, null],
    ['n over the cap', { model: MODEL, messages: MESSAGES, n: 17 }, /^n: /, null],
    ['top_p of 0', { model: MODEL, messages: MESSAGES, top_p: 0 }, /^top_p: /, null],
    ['five stop strings', { model: MODEL, messages: MESSAGES, stop: ['a', 'b', 'c', 'd', 'e'] }, /^stop: /, null],
  ];
  for (const [name, body, message, code] of cases) {
    it(name, async () => {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.json.error.type).toBe('invalid_request_error');
      expect(r.json.error.message).toMatch(message);
      if (code !== null) expect(r.json.error.code).toBe(code);
    });
  }

  it('the openai client raises BadRequestError, and the server keeps serving', async () => {
    await expect(client.chat.completions.create({ model: MODEL, messages: MESSAGES, n: 99 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect((await client.chat.completions.create({ model: MODEL, messages: MESSAGES, max_tokens: 2 })).choices).toHaveLength(1);
  });
});
