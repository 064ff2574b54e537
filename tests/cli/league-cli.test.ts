import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../agents/policy/backend.js';
import { saveScorer } from '../../agents/policy/checkpoint.js';
import { ActionScorer } from '../../agents/policy/model.js';
import { PolicyServer } from '../../agents/policy-server/policy-server.js';
import { LeagueStore } from '../../replay/league-store.js';
import { openStore } from '../../replay/store.js';
import { runCli } from './helpers.js';

describe('ludus league', () => {
  it('prints standings with intervals and ratings, and records the league with --db', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ludus-league-cli-')), 'l.db');
    const run = await runCli(['league', '--env', 'werewolf-v1', '--agents', 'bot:random,bot:basic', '--games', '8', '--db', db, '--name', 'cli-test']);
    expect(run.exitCode, run.err.join('\n')).toBe(0);
    const out = run.out.join('\n');
    expect(out).toMatch(/^8 games: werewolves won \d+, the village \d+, \d+ draws\./);
    expect(out).toContain('| agent | win rate [95% CI] | as werewolves | as village | Elo | OpenSkill μ ± σ (ordinal) |');
    expect(out).toContain('| agent | werewolf | seer | doctor | villager |');
    expect(out).toContain("Werewolves' win rate by pairing");
    expect(out).toMatch(/Recorded as league 1 in .*l\.db/);
    expect(run.err.join('\n')).toContain('league: 8/8 games');
    const store = openStore(db, { readonly: true });
    try {
      const leagues = new LeagueStore(store);
      expect(leagues.getLeague(1)).toMatchObject({ name: 'cli-test', status: 'finished', games: 8, entrants: ['bot:random', 'bot:basic'] });
      expect(leagues.getLeague(1)!.config).toMatchObject({ games: 8, schedule: 'sides', split: 'test', seed: 0 });
    } finally {
      store.close();
    }
    const verify = await runCli(['replay', '--db', db, '--verify', 'game:3']);
    expect(verify.exitCode).toBe(0);
    expect(verify.out.join('\n')).toMatch(/^game 3: werewolf-v1, identical/);
  });

  it('prints JSON with --json and plays the seats schedule with env options', async () => {
    const run = await runCli(['league', '--agents', 'bot:naive,bot:strong', '--games', '4', '--schedule', 'seats', '--option', 'discussion=bidding', '--json']);
    expect(run.exitCode, run.err.join('\n')).toBe(0);
    const json = JSON.parse(run.out.join('\n'));
    expect(json.games).toBe(4);
    expect(json.leagueId).toBeNull();
    expect(json.pairings).toEqual([]);
    expect(json.entrants.map((e: { entrant: string }) => e.entrant)).toEqual(['bot:naive', 'bot:strong']);
  });

  it('plays a tfjs policy checkpoint as an entrant (checkpoint:DIR)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ludus-league-ckpt-')), 'policy');
    await selectBackend({ prefer: 'auto' });
    const scorer = ActionScorer.create({ seed: 1 });
    await saveScorer(scorer, dir);
    scorer.dispose();
    const run = await runCli(['league', '--agents', `bot:basic,checkpoint:${dir}`, '--games', '4', '--json']);
    expect(run.exitCode, run.err.join('\n')).toBe(0);
    const json = JSON.parse(run.out.join('\n'));
    expect(json.entrants.map((e: { entrant: string }) => e.entrant)).toEqual(['bot:basic', `checkpoint:${dir}`]);
    expect(json.entrants[1].sides.wolves.trials + json.entrants[1].sides.village.trials).toBe(4);
    const missing = await runCli(['league', '--agents', `checkpoint:${dir}-nope`, '--games', '1']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.err.join('\n')).toMatch(/nope/);
  }, 120_000);

  it('plays a language model over an OpenAI-compatible endpoint as an entrant (llm:MODEL@URL)', async () => {
    await selectBackend({ prefer: 'auto' });
    const scorer = ActionScorer.create({ seed: 2 });
    const server = await new PolicyServer(scorer, { model: 'werewolf-policy' }).listen();
    try {
      const name = `llm:werewolf-policy@${server.url}`;
      const run = await runCli(['league', '--agents', `bot:naive,${name}`, '--games', '4', '--json']);
      expect(run.exitCode, run.err.join('\n')).toBe(0);
      const json = JSON.parse(run.out.join('\n'));
      const llm = json.entrants.find((e: { entrant: string }) => e.entrant === name);
      expect(llm.sides.wolves.trials + llm.sides.village.trials).toBe(4);
    } finally {
      await server.close();
      scorer.dispose();
    }
  }, 120_000);

  it('refuses bad input with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['league', '--agents', 'bot:basic', '--env', 'household-v1'], /leagues are played on werewolf-v1/],
      [['league', '--agents', 'bot:basic', '--games', '0'], /--games must be an integer >= 1/],
      [['league', '--agents', 'bot:basic', '--schedule', 'round-robin'], /--schedule must be one of sides, seats/],
      [['league', '--agents', 'bot:basic', '--split', 'dev'], /--split must be one of train, valid, test/],
      [['league', '--agents', 'bot:genius'], /No built-in agent 'bot:genius' for werewolf-v1/],
      [['league', '--agents', 'bot:basic,bot:basic'], /listed twice/],
      [['league', '--agents', 'bot:basic', '--option', 'discussion=shouting'], /discussion/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.exitCode, args.join(' ')).not.toBe(0);
      expect(run.err.join('\n'), args.join(' ')).toMatch(message);
    }
  });
});
