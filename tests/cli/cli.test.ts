import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../replay/store.js';
import { runCli } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/ludus.js');

describe('ludus envs', () => {
  it('lists household-v1 with its splits as JSON', async () => {
    const run = await runCli(['envs', '--json']);
    expect(run.exitCode).toBe(0);
    const envs = JSON.parse(run.out.join('\n'));
    const household = envs.find((e: { id: string }) => e.id === 'household-v1');
    expect(household).toMatchObject({ maxEpisodeSteps: 50, splits: { train: 3553, valid_seen: 140, valid_unseen: 134 } });
  });

  it('prints a table by default', async () => {
    const run = await runCli(['envs']);
    expect(run.out[0]).toMatch(/^id\s+kind\s+snapshot\s+max steps\s+splits\s+description$/);
    expect(run.out.find((l) => l.startsWith('kuhn-poker-v1'))).toMatch(/multi \(2 seats\)\s+native/);
    expect(run.out.some((l) => l.startsWith('household-v1'))).toBe(true);
  });
});

describe('ludus play', () => {
  it('plays scripted stdin to the end and reports invalid actions with suggestions', async () => {
    const run = await runCli(['play', 'household-v1', '--task', 'train:0', '--seed', '1'], 'look\nfly away\nquit\nlook\n');
    expect(run.exitCode).toBe(0);
    const text = run.out.join('\n');
    expect(text).toMatch(/-= Welcome to TextWorld, ALFRED! =-/);
    expect(text).toMatch(/Your task is to: /);
    expect(text).toMatch(/> fly away\nNothing happens\.\n {2}\[invalid UNKNOWN_VERB\]/);
    expect(run.out.at(-1)).toBe('episode stopped: 2 steps, return 0, success false');
  });

  it('records the episode with --db and prints JSON lines with --json', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ludus-play-')), 'play.db');
    const run = await runCli(['play', 'household-v1', '--task', 'valid_unseen:3', '--seed', '2', '--db', db, '--json'], 'look\ninventory\n');
    expect(run.exitCode).toBe(0);
    const lines = run.out.map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['reset', 'step', 'step']);
    expect(lines[2].observation.text).toBe('You are not carrying anything.');
    const store = openStore(db);
    try {
      const [played] = store.listRuns({ kind: 'play' });
      expect(played).toMatchObject({ envId: 'household-v1', status: 'finished' });
      const page = store.listEpisodes({ runId: played!.id });
      expect(page.episodes).toHaveLength(1);
      const episode = store.getEpisode(page.episodes[0]!.id)!;
      expect(episode).toMatchObject({ split: 'valid_unseen', seed: 2, length: 2 });
      expect(episode.steps.map((s) => s.action)).toEqual(['look', 'inventory']);
      expect(episode.steps[0]!.observation.text).toMatch(/Welcome to TextWorld/);
    } finally {
      store.close();
    }
  });

  it('plays a seat of a multi-agent game against built-in agents, and records every seat', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ludus-play-')), 'game.db');
    // K against the always-bet bot: we check, it bets, we call — a showdown for 2.
    const run = await runCli(['play', 'kuhn-poker-v1', '--seat', '0', '--opponent', 'bot:always-bet', '--task', 'kuhn/train/4', '--db', db], 'check\nraise\ncall\n');
    expect(run.err).toEqual([]);
    const text = run.out.join('\n');
    expect(text).toMatch(/you are seat 0; seat 1: bot:always-bet/);
    expect(text).toMatch(/Your card: K\./);
    expect(text).toMatch(/\[invalid UNKNOWN_VERB\] 'raise' is not a Kuhn poker move: say fold or call\./);
    expect(text).toMatch(/Showdown: seat 0 shows K, seat 1 shows J\. You win 2\./);
    expect(run.out.at(-2)).toMatch(/game over: \d+ steps; returns seat 0 2, seat 1 -2/);
    const store = openStore(db);
    try {
      const [played] = store.listRuns({ kind: 'play' });
      const page = store.listEpisodes({ runId: played!.id });
      expect(page.episodes.map((e) => [e.seat, e.return])).toEqual(expect.arrayContaining([[0, 2], [1, -2]]));
      const mine = store.getEpisode(page.episodes.find((e) => e.seat === 0)!.id)!;
      expect(mine.steps.map((s) => s.action)).toEqual(['check', 'raise', 'call']);
      expect(mine.steps[1]!.invalid).toMatchObject({ code: 'UNKNOWN_VERB' });
      // Seat 1's record holds only what seat 1 saw: its own card, never seat 0's.
      const theirs = store.getEpisode(page.episodes.find((e) => e.seat === 1)!.id)!;
      expect(theirs.steps[0]!.observation.text).toContain('Your card: J.');
      expect(theirs.steps.map((s) => s.observation.text).join('\n')).not.toContain('Your card: K.');
    } finally {
      store.close();
    }
  });

  it('refuses a bad env id with "did you mean" and a bad seed with a usage error', async () => {
    const bad = await runCli(['play', 'household-v2']);
    expect(bad.exitCode).toBe(1);
    expect(bad.err.join('\n')).toMatch(/error \[ENV_UNKNOWN\].*Did you mean 'household-v1'\?/);
    const seed = await runCli(['play', 'household-v1', '--seed', 'x']);
    expect(seed.exitCode).toBe(2);
    expect(seed.err.join('\n')).toMatch(/--seed must be an integer/);
    const task = await runCli(['play', 'household-v1', '--task', 'train:99999']);
    expect(task.exitCode).toBe(1);
    expect(task.err.join('\n')).toMatch(/TASK_UNKNOWN/);
  });
});

describe('ludus check', () => {
  it('runs the multi-agent checks for a multi-agent env', async () => {
    const run = await runCli(['check', 'kuhn-poker-v1', '--episodes', '1']);
    expect(run.exitCode).toBe(0);
    expect(run.out.join('\n')).toMatch(/ok {3}no seat's observation contains another seat's private strings/);
    expect(run.out.at(-1)).toMatch(/^ {2}(\d+)\/\1 checks passed$/);
  });

  it('passes every conformance check for household-v1 in process', async () => {
    const run = await runCli(['check', 'household-v1', '--episodes', '1']);
    expect(run.err).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.out.at(-1)).toMatch(/^ {2}(\d+)\/\1 checks passed$/);
  });

  it('serves over WebSocket from the bin, and checks the server by URL', async () => {
    const server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
      const url = /listening (ws:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString())?.[1];
      expect(url).toBeDefined();
      const run = await runCli(['check', url!, '--env', 'household-v1', '--episodes', '1', '--json']);
      expect(run.exitCode).toBe(0);
      const [report] = JSON.parse(run.out.join('\n'));
      expect(report.env).toBe('household-v1');
      expect(report.report.results.length).toBeGreaterThanOrEqual(9);
      expect(report.report.ok).toBe(true);
      // A multi-agent env on the same server gets the seat checks, over the socket.
      const multi = await runCli(['check', url!, '--env', 'kuhn-poker-v1', '--episodes', '1', '--json']);
      expect(multi.exitCode).toBe(0);
      const [kuhn] = JSON.parse(multi.out.join('\n'));
      expect(kuhn.report.results.map((r: { name: string }) => r.name)).toContain("no seat's observation contains another seat's private strings");
      expect(kuhn.report.ok).toBe(true);
    } finally {
      server.kill('SIGTERM');
      const [code] = await once(server, 'exit');
      expect(code).toBe(0);
    }
  });
});
