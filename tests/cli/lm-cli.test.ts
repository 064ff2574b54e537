/**
 * The language model end to end through the CLI: `ludus train --policy lm` (SFT, then a GiGPO
 * iteration that records each step's tokens), `ludus eval --checkpoint` of the LM, and
 * `ludus serve-policy` of the LM evaluated by the unchanged LLM agent (`ludus eval --agent llm`)
 * over real HTTP on port 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../replay/store.js';
import { runCli } from './helpers.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/ludus.js');
const TINY = {
  policy: 'lm',
  maxSteps: 4,
  demos: 6,
  groups: 2,
  groupSize: 2,
  checkpointEvery: 1,
  lm: { dModel: 16, layers: 1, heads: 2, dFf: 32, context: 512, vocabSize: 320, tokenizerEpisodes: 2, maxTokens: 10, sftEpochs: 2, minibatchTokens: 2048 },
};

let dir: string;
let db: string;
let server: ChildProcess | undefined;

function json(lines: string[]): any {
  return JSON.parse(lines.join('\n'));
}

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

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ludus-lm-cli-'));
  db = path.join(dir, 'ludus.db');
  writeFileSync(path.join(dir, 'tiny.json'), JSON.stringify(TINY));
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
  }
});

describe('ludus with a language-model policy', () => {
  it('train --policy lm: SFT, then GiGPO on tokens; the checkpoint holds config, tokenizer and safetensors; the store the tokens', async () => {
    const ck = path.join(dir, 'ck');
    const r = await runCli(['train', '--config', path.join(dir, 'tiny.json'), '--algo', 'gigpo', '--iterations', '1', '--db', db, '--checkpoint-dir', ck]);
    expect(r.exitCode, r.err.join('\n')).toBe(0);
    const summary = json(r.out);
    expect(summary).toMatchObject({ status: 'finished', iterations: 1 });
    expect(r.err.join('\n')).toMatch(/lm: \d+ parameters .* ALiBi positions\); tokenizer: byte-level BPE of \d+ tokens/);
    expect(r.err.join('\n')).toMatch(/SFT warm start: 6 expert episodes, \d+ decisions/);
    for (const f of ['config.json', 'tokenizer.json', 'model.safetensors', 'optimizer.safetensors', 'run-state.json']) expect(existsSync(path.join(summary.checkpointDir, 'iter-000000', f)), f).toBe(true);
    const store = openStore(db, { readonly: true });
    try {
      const iteration = store.listIterations(summary.run)[0]!;
      expect(iteration.metrics['lm/trained_tokens']).toBeGreaterThan(0);
      expect(iteration.metrics['time/update_tokens_per_second']).toBeGreaterThan(0);
      expect(iteration.metrics).toHaveProperty(['rollout/invalid_rate']);
      const episodes = store.listEpisodes({ runId: summary.run }, { limit: 10 }).episodes;
      expect(episodes).toHaveLength(4);
      const step = store.getEpisode(episodes[0]!.id)!.steps[0]!;
      expect(step.tokens?.model).toBe('ludus-lm');
      expect(step.tokens?.ids?.length).toBeGreaterThan(0);
      expect(step.tokens?.logprobs).toHaveLength(step.tokens!.ids!.length);
      expect(step.tokens?.promptIds?.length).toBeGreaterThan(0);
      expect(step.advantage).not.toBeNull();
    } finally {
      store.close();
    }
  }, 120_000);

  it('REFUEL (branched pairs, summed token log-ratios) and ARPO (replayed turns read as the model would write them) train the LM too', async () => {
    for (const algo of ['refuel', 'arpo']) {
      const r = await runCli(['train', '--config', path.join(dir, 'tiny.json'), '--algo', algo, '--iterations', '1', '--db', db, '--checkpoint-dir', path.join(dir, `ck-${algo}`)]);
      expect(r.exitCode, r.err.join('\n')).toBe(0);
      const summary = json(r.out);
      expect(summary.status).toBe('finished');
      const store = openStore(db, { readonly: true });
      try {
        const m = store.listIterations(summary.run)[0]!.metrics;
        expect(Number.isFinite(m['losses/loss'])).toBe(true);
        if (algo === 'refuel') expect(m).toHaveProperty(['refuel/pairs']);
        else expect(m).toHaveProperty(['arpo/injected_groups']);
      } finally {
        store.close();
      }
    }
  }, 120_000);

  it('eval --checkpoint plays the LM in process; serve-policy serves it, and the LLM agent evaluates it over HTTP', async () => {
    const ck = path.join(dir, 'ck');
    const own = await runCli(['eval', '--checkpoint', ck, '--episodes', '2', '--max-steps', '3', '--split', 'valid_seen']);
    expect(own.exitCode, own.err.join('\n')).toBe(0);
    const ownSummary = json(own.out);
    expect(ownSummary).toMatchObject({ agent: 'lm', episodes: 2 });
    expect(ownSummary.invalidRate).toBeGreaterThanOrEqual(0);

    const started = await servePolicy(['--checkpoint', ck, '--port', '0', '--model', 'tiny-lm']);
    server = started.child;
    const viaHttp = await runCli(['eval', '--agent', 'llm', '--base-url', started.url, '--model', 'tiny-lm', '--episodes', '2', '--max-steps', '3', '--split', 'valid_seen', '--db', db]);
    expect(viaHttp.exitCode, viaHttp.err.join('\n')).toBe(0);
    const summary = json(viaHttp.out);
    expect(summary).toMatchObject({ agent: 'llm:tiny-lm', episodes: 2 });
    expect(summary.llm.usage.completionTokens).toBeGreaterThan(0);
    const store = openStore(db, { readonly: true });
    try {
      const episode = store.getEpisode(store.listEpisodes({ runId: summary.run }, { limit: 1 }).episodes[0]!.id)!;
      expect(typeof episode.steps[0]!.decision?.reply).toBe('string');
      expect(episode.steps[0]!.decision?.model).toBe('tiny-lm');
    } finally {
      store.close();
    }
  }, 120_000);
});
