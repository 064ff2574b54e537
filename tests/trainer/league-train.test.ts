import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { openStore } from '../../replay/store.js';
import { TrainLeagueStore } from '../../replay/train-league-store.js';
import { latestCheckpoint } from '../../trainer/run-checkpoints.js';
import { train } from '../../trainer/train.js';
import { TrainerError } from '../../trainer/errors.js';

const KUHN = { env: 'kuhn-poker-v1', algo: 'grpo', init: 'scratch', demos: 0, groups: 4, groupSize: 4, lr: 3e-3, seed: 3, backend: 'cpu', model: { featureDim: 256, hidden: 16, mlpHidden: 16 } } as const;

function leagueOf(db: string, runId: number) {
  const store = openStore(db, { readonly: true });
  try {
    const t = new TrainLeagueStore(store);
    return { members: t.members(runId), ratings: t.ratings(runId), latest: t.latest(runId) };
  } finally {
    store.close();
  }
}

async function runState(ck: string): Promise<{ league: { members: { name: string }[]; payoffs: unknown } }> {
  return JSON.parse(readFileSync(join((await latestCheckpoint(ck)) as string, 'run-state.json'), 'utf8'));
}

describe('ludus train --league', () => {
  it('plays bots and its own checkpoints, rating every member in the store after every iteration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-league-'));
    try {
      const db = join(dir, 'k.db');
      const logs: string[] = [];
      const r = await train({ ...KUHN, iterations: 4, db, checkpointDir: join(dir, 'ck'), checkpointEvery: 2, league: { enabled: true, every: 2, meta: 'pfsp' } }, { log: (l) => logs.push(l) });
      expect(r.status).toBe('finished');
      const { members, ratings, latest } = leagueOf(db, r.runId);
      expect(members.map((m) => m.name)).toEqual(['bot:always-bet', 'bot:nash', 'it1', 'it3']);
      expect(members.filter((m) => m.kind === 'checkpoint').every((m) => m.status === 'active' && m.path !== null)).toBe(true);
      // learner + 2 bots every iteration, plus each checkpoint from the iteration it joined
      expect(ratings.length).toBe(4 * 3 + 3 + 1);
      expect(new Set(ratings.map((x) => x.iteration))).toEqual(new Set([0, 1, 2, 3]));
      const learner = ratings.filter((x) => x.member === 'learner');
      expect(learner.at(-1)!.games).toBe(4 * 4 * 4); // 4 iterations × 4 groups × 4 copies
      expect(latest?.iteration).toBe(3);
      expect(Object.values(latest!.distribution).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(logs.some((l) => /league: checkpoint it1 joins/.test(l))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a single-agent env with a typed error before any run starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-league-'));
    try {
      const err = await train({ env: 'household-v1', init: 'scratch', demos: 0, iterations: 1, db: join(dir, 'h.db'), checkpointDir: join(dir, 'ck'), league: { enabled: true } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrainerError);
      expect((err as TrainerError).code).toBe('LEAGUE_NEEDS_MULTI_AGENT');
      expect((err as Error).message).toMatch(/single-agent env.*without --league/);
      const store = openStore(join(dir, 'h.db'), { readonly: true });
      expect(store.listRuns().length).toBe(0);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('a resumed run keeps its opponents and payoff table; a checkpoint that no longer loads is skipped with a warning and recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-league-'));
    try {
      const db = join(dir, 'k.db');
      const ck = join(dir, 'ck');
      const cfg = { ...KUHN, db, checkpointDir: ck, checkpointEvery: 2, league: { enabled: true, every: 1, meta: 'uniform' as const, bots: 'bot:nash' } };
      // The same run straight through, for comparison.
      const straight = await train({ ...cfg, iterations: 4, db: join(dir, 'straight.db'), checkpointDir: join(dir, 'ck-straight') });
      const first = await train({ ...cfg, iterations: 2 });
      const saved = await runState(ck);
      expect(saved.league.members.map((m) => m.name)).toEqual(['bot:nash', 'it0', 'it1']);
      const resumed = await train({ iterations: 4, db, checkpointDir: ck, resume: true });
      expect(resumed.runId).toBe(first.runId);
      const a = await runState(ck);
      const b = await runState(join(dir, 'ck-straight'));
      expect(a.league.members.map((m) => m.name)).toEqual(['bot:nash', 'it0', 'it1', 'it2', 'it3']);
      // Same opponents, same games, same table as the uninterrupted run.
      expect(a.league.payoffs).toEqual(b.league.payoffs);
      expect(leagueOf(db, first.runId).latest).toEqual(leagueOf(join(dir, 'straight.db'), straight.runId).latest);

      // Break a league checkpoint, then go on: warned, recorded, skipped.
      rmSync(join(ck, 'league', 'it0'), { recursive: true, force: true });
      const logs: string[] = [];
      const more = await train({ iterations: 8, db, checkpointDir: ck, resume: true }, { log: (l) => logs.push(l) });
      expect(more.status).toBe('finished');
      expect(logs.some((l) => /warning: league checkpoint it0 .* does not load and is skipped/.test(l))).toBe(true);
      const { members, latest } = leagueOf(db, first.runId);
      expect(members.find((m) => m.name === 'it0')).toMatchObject({ status: 'unloadable' });
      expect(members.find((m) => m.name === 'it0')?.error).toBeTruthy();
      expect(Object.keys(latest!.distribution)).not.toContain('it0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
