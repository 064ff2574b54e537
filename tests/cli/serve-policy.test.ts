/**
 * The key end-to-end test: train a policy → `ludus serve-policy` → `ludus eval --agent llm` against
 * it reproduces `ludus eval --checkpoint` (the policy's own greedy evaluation) exactly, episode by
 * episode and step by step. The same served policy then holds a seat in `ludus play`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../replay/store.js';
import type { StoredEpisode } from '../../replay/types.js';
import { runCli } from './helpers.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/ludus.js');
const TINY = {
  iterations: 1,
  groups: 2,
  groupSize: 2,
  maxSteps: 8,
  demos: 16,
  sftEpochs: 30,
  sftLr: 0.03,
  model: { featureDim: 512, hidden: 16, mlpHidden: 16 },
  checkpointEvery: 1,
};

let dir: string;
let db: string;
let ck: string;
let server: ChildProcess;
let baseUrl: string;

/** Starts `ludus serve-policy` and resolves with its base URL once it listens. */
function servePolicy(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve-policy', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`serve-policy exited (${code}): ${err}`)));
  });
}

function json(lines: string[]): any {
  return JSON.parse(lines.join('\n'));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ludus-serve-policy-'));
  db = path.join(dir, 'ludus.db');
  ck = path.join(dir, 'ck');
  writeFileSync(path.join(dir, 'tiny.json'), JSON.stringify(TINY));
  const trained = await runCli(['train', '--config', path.join(dir, 'tiny.json'), '--db', db, '--checkpoint-dir', ck]);
  expect(trained.exitCode).toBe(0);
  ({ child: server, url: baseUrl } = await servePolicy(['--checkpoint', ck, '--port', '0', '--model', 'tiny-household']));
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
  }
});

function episodesOf(runId: number): StoredEpisode[] {
  const store = openStore(db, { readonly: true });
  try {
    return store
      .listEpisodes({ runId }, { limit: 100 })
      .episodes.map((e) => store.getEpisode(e.id)!)
      .sort((a, b) => (a.taskIndex ?? 0) - (b.taskIndex ?? 0));
  } finally {
    store.close();
  }
}

describe('ludus eval --agent llm against ludus serve-policy', () => {
  it('reproduces the policy\'s own greedy evaluation exactly, episode by episode', async () => {
    const common = ['--checkpoint', ck, '--split', 'valid_seen', '--episodes', '6', '--max-steps', '10', '--db', db];
    const own = await runCli(['eval', ...common]);
    expect(own.exitCode).toBe(0);
    const llm = await runCli(['eval', '--agent', 'llm', '--base-url', baseUrl, '--model', 'tiny-household', '--concurrency', '3', ...common]);
    expect(llm.err).toEqual([]);
    expect(llm.exitCode).toBe(0);
    const a = json(own.out);
    const b = json(llm.out);
    expect(b.agent).toBe('llm:tiny-household');
    for (const key of ['successRate', 'meanReturn', 'meanLength', 'byTaskType']) expect(b[key]).toEqual(a[key]);
    expect(b.llm.usage).toMatchObject({ decisions: a.meanLength * 6, retried: 0, failed: 0, byMatch: { exact: a.meanLength * 6 } });
    expect(b.llm.usage.completionTokens).toBe(2 * a.meanLength * 6);

    const ownEpisodes = episodesOf(a.run);
    const llmEpisodes = episodesOf(b.run);
    expect(llmEpisodes).toHaveLength(6);
    llmEpisodes.forEach((e, i) => {
      const o = ownEpisodes[i]!;
      expect([e.taskId, e.seed, e.success, e.return]).toEqual([o.taskId, o.seed, o.success, o.return]);
      expect(e.steps.map((s) => s.action)).toEqual(o.steps.map((s) => s.action));
      expect(e.steps.map((s) => s.observation.text)).toEqual(o.steps.map((s) => s.observation.text));
      e.steps.forEach((s, t) => {
        expect(s.logp).toBeCloseTo(o.steps[t]!.logp!, 5);
        expect(s.decision).toMatchObject({ model: 'tiny-household', reply: `Action: ${s.action}`, match: 'exact', attempts: 1 });
        expect(o.steps[t]!.decision).toBeNull();
      });
    });
  }, 60_000);

  it('the served policy holds a seat of ludus play (llm:<model>@<url>), recorded with its replies', async () => {
    const play = await runCli(['play', 'kuhn-poker-v1', '--seat', '0', '--opponent', `llm:tiny-household@${baseUrl}`, '--task', 'kuhn/train/4', '--db', db, '--json'], 'check\ncall\nbet\n');
    expect(play.exitCode).toBe(0);
    const over = JSON.parse(play.out.at(-1)!);
    expect(over.type).toBe('game.over');
    const store = openStore(db, { readonly: true });
    try {
      const run = store.listRuns({ kind: 'play', envId: 'kuhn-poker-v1' })[0]!;
      const seats = store.listEpisodes({ runId: run.id }).episodes.map((e) => store.getEpisode(e.id)!);
      const llmSeat = seats.find((e) => e.seat === 1)!;
      expect(llmSeat.info.agent).toBe('llm:tiny-household');
      expect(llmSeat.steps.length).toBeGreaterThan(0);
      for (const s of llmSeat.steps) expect(s.decision).toMatchObject({ reply: `Action: ${s.action}`, match: 'exact' });
    } finally {
      store.close();
    }
  }, 30_000);

  it('explains a missing endpoint or model, and an endpoint that is down', async () => {
    const noUrl = await runCli(['eval', '--agent', 'llm', '--model', 'x']);
    if (process.env.OPENAI_BASE_URL === undefined) expect(noUrl.err.join('\n')).toMatch(/--agent llm needs --base-url URL/);
    const noModel = await runCli(['eval', '--agent', 'llm', '--base-url', baseUrl]);
    expect(noModel.err.join('\n')).toMatch(/--agent llm needs --model NAME/);
    const wrongModel = await runCli(['eval', '--agent', 'llm', '--base-url', baseUrl, '--model', 'gpt-4o', '--episodes', '1', '--max-retries', '0']);
    expect(wrongModel.exitCode).toBe(1);
    expect(wrongModel.err.join('\n')).toMatch(/error \[LLM_REQUEST_FAILED\]: .* answered 404 .*'gpt-4o' does not exist: this server serves 'tiny-household'/);
    const badName = await runCli(['eval', '--agent', 'llm:nourl', '--episodes', '1']);
    expect(badName.err.join('\n')).toMatch(/LLM_AGENT_NAME_INVALID|needs --base-url/);
  }, 30_000);

  it('drains on SIGTERM: exits cleanly (last: it stops the shared server)', async () => {
    server.removeAllListeners('exit');
    const exited = new Promise((r) => server.once('exit', (c, s) => r(c ?? s)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
