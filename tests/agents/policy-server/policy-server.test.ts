import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPrompt } from '../../../agents/llm/prompt.js';
import { PolicyServer } from '../../../agents/policy-server/policy-server.js';
import type { ActionScorer } from '../../../agents/policy/model.js';
import { decisivePolicy } from '../../helpers/policy-fixture.js';

const PROMPT = {
  envId: 'household-v1',
  goal: 'put a clean mug in the coffeemachine.',
  text: 'You arrive at countertop 1. On the countertop 1, you see a mug 1 and a knife 2.',
  history: [{ observation: 'You are in the middle of a room.', action: 'go to countertop 1' }],
  candidates: ['take mug 1 from countertop 1', 'take knife 2 from countertop 1', 'go to sinkbasin 1', 'go to coffeemachine 1', 'look', 'inventory'],
};
const MESSAGES = renderPrompt(PROMPT) as OpenAI.Chat.ChatCompletionMessageParam[];

let scorer: ActionScorer;
let server: PolicyServer;
let client: OpenAI;

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

beforeAll(async () => {
  scorer = await decisivePolicy();
  server = await new PolicyServer(scorer, { model: 'household-policy' }).listen();
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
  scorer.dispose();
});

describe('PolicyServer: the OpenAI API', () => {
  it('lists its one model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['household-policy']);
    expect((await client.models.retrieve('household-policy')).owned_by).toBe('ludus');
    await expect(client.models.retrieve('gpt-4o')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('answers greedy requests with the policy\'s most likely candidate, its log π and usage', async () => {
    const greedy = scorer.act([{ goal: PROMPT.goal, text: PROMPT.text, history: PROMPT.history, candidates: PROMPT.candidates }], { greedy: true })[0]!;
    const reply = await client.chat.completions.create({ model: 'household-policy', messages: MESSAGES, temperature: 0, logprobs: true, top_logprobs: 6 });
    const choice = reply.choices[0]!;
    expect(choice.message.content).toBe(`Action: ${greedy.action}`);
    expect(choice.finish_reason).toBe('stop');
    expect(reply.object).toBe('chat.completion');
    expect(reply.system_fingerprint).toMatch(/^fp_[0-9a-f]{12}$/);
    const tokens = choice.logprobs!.content!;
    expect(tokens.map((t) => t.token)).toEqual(['Action: ', greedy.action]);
    expect(tokens[1]!.logprob).toBeCloseTo(greedy.logp, 5);
    const alternatives = tokens[1]!.top_logprobs;
    expect(alternatives.map((a) => a.token).sort()).toEqual([...PROMPT.candidates].sort());
    expect(alternatives[0]!.token).toBe(greedy.action);
    expect(alternatives.reduce((s, a) => s + Math.exp(a.logprob), 0)).toBeCloseTo(1, 5);
    expect(reply.usage).toMatchObject({ completion_tokens: 2 });
    expect(reply.usage!.prompt_tokens).toBeGreaterThan(40);
    expect(reply.usage!.total_tokens).toBe(reply.usage!.prompt_tokens + 2);
  });

  it('streams the same reply as server-sent events, with usage last when asked', async () => {
    const whole = await client.chat.completions.create({ model: 'household-policy', messages: MESSAGES, temperature: 0 });
    const stream = await client.chat.completions.create({ model: 'household-policy', messages: MESSAGES, temperature: 0, stream: true, stream_options: { include_usage: true }, logprobs: true });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let logprobTokens = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      logprobTokens += chunk.choices[0]?.logprobs?.content?.length ?? 0;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(finish).toBe('stop');
    expect(logprobTokens).toBe(2);
    expect(usage).toEqual(whole.usage);
  });

  it('samples with a seed reproducibly, n choices at a time; max_tokens 1 stops at the prefix', async () => {
    const ask = (seed: number) => client.chat.completions.create({ model: 'household-policy', messages: MESSAGES, temperature: 1.5, n: 8, seed });
    const a = await ask(11);
    const b = await ask(11);
    const actions = (r: OpenAI.Chat.ChatCompletion) => r.choices.map((c) => c.message.content);
    expect(a.choices).toHaveLength(8);
    expect(actions(a)).toEqual(actions(b));
    expect(new Set(actions(a)).size).toBeGreaterThan(1); // a high temperature spreads the samples
    for (const c of actions(a)) expect(PROMPT.candidates.map((x) => `Action: ${x}`)).toContain(c);
    const cut = await client.chat.completions.create({ model: 'household-policy', messages: MESSAGES, max_tokens: 1 });
    expect(cut.choices[0]).toMatchObject({ message: { content: 'Action: ' }, finish_reason: 'length' });
  });

  it('scores concurrent requests in shared forward passes', async () => {
    const before = server.batches;
    // the default 2 ms window batches requests that arrive together
    const replies = await Promise.all(Array.from({ length: 12 }, () => client.chat.completions.create({ model: 'household-policy', messages: MESSAGES, temperature: 0 })));
    const after = server.batches;
    expect(new Set(replies.map((r) => r.choices[0]!.message.content)).size).toBe(1);
    expect(after.rows - before.rows).toBe(12);
    expect(after.passes - before.passes).toBeLessThan(12);
  });
});

describe('PolicyServer: bad requests get OpenAI-style errors', () => {
  const cases: [string, string, number, RegExp, string | null][] = [
    ['a body that is not JSON', '{"model": ', 400, /could not parse the JSON body/, 'invalid_json'],
    ['no messages', JSON.stringify({ model: 'household-policy' }), 400, /^messages: /, null],
    ['a temperature out of range', JSON.stringify({ model: 'household-policy', messages: MESSAGES, temperature: 3 }), 400, /^temperature: /, null],
    ['top_logprobs without logprobs', JSON.stringify({ model: 'household-policy', messages: MESSAGES, top_logprobs: 3 }), 400, /top_logprobs needs logprobs/, null],
    ['a chat not in the prompt format', JSON.stringify({ model: 'household-policy', messages: [{ role: 'user', content: 'Hello!' }] }), 400, /<observation> block followed by an <admissible_actions> block/, 'prompt_format'],
    ['no admissible actions', JSON.stringify({ model: 'household-policy', messages: renderPrompt({ ...PROMPT, candidates: [] }) }), 400, /admissible_actions> block is empty/, 'prompt_format'],
    ['an image part', JSON.stringify({ model: 'household-policy', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }), 400, /only text parts/, null],
    ['an unknown model', JSON.stringify({ model: 'gpt-4o', messages: MESSAGES }), 404, /'gpt-4o' does not exist: this server serves 'household-policy'/, 'model_not_found'],
  ];
  for (const [name, body, status, message, code] of cases) {
    it(name, async () => {
      const r = await post('/chat/completions', body);
      expect(r.status).toBe(status);
      expect(r.json.error.message).toMatch(message);
      expect(r.json.error.type).toBe('invalid_request_error');
      if (code !== null) expect(r.json.error.code).toBe(code);
    });
  }

  it('an unknown path or method, and a body over the limit', async () => {
    expect((await post('/completions', '{}')).json.error).toMatchObject({ code: 'unknown_url' });
    const get = await fetch(`${server.url}/chat/completions`);
    expect(get.status).toBe(405);
    expect(((await get.json()) as any).error.message).toMatch(/use POST/);
    const big = await post('/chat/completions', JSON.stringify({ model: 'household-policy', messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] }));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('request_too_large');
    // the server keeps serving others
    expect((await client.chat.completions.create({ model: 'household-policy', messages: MESSAGES })).choices).toHaveLength(1);
  });

  it('the openai client raises its usual errors with the message', async () => {
    await expect(client.chat.completions.create({ model: 'household-policy', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      status: 400,
      code: 'prompt_format',
      param: 'messages',
    });
  });
});

describe('PolicyServer: keys and draining', () => {
  it('requires the API key when one is set (but not for /healthz)', async () => {
    const locked = await new PolicyServer(scorer, { apiKey: 'sesame' }).listen();
    try {
      const base = locked.url;
      const anon = new OpenAI({ baseURL: base, apiKey: 'wrong', maxRetries: 0 });
      await expect(anon.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
      const keyed = new OpenAI({ baseURL: base, apiKey: 'sesame', maxRetries: 0 });
      expect((await keyed.models.list()).data[0]!.id).toBe('ludus-policy');
      expect((await fetch(base.replace(/\/v1$/, '/healthz'))).status).toBe(200);
    } finally {
      await locked.close();
    }
  });

  it('refuses a non-loopback bind without a key', () => {
    expect(() => new PolicyServer(scorer, { host: '0.0.0.0' })).toThrow(/without an API key/);
  });

  it('finishes the requests in flight, then closes and refuses new connections', async () => {
    const s = await new PolicyServer(scorer, { batchWindowMs: 300 }).listen();
    const url = s.url;
    const c = new OpenAI({ baseURL: url, apiKey: 'x', maxRetries: 0 });
    const inFlight = Array.from({ length: 6 }, () => c.chat.completions.create({ model: 'ludus-policy', messages: MESSAGES }));
    while (s.pendingDecisions < 6) await new Promise((r) => setTimeout(r, 5));
    await s.close();
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.choices[0]!.finish_reason)).toEqual(Array(6).fill('stop'));
    await expect(fetch(url.replace(/\/v1$/, '/healthz'))).rejects.toThrow();
  });
});

describe('PolicyServer: --rate-limit', () => {
  it('answers 429 with Retry-After past the rate, and serves again once the bucket refills', async () => {
    const limited = await new PolicyServer(scorer, { model: 'household-policy', rateLimit: 5, rateBurst: 2 }).listen();
    try {
      const body = JSON.stringify({ model: 'household-policy', messages: MESSAGES, temperature: 0 });
      const send = () => fetch(`${limited.url}/chat/completions`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
      const answers = await Promise.all([send(), send(), send(), send()]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
      const refused = answers.find((r) => r.status === 429)!;
      expect(Number(refused.headers.get('retry-after-ms'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after-ms'))).toBeLessThanOrEqual(200);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: unknown }).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', message: expect.stringMatching(/5 requests per second/) });
      await new Promise((r) => setTimeout(r, 250));
      expect((await send()).status).toBe(200);
      expect(limited.counts).toMatchObject({ completions: 3, rateLimited: 2 });
      // the openai client backs off and gets through
      const patient = new OpenAI({ baseURL: limited.url, apiKey: 'unused', maxRetries: 6 });
      const replies = await Promise.all(Array.from({ length: 6 }, () => patient.chat.completions.create({ model: 'household-policy', messages: MESSAGES, temperature: 0 })));
      expect(replies.every((r) => r.choices[0]!.message.content!.startsWith('Action: '))).toBe(true);
    } finally {
      await limited.close();
    }
  });
});
