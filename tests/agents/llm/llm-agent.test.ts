/**
 * The LLM agent against a real server of this project (`PolicyServer`, what `ludus serve-policy`
 * runs) and, for faults, through the fault-injecting proxy in front of it.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import '../../../envs/builtin.js';
import { LlmAgent } from '../../../agents/llm/llm-agent.js';
import type { LlmAgentOptionsInput } from '../../../agents/llm/options.js';
import { PolicyAgent } from '../../../agents/policy-agent.js';
import { PolicyServer } from '../../../agents/policy-server/policy-server.js';
import type { ActionScorer } from '../../../agents/policy/model.js';
import { runEpisode, runEpisodes } from '../../../agents/run-episode.js';
import { runGame } from '../../../agents/run-game.js';
import { RandomAgent } from '../../../agents/random-agent.js';
import { make, makeMulti } from '../../../envs/core/registry.js';
import { episodeToRecord } from '../../../replay/episode-records.js';
import { openStore } from '../../../replay/store.js';
import { verifyEpisode } from '../../../replay/verify.js';
import { FaultProxy } from '../../helpers/fault-proxy.js';
import { decisivePolicy } from '../../helpers/policy-fixture.js';

const ENV = { difficulty: 'easy', maxEpisodeSteps: 8 };
const MODEL = 'household-policy';

let scorer: ActionScorer;
let server: PolicyServer;
let proxy: FaultProxy;

beforeAll(async () => {
  scorer = await decisivePolicy();
  server = await new PolicyServer(scorer, { model: MODEL }).listen();
  proxy = await FaultProxy.start(server.url);
});

afterAll(async () => {
  await proxy.close();
  await server.close();
  scorer.dispose();
});

beforeEach(() => {
  expect(proxy.pending).toBe(0); // every test consumes the faults it queues
});

function agent(options: Partial<LlmAgentOptionsInput> = {}, baseURL = server.url): LlmAgent {
  return new LlmAgent({ baseURL, model: MODEL, ...options });
}

const tasks = (n: number) => Array.from({ length: n }, (_, i) => ({ seed: 100 + i, task: { split: 'valid_unseen', index: i } }));

describe('LlmAgent against ludus serve-policy', () => {
  it('reproduces the policy\'s greedy episodes exactly, step by step (log π too)', async () => {
    const resets = tasks(6);
    const run = (a: PolicyAgent | LlmAgent) => runEpisodes(resets.map(() => make('household-v1', ENV)), a, { reset: resets, historyLength: 2 });
    const own = await run(new PolicyAgent(scorer, { greedy: true }));
    for (const stream of [false, true]) {
      const served = await run(agent({ stream, concurrency: 4 }));
      served.forEach((outcome, i) => {
        const a = (own[i] as { ok: true; episode: any }).episode;
        const b = (outcome as { ok: true; episode: any }).episode;
        expect(b.steps.map((s: any) => s.decision.action)).toEqual(a.steps.map((s: any) => s.decision.action));
        b.steps.forEach((s: any, t: number) => {
          expect(s.decision.logp).toBeCloseTo(a.steps[t].decision.logp, 5);
          expect(s.decision.meta).toMatchObject({ parse: 'action-line', match: 'exact', attempts: 1, finishReason: 'stop', usage: { completionTokens: 2 } });
          expect(s.decision.meta.latencyMs).toBeGreaterThan(0);
        });
      });
    }
  });

  it('holds a seat of a multi-agent game the same way', async () => {
    const play = (seat0: PolicyAgent | LlmAgent) => runGame(makeMulti('kuhn-poker-v1'), { 0: seat0, 1: new RandomAgent(5) }, { reset: { seed: 3, task: 'kuhn/train/2' } });
    const own = await play(new PolicyAgent(scorer, { greedy: true }));
    const served = await play(agent({ topLogprobs: 5 }));
    expect(served.seats[0]!.steps.map((s) => s.decision.action)).toEqual(own.seats[0]!.steps.map((s) => s.decision.action));
    const first = served.seats[0]!.steps[0]!;
    // the server lists every candidate as an alternative to the action token: π over the candidates
    expect(first.decision.probs).not.toBeNull();
    first.decision.probs!.forEach((p, i) => expect(p).toBeCloseTo(own.seats[0]!.steps[0]!.decision.probs![i]!, 5));
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const before = proxy.requests;
    proxy.maxInFlight = 0;
    const a = agent({ concurrency: 3 }, proxy.url);
    const resets = tasks(9);
    await runEpisodes(resets.map(() => make('household-v1', { ...ENV, maxEpisodeSteps: 2 })), a, { reset: resets });
    expect(proxy.requests - before).toBe(18);
    expect(proxy.maxInFlight).toBe(3);
  });

  it('says what is wrong when the endpoint cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const env = make('household-v1', ENV);
    await expect(runEpisode(env, agent({ maxRetries: 1 }, `http://127.0.0.1:${port}/v1`), { reset: tasks(1)[0] })).rejects.toMatchObject({
      code: 'LLM_UNREACHABLE',
      message: expect.stringMatching(/Cannot reach http:\/\/127\.0\.0\.1:\d+\/v1 \(2 attempts\).*Is the server running/),
    });
  });
});

describe('LlmAgent through the fault-injecting proxy', () => {
  const oneStep = async (a: LlmAgent) => {
    const env = make('household-v1', { ...ENV, maxEpisodeSteps: 1 });
    const episode = await runEpisode(env, a, { reset: tasks(1)[0] });
    return episode.steps[0]!;
  };
  let clean: Awaited<ReturnType<typeof oneStep>>;
  beforeAll(async () => {
    clean = await oneStep(agent());
  });

  it('429 then 200: retried with backoff, same action, the attempts recorded', async () => {
    proxy.inject({ kind: 'status', status: 429, retryAfterMs: 20 });
    const step = await oneStep(agent({}, proxy.url));
    expect(step.decision.action).toBe(clean.decision.action);
    expect(step.decision.meta).toMatchObject({ attempts: 2, retried: ['429'], match: 'exact' });
  });

  it('5xx twice then 200', async () => {
    proxy.inject({ kind: 'status', status: 503, retryAfterMs: 10 }, { kind: 'status', status: 500, retryAfterMs: 10 });
    const step = await oneStep(agent({}, proxy.url));
    expect(step.decision.meta).toMatchObject({ attempts: 3, retried: ['503', '500'] });
    expect(step.decision.action).toBe(clean.decision.action);
  });

  it('a hang past the timeout is abandoned and retried', async () => {
    proxy.inject({ kind: 'hang' });
    const step = await oneStep(agent({ timeoutMs: 300 }, proxy.url));
    expect(step.decision.action).toBe(clean.decision.action);
    expect(step.decision.meta).toMatchObject({ attempts: 2, retried: ['timeout'] });
    expect(step.decision.meta!.latencyMs as number).toBeGreaterThanOrEqual(300);
  });

  it('hangs on every attempt: LLM_TIMEOUT, or (onError: invalid) an empty action the env refuses, recorded', async () => {
    proxy.inject({ kind: 'hang' }, { kind: 'hang' });
    await expect(oneStep(agent({ timeoutMs: 150, maxRetries: 1 }, proxy.url))).rejects.toMatchObject({ code: 'LLM_TIMEOUT', message: expect.stringMatching(/No reply from .* within 150 ms \(2 attempts\)/) });
    proxy.inject({ kind: 'hang' }, { kind: 'hang' });
    const step = await oneStep(agent({ timeoutMs: 150, maxRetries: 1, onError: 'invalid' }, proxy.url));
    expect(step.decision).toMatchObject({ action: '', logp: null, meta: { error: { code: 'LLM_TIMEOUT' }, attempts: 2, retried: ['timeout', 'timeout'] } });
    expect(step.result.info.invalid?.code).toBeDefined(); // the env's invalid-action policy applied
  });

  it('an unparsable reply goes to the env as written: its invalid-action policy applies, and both are recorded', async () => {
    proxy.inject({ kind: 'content', content: 'Hmm, I would rather dance on the ceiling.' });
    const step = await oneStep(agent({}, proxy.url));
    expect(step.decision).toMatchObject({ action: 'Hmm, I would rather dance on the ceiling.', logp: null });
    expect(step.decision.meta).toMatchObject({ parse: 'last-line', match: 'unmatched', reply: 'Hmm, I would rather dance on the ceiling.' });
    expect(step.result.info.invalid).toMatchObject({ code: expect.any(String) });
    expect(step.result.info.invalid!.suggestions.length).toBeGreaterThan(0);
  });

  it('a near miss is mapped to the nearest admissible action', async () => {
    const target = clean.candidates.find((c) => c.startsWith('go to '))!;
    proxy.inject({ kind: 'content', content: `I think the best move is:\nAction: Go to the ${target.slice(6)}!` });
    const step = await oneStep(agent({}, proxy.url));
    expect(step.decision.action).toBe(target);
    expect(step.decision.meta).toMatchObject({ parse: 'action-line', match: 'fuzzy' });
    expect(step.result.info.invalid).toBeUndefined();
  });

  it('a reply far beyond the length cap is cut before it is parsed and recorded', async () => {
    proxy.inject({ kind: 'pad', chars: 300_000 });
    const step = await oneStep(agent({ maxReplyChars: 2000 }, proxy.url));
    expect(step.decision.action).toBe(clean.decision.action);
    const meta = step.decision.meta!;
    expect(meta).toMatchObject({ replyTruncated: true, match: 'exact' });
    expect((meta.reply as string).length).toBe(2000);
    expect(meta.replyChars as number).toBeGreaterThan(300_000);
  });

  it('a server that refuses logprobs is asked again without them, and never again with them', async () => {
    proxy.inject({ kind: 'status', status: 400, message: "logprobs is not supported by this model" });
    const a = agent({}, proxy.url);
    const first = await oneStep(a);
    expect(first.decision.action).toBe(clean.decision.action);
    expect(first.decision.logp).toBeNull();
    const second = await oneStep(a);
    expect(second.decision.logp).toBeNull();
    expect(proxy.log.slice(-3)).toEqual(['status', 'pass', 'pass']);
  });

  it('records the reply, tokens and latency with the step in the store', async () => {
    proxy.inject({ kind: 'status', status: 429, retryAfterMs: 5 });
    const options = { ...ENV, maxEpisodeSteps: 3 };
    const episode = await runEpisode(make('household-v1', options), agent({}, proxy.url), { reset: tasks(1)[0] });
    const store = openStore(':memory:');
    try {
      const run = store.createRun({ kind: 'eval', envId: 'household-v1', config: { envOptions: options } });
      const id = store.recordEpisode(run, episodeToRecord(episode));
      const steps = store.getEpisode(id)!.steps;
      expect(steps).toHaveLength(3);
      expect(steps[0]!.decision).toMatchObject({ attempts: 2, retried: ['429'], usage: { completionTokens: 2 }, reply: `Action: ${steps[0]!.action}` });
      expect(steps[1]!.decision).toMatchObject({ attempts: 1, match: 'exact' });
      expect(steps[2]!.logp).toBeCloseTo(episode.steps[2]!.decision.logp!, 5);
      expect(steps[0]!.info).not.toHaveProperty('$decision'); // the env's info stays the env's
      // the turn record: the prompt the agent sent, the completion, the server's tokens and log-probs
      const turn = steps[1]!.tokens!;
      expect(turn.prompt[0]).toMatchObject({ role: 'system' });
      expect(turn.prompt.at(-1)!.content).toContain('<admissible_actions>');
      expect(turn).toMatchObject({ completion: `Action: ${steps[1]!.action}`, tokens: ['Action: ', steps[1]!.action], ids: null, model: MODEL, finishReason: 'stop' });
      expect(turn.logprobs![0]).toBe(0);
      expect(turn.logprobs![1]).toBeCloseTo(steps[1]!.logp!, 5);
      const verified = await verifyEpisode(store, id, { envOptions: options });
      expect(verified).toMatchObject({ identical: true, drift: null }); // and the episode re-simulates identically
    } finally {
      store.close();
    }
  });
});
