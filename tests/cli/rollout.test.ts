/**
 * The bridge to Python trainers end to end, against real servers of this project:
 * `ludus rollout` against `serve-policy` (PolicyServer) → the store → `ludus advantages` →
 * `ludus export --format trl|verl` (JSONL and Parquet, read back with hyparquet); a malformed
 * completion, a server without log-probs, a 429 storm from `serve-policy --rate-limit`, and an export
 * of a run with nothing in it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyServer } from '../../agents/policy-server/policy-server.js';
import type { ActionScorer } from '../../agents/policy/model.js';
import { openStore } from '../../replay/store.js';
import { decisivePolicy } from '../helpers/policy-fixture.js';
import { runCli } from './helpers.js';

const MODEL = 'household-policy';
let scorer: ActionScorer;
let server: PolicyServer;
let dir: string;

beforeAll(async () => {
  scorer = await decisivePolicy();
  server = await new PolicyServer(scorer, { model: MODEL }).listen();
  dir = mkdtempSync(path.join(tmpdir(), 'ludus-rollout-'));
});

afterAll(async () => {
  await server.close();
  scorer.dispose();
});

const json = (lines: string[]) => JSON.parse(lines.join('\n'));

function rollout(db: string, extra: string[] = [], url = server.url) {
  return runCli(['rollout', '--base-url', url, '--model', MODEL, '--db', db, '--max-steps', '6', '--groups', '2', '--group-size', '3', '--seed', '4', '--no-progress', ...extra]);
}

describe('ludus rollout → advantages → export', () => {
  const db = () => path.join(dir, 'bridge.db');
  let runId: number;

  it('records G groups of N identical resets, every turn with its prompt, completion and log-probs', async () => {
    const r = await rollout(db());
    expect(r.exitCode, r.err.join('\n')).toBe(0);
    const summary = json(r.out);
    expect(summary).toMatchObject({ iteration: 0, episodes: 6, groups: 2, groupSize: 3, retriedGroups: 0, agent: `llm:${MODEL}` });
    expect(summary.turnsWithLogprobs).toBe(summary.turns);
    runId = summary.run;
    const store = openStore(db(), { readonly: true });
    try {
      const run = store.getRun(runId)!;
      expect(run).toMatchObject({ kind: 'train', status: 'finished', envId: 'household-v1', lastIteration: 0 });
      expect(run.config).toMatchObject({ source: 'rollout', groups: 2, groupSize: 3, agentConfig: { model: MODEL, baseUrl: server.url } });
      const episodes = store.listEpisodes({ runId }, { limit: 100 }).episodes.map((e) => store.getEpisode(e.id)!);
      expect(episodes).toHaveLength(6);
      for (const groupId of ['i0g0', 'i0g1']) {
        const members = episodes.filter((e) => e.groupId === groupId);
        expect(members).toHaveLength(3);
        expect(new Set(members.map((e) => `${e.taskId}|${e.seed}|${e.steps[0]!.observation.text}`)).size).toBe(1); // identical resets
      }
      for (const e of episodes) {
        for (const s of e.steps) {
          const tok = s.tokens!;
          expect(tok.prompt.at(-1)!.content).toContain(s.observation.text);
          expect(tok.completion).toBe(`Action: ${s.action}`);
          expect(tok.tokens).toEqual(['Action: ', s.action]);
          expect(tok.logprobs![1]).toBeCloseTo(s.logp!, 6);
          expect(s.decision).toMatchObject({ match: 'exact', attempts: 1 });
        }
      }
    } finally {
      store.close();
    }
  });

  it('--run appends the next iteration to the same run', async () => {
    const r = await rollout(db(), ['--run', String(runId)]);
    expect(r.exitCode, r.err.join('\n')).toBe(0);
    expect(json(r.out)).toMatchObject({ run: runId, iteration: 1, episodes: 6 });
    const other = await runCli(['rollout', '--agent', 'random', '--env', 'kuhn-poker-v1', '--db', db(), '--run', String(runId), '--no-progress']);
    expect(other.exitCode).toBe(1);
    expect(other.err.join('\n')).toMatch(/multi-agent env|plays household-v1/);
  });

  it('advantages are written back; the TRL and verl exports carry them with the tokens', async () => {
    const a = await runCli(['advantages', '--db', db(), '--run', String(runId), '--algo', 'gigpo']);
    expect(a.exitCode, a.err.join('\n')).toBe(0);
    expect(json(a.out).iterations.map((i: { rows: number }) => i.rows)).toHaveLength(2);

    const trlOut = path.join(dir, 'trl.jsonl');
    const t = await runCli(['export', '--db', db(), '--run', String(runId), '--format', 'trl', '--out', trlOut]);
    expect(t.exitCode, t.err.join('\n')).toBe(0);
    const rows = readFileSync(trlOut, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const store = openStore(db(), { readonly: true });
    try {
      const steps = store.listEpisodes({ runId }, { limit: 100 }).episodes.flatMap((e) => store.getEpisode(e.id)!.steps);
      expect(rows).toHaveLength(steps.length);
      rows.forEach((row, i) => {
        const s = steps[i]!;
        expect(row.prompt).toEqual(s.tokens!.prompt);
        expect(row.completion).toEqual([{ role: 'assistant', content: s.tokens!.completion }]);
        expect(row.logprobs).toEqual(s.tokens!.logprobs);
        expect(row.env_mask).toEqual([1, 1]);
        expect(row.advantage).toBe(s.advantage);
        expect(row.anchor_group).toBe(s.anchorGroup);
        expect(row.completion_ids).toBeNull();
      });
      // serve-policy sends no token ids: the export says so
      expect(t.err.join('\n')).toMatch(/missing completion_ids on \d+ of \d+ turns/);
      expect(t.err.join('\n')).not.toMatch(/missing logprobs|missing advantage/);

      const verlOut = path.join(dir, 'verl.parquet');
      const v = await runCli(['export', '--db', db(), '--run', String(runId), '--format', 'verl', '--out', verlOut, '--iteration', '1']);
      expect(v.exitCode, v.err.join('\n')).toBe(0);
      const { parquetReadObjects } = await import('hyparquet');
      const buf = readFileSync(verlOut);
      const table = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer })) as Record<string, unknown>[];
      const it1 = store.listEpisodes({ runId, iteration: 1 }, { limit: 100 }).episodes.flatMap((e) => store.getEpisode(e.id)!.steps);
      expect(table).toHaveLength(it1.length);
      table.forEach((row, i) => {
        const s = it1[i]!;
        expect(row.response_mask).toEqual([1, 1]);
        expect(row.old_log_probs).toEqual(s.tokens!.logprobs);
        expect(row.advantages).toEqual([s.advantage, s.advantage]);
        expect(row.raw_prompt).toEqual(s.tokens!.prompt);
        expect(row.uid).toMatch(new RegExp(`^${runId}:1:i1g[01]$`));
        expect(row.responses ?? null).toBeNull(); // hyparquet reads a null list as undefined
      });
    } finally {
      store.close();
    }
  });

  it('an export of a run with no rollouts, or an unknown run: a clear error', async () => {
    const store = openStore(db());
    const empty = store.createRun({ kind: 'train', envId: 'household-v1', config: { source: 'rollout' } });
    store.updateRunStatus(empty, 'finished');
    store.close();
    const r = await runCli(['export', '--db', db(), '--run', String(empty), '--format', 'verl']);
    expect(r.exitCode).toBe(1);
    expect(r.err.join('\n')).toMatch(/Nothing to export: run \d+ has no recorded turns.*ludus rollout/);
    const u = await runCli(['export', '--db', db(), '--run', '999', '--format', 'trl']);
    expect(u.err.join('\n')).toMatch(/There is no run 999/);
    const a = await runCli(['advantages', '--db', db(), '--run', String(empty)]);
    expect(a.err.join('\n')).toMatch(/has no recorded iterations/);
  });
});

describe('ludus rollout: bad replies and bad servers', () => {
  it('a malformed completion becomes the env\'s invalid code, recorded', async () => {
    const db = path.join(dir, 'malformed.db');
    const r = await rollout(db, ['--max-tokens', '1', '--groups', '1']);
    expect(r.exitCode, r.err.join('\n')).toBe(0);
    expect(json(r.out).invalidRate).toBe(1);
    const store = openStore(db, { readonly: true });
    try {
      const e = store.getEpisode(store.listEpisodes({}, { limit: 1 }).episodes[0]!.id)!;
      expect(e.steps.every((s) => s.invalid?.code === 'UNKNOWN_VERB')).toBe(true);
      expect(e.steps[0]!.tokens!.completion).toBe('Action: ');
      expect(e.steps[0]!.decision).toMatchObject({ match: 'unmatched' });
    } finally {
      store.close();
    }
  });

  it('a server that returns no log-probs: rollouts still work and the export says which fields are missing', async () => {
    const db = path.join(dir, 'nologprobs.db');
    const r = await rollout(db, ['--no-logprobs', '--groups', '1']);
    expect(r.exitCode, r.err.join('\n')).toBe(0);
    expect(json(r.out).turnsWithLogprobs).toBe(0);
    expect(r.err.join('\n')).toMatch(/turns came back without log-probs/);
    const e = await runCli(['export', '--db', db, '--format', 'verl', '--out', path.join(dir, 'nolp.jsonl')]);
    expect(e.exitCode).toBe(0);
    expect(e.err.join('\n')).toMatch(/missing old_log_probs on \d+ of \d+ turns: the server returned no log-probs/);
    expect(e.err.join('\n')).toMatch(/missing advantages on/);
    const strict = await runCli(['export', '--db', db, '--format', 'verl', '--require', 'old_logprobs', '--out', path.join(dir, 'strict.jsonl')]);
    expect(strict.exitCode).toBe(2);
    expect(strict.err.join('\n')).toMatch(/--require old_logprobs: missing old_log_probs.*nothing was written/);
  });

  it('a 429 storm from serve-policy --rate-limit: backoff, no lost episode', async () => {
    const limited = await new PolicyServer(scorer, { model: MODEL, rateLimit: 60, rateBurst: 4 }).listen();
    try {
      const db = path.join(dir, 'storm.db');
      const r = await runCli(['rollout', '--base-url', limited.url, '--model', MODEL, '--db', db, '--max-steps', '4', '--groups', '4', '--group-size', '4', '--concurrency', '16', '--retries', '10', '--no-progress']);
      expect(r.exitCode, r.err.join('\n')).toBe(0);
      expect(json(r.out)).toMatchObject({ episodes: 16, retriedGroups: 0 });
      expect(limited.counts.rateLimited).toBeGreaterThan(10); // it was a storm
      const store = openStore(db, { readonly: true });
      try {
        const episodes = store.listEpisodes({}, { limit: 100 }).episodes.map((e) => store.getEpisode(e.id)!);
        expect(episodes).toHaveLength(16);
        const steps = episodes.flatMap((e) => e.steps);
        expect(steps.every((s) => s.invalid === null && s.tokens !== null)).toBe(true); // every turn answered, none lost to the storm
        const retried = steps.filter((s) => (s.decision!.attempts as number) > 1);
        expect(retried.length).toBeGreaterThan(0);
        expect(retried[0]!.decision!.retried).toContain('429');
      } finally {
        store.close();
      }
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('64 concurrent episodes against serve-policy: 0 errors, the store complete', async () => {
    const db = path.join(dir, 'sixtyfour.db');
    const r = await runCli(['rollout', '--base-url', server.url, '--model', MODEL, '--db', db, '--max-steps', '5', '--groups', '8', '--group-size', '8', '--concurrency', '64', '--no-progress']);
    expect(r.exitCode, r.err.join('\n')).toBe(0);
    const summary = json(r.out);
    expect(summary).toMatchObject({ episodes: 64, retriedGroups: 0 });
    const store = openStore(db, { readonly: true });
    try {
      const episodes = store.listEpisodes({}, { limit: 100 }).episodes.map((e) => store.getEpisode(e.id)!);
      expect(episodes).toHaveLength(64);
      const steps = episodes.flatMap((e) => e.steps);
      expect(steps).toHaveLength(summary.turns);
      expect(steps.every((s) => s.tokens?.logprobs != null && s.decision!.error === undefined)).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);

  it('a wrong URL or model is said before any work', async () => {
    const r = await rollout(path.join(dir, 'x.db'), [], 'http://127.0.0.1:9/v1');
    expect(r.err.join('\n')).toMatch(/LLM_UNREACHABLE.*Is the server running/);
    const m = await runCli(['rollout', '--base-url', server.url, '--model', 'nope', '--db', path.join(dir, 'x.db'), '--no-progress']);
    expect(m.err.join('\n')).toMatch(/does not serve the model 'nope': it serves 'household-policy'/);
  });
});
