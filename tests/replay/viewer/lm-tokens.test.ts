/** The viewer shows a language model's action token by token, with the probability of each. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../replay/store.js';
import { startViewer, type Viewer } from '../../../replay/viewer/server.js';
import { makeEpisode } from '../fixtures/records.js';

let viewer: Viewer;
let episodeId: number;

beforeAll(async () => {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'ludus-lm-view-')), 'ludus.db');
  const store = openStore(db);
  const run = store.createRun({ kind: 'train', envId: 'household-v1' });
  const episode = makeEpisode({ steps: 2 });
  episode.steps[0]!.tokens = {
    prompt: [{ role: 'system', content: 'Environment: household-v1.' }, { role: 'user', content: 'step 0 of traj' }],
    promptIds: [300, 72, 101, 301, 302],
    completion: 'go to room 0',
    tokens: ['go', ' to', ' room', ' 0', '<|end|>'],
    ids: [260, 259, 270, 48, 303],
    logprobs: [Math.log(0.9), Math.log(0.5), Math.log(0.25), Math.log(0.8), Math.log(0.99)],
    top: [[{ token: 'go', logprob: Math.log(0.9) }, { token: 'take', logprob: Math.log(0.05) }], [], [], [], []],
    mask: [1, 1, 1, 1, 1],
    model: 'ludus-lm',
    finishReason: 'stop',
  };
  episodeId = store.recordEpisode(run, episode);
  store.close();
  viewer = await startViewer({ db, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await viewer?.close();
});

describe('viewer: a language model\'s tokens', () => {
  it('lists each token with its id and probability, the alternatives, log π(action) and the finish reason', async () => {
    const body = await (await fetch(`${viewer.url}/episodes/${episodeId}`)).text();
    expect(body).toContain('ludus-lm wrote 5 tokens');
    expect(body).toContain(`log π(action) <b>${Number(Math.log(0.9 * 0.5 * 0.25 * 0.8 * 0.99).toFixed(4))}</b>`);
    expect(body).toContain('finish <code>stop</code>');
    expect(body).toContain('prompt 5 tokens');
    expect(body).toContain('<code>&quot; room&quot;</code>');
    expect(body).toContain('<td class="num">0.25</td>');
    expect(body).toContain('&quot;take&quot; 0.05');
    // the second step has no tokens: nothing shown
    expect(body.match(/wrote \d+ tokens/g)).toHaveLength(1);
  });
});
