/** The viewer shows what an LLM agent reported per step: tokens, latency, retries, mapping, the reply. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../replay/store.js';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { makeEpisode } from '../fixtures/records.js';

let viewer: Viewer;
let episodeId: number;
let plainId: number;

beforeAll(async () => {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'ludus-llm-view-')), 'ludus.db');
  const store = openStore(db);
  const run = store.createRun({ kind: 'eval', envId: 'household-v1' });
  const episode = makeEpisode({ steps: 3 });
  episode.steps[0]!.decision = { model: 'qwen', reply: 'Thinking <script>alert(1)</script>\nAction: go to room 0', parse: 'action-line', match: 'exact', usage: { promptTokens: 120, completionTokens: 9, totalTokens: 129 }, latencyMs: 41.5, attempts: 2, retried: ['429'] };
  episode.steps[1]!.decision = { model: 'qwen', reply: 'x'.repeat(50), replyTruncated: true, replyChars: 90000, parse: 'last-line', match: 'fuzzy', matchScore: 86, usage: { promptTokens: 130, completionTokens: 400, totalTokens: 530 }, latencyMs: 58.5, attempts: 1 };
  episode.steps[2]!.decision = { model: 'qwen', error: { code: 'LLM_TIMEOUT', message: 'No reply' }, latencyMs: 900, attempts: 4, retried: ['timeout', 'timeout', 'timeout', 'timeout'] };
  episodeId = store.recordEpisode(run, episode);
  plainId = store.recordEpisode(run, makeEpisode({ steps: 2, trajId: 'plain' }));
  store.close();
  viewer = await startViewer({ db, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await viewer?.close();
});

describe('viewer: LLM decisions', () => {
  it('shows tokens, latency, retries, the mapping and the escaped reply per step, and the totals', async () => {
    const body = await (await fetch(`${viewer.url}/episodes/${episodeId}`)).text();
    expect(body).toContain('tokens <b>120</b> + <b>9</b>');
    expect(body).toContain('latency <b>41.5 ms</b>');
    expect(body).toContain('2 attempts (429)');
    expect(body).toContain('reply fuzzy (86)');
    expect(body).toContain('(cut from 90000 characters)');
    expect(body).toContain('llm error LLM_TIMEOUT');
    expect(body).toContain('Thinking &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script>alert(1)');
    expect(body).toContain('LLM decisions: 3 · tokens 250 prompt + 409 completion · mean latency 333.3 ms');
  });

  it('shows none of it for agents that report nothing', async () => {
    const body = await (await fetch(`${viewer.url}/episodes/${plainId}`)).text();
    expect(body).not.toContain('LLM decisions');
    expect(body).not.toContain('latency <b>');
  });
});
