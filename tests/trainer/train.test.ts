import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { openStore } from '../../replay/store.js';
import { resolveTrainConfig } from '../../trainer/config.js';
import { advantageOptions, lossOptions } from '../../trainer/algorithms.js';
import { DEFAULT_PPO_LOSS_CONFIG } from '../../trainer/losses/ppo.js';
import { startServer } from '../../envs/server/env-server.js';
import { loadCheckpoint } from '../../agents/policy/checkpoint.js';
import { latestCheckpoint } from '../../trainer/run-checkpoints.js';
import { train } from '../../trainer/train.js';
import { trainingRecords } from '../../trainer/batch.js';

const TINY = {
  iterations: 2,
  groups: 2,
  groupSize: 3,
  maxSteps: 10,
  demos: 4,
  sftEpochs: 5,
  model: { featureDim: 256, hidden: 8, mlpHidden: 8 },
  checkpointEvery: 1,
};

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ludus-train-'));
}

describe('train config', () => {
  it('has defaults that train GiGPO on household-v1 in process, with the memory policy over the whole episode', () => {
    const c = resolveTrainConfig({});
    expect(c).toMatchObject({ env: 'household-v1', algo: 'gigpo', envUrl: [], db: './ludus.db', backend: 'auto', init: 'sft', historyLength: 64 });
    expect(c.model).toMatchObject({ memory: 'bag', recentSteps: 2 });
    // advantage and loss options left out come from the estimator's and the loss's own defaults
    expect(c.advantage).toEqual({});
    expect(lossOptions(c)).toEqual(DEFAULT_PPO_LOSS_CONFIG);
  });

  it('takes the algorithm\'s defaults, then the config\'s (ARPO: clip-higher, no KL, statistics per trajectory)', () => {
    const arpo = resolveTrainConfig({ algo: 'arpo' });
    expect(lossOptions(arpo)).toMatchObject({ clipLow: 0.2, clipHigh: 0.3, klCoef: 0, entropyCoef: 0, dualClip: 3 });
    expect(advantageOptions(arpo)).toEqual({ episodeStats: 'trajectories' });
    const given = resolveTrainConfig({ algo: 'arpo', loss: { clipHigh: 0.25 }, advantage: { episodeStats: 'rows' } });
    expect(lossOptions(given).clipHigh).toBe(0.25);
    expect(advantageOptions(given).episodeStats).toBe('rows');
  });

  it('refuses options that would not act', () => {
    expect(() => resolveTrainConfig({ model: { memory: 'window' }, historyLength: 32 })).toThrow(/historyLength: 32 with model.memory 'window'/);
    expect(() => resolveTrainConfig({ algo: 'refuel', groupSize: 1 })).toThrow(/REFUEL draws pairs/);
    expect(() => resolveTrainConfig({ arpo: { estimator: 'rloo' } })).toThrow(/arpo\.estimator/);
  });

  it('names the bad field', () => {
    expect(() => resolveTrainConfig({ groups: 0 })).toThrow(/groups/);
    expect(() => resolveTrainConfig({ algo: 'ppo' })).toThrow(/algo/);
    expect(() => resolveTrainConfig({ advantage: { gamma: 2 } })).toThrow(/advantage\.gamma/);
    expect(() => resolveTrainConfig({ envUrl: ['http://x'] })).toThrow(/envUrl\.0: must be a ws/);
    expect(() => resolveTrainConfig({ itterations: 3 })).toThrow(/unknown option\(s\) 'itterations'/);
    expect(() => resolveTrainConfig({ resume: true })).toThrow(/resume: needs checkpointDir/);
  });
});

describe('train', () => {
  it('runs GiGPO end to end: store rows with advantages and anchor groups, checkpoints, eval', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'ludus.db');
    const iterations: number[] = [];
    const result = await train(
      { ...TINY, db, checkpointDir: path.join(dir, 'ck'), evalEpisodes: 6, evalSplit: 'valid_unseen' },
      { onIteration: (s) => iterations.push(s.iteration) },
    );
    expect(result.status).toBe('finished');
    expect(result.backend.name).toBe('wasm');
    expect(iterations).toEqual([0, 1]);
    expect(result.eval?.episodes).toBe(6);
    expect(Object.keys(result.eval?.byTaskType ?? {})).toHaveLength(6);

    const store = openStore(db);
    try {
      const run = store.getRun(result.runId)!;
      expect(run).toMatchObject({ status: 'finished', algo: 'gigpo', backend: 'wasm', lastIteration: 1 });
      expect(run.config).not.toHaveProperty('token');
      const its = store.listIterations(result.runId);
      expect(its.map((i) => i.iteration)).toEqual([0, 1]);
      expect(its[0]!.metrics['advantage/step/step_groups']).toBeGreaterThan(0);
      expect(its[0]!.metrics['charts/env_steps']).toBeGreaterThan(0);
      expect(its[1]!.metrics['charts/env_steps']).toBeGreaterThan(its[0]!.metrics['charts/env_steps']!);
      // the trainer's names fill the store's typed columns
      expect(its[0]!.successRate).toBe(its[0]!.metrics['charts/success_rate']);
      expect(its[0]!.wallTimeMs).toBe(its[0]!.metrics['time/iteration_ms']);
      expect(Number.isFinite(its[0]!.loss)).toBe(true);
      const page = store.listEpisodes({ runId: result.runId, iteration: 0 });
      expect(page.episodes).toHaveLength(6);
      const episode = store.getEpisode(page.episodes[0]!.id)!;
      expect(episode.steps.length).toBeGreaterThan(0);
      const s0 = episode.steps[0]!;
      expect(s0.probs).toHaveLength(s0.candidates.length);
      expect(s0.probs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(s0.anchorGroup).not.toBeNull();
      expect(s0.advantage).toBeCloseTo((s0.episodeAdvantage ?? 0) + (s0.stepAdvantage ?? 0), 6);
      // the first state of every copy in a group is the same anchor state
      const group = store.getAnchorGroup({ episodeId: episode.id, t: 0 })!;
      expect(group.members.filter((m) => m.t === 0)).toHaveLength(3);
      expect(store.listCheckpoints(result.runId).map((c) => c.iteration)).toEqual([0, 1]);
    } finally {
      store.close();
    }
    expect(await latestCheckpoint(path.join(dir, 'ck'))).toBe(path.join(dir, 'ck', 'iter-000001'));
  });

  it('refuses to overwrite a run, resumes one with --resume, and keeps the store whole', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'ludus.db');
    const ck = path.join(dir, 'ck');
    const first = await train({ ...TINY, algo: 'grpo', db, checkpointDir: ck });
    await expect(train({ ...TINY, db, checkpointDir: ck })).rejects.toThrow(/already holds checkpoints.*--resume/);
    const resumed = await train({ iterations: 4, db, checkpointDir: ck, resume: true });
    expect(resumed.runId).toBe(first.runId);
    const store = openStore(db);
    try {
      expect(store.listIterations(first.runId).map((i) => i.iteration)).toEqual([0, 1, 2, 3]);
      // the saved config (grpo, tiny sizes) was used, with the new iteration count
      expect(store.listEpisodes({ runId: first.runId, iteration: 3 }).episodes).toHaveLength(6);
      expect(store.getRun(first.runId)).toMatchObject({ algo: 'grpo', status: 'finished' });
    } finally {
      store.close();
    }
  });

  it('a run killed with SIGKILL resumes from its last checkpoint with only whole iterations in the store', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'ludus.db');
    const ck = path.join(dir, 'ck');
    const bin = path.join(import.meta.dirname, '../../bin/ludus.js');
    const args = [bin, 'train', '--iterations', '200', '--groups', '2', '--group-size', '3', '--max-steps', '10', '--demos', '2', '--checkpoint-every', '1', '--db', db, '--checkpoint-dir', ck, '--option', 'difficulty="easy"'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!/iter 3\//.test(stderr) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(stderr).toMatch(/iter 3\//);

    const latest = await latestCheckpoint(ck);
    expect(latest).not.toBeNull();
    const saved = Number(/iter-(\d+)/.exec(latest!)![1]);
    const store = openStore(db);
    const runId = store.listRuns({ kind: 'train' })[0]!.id;
    for (const it of store.listIterations(runId)) {
      // every recorded iteration is whole: all G×N episodes, each with its steps
      const episodes = store.listEpisodes({ runId, iteration: it.iteration }).episodes;
      expect(episodes).toHaveLength(6);
      for (const e of episodes) expect(store.getEpisode(e.id)!.steps).toHaveLength(e.length);
    }
    store.close();

    const resumed = await train({ iterations: saved + 3, db, checkpointDir: ck, resume: true });
    expect(resumed.status).toBe('finished');
    const after = openStore(db);
    try {
      expect(after.listIterations(runId).map((i) => i.iteration)).toEqual(Array.from({ length: saved + 3 }, (_, i) => i));
    } finally {
      after.close();
    }
  });

  it('trains against an env server (--env-url)', async () => {
    const server = await startServer({ port: 0 });
    try {
      const dir = tempDir();
      const result = await train({ ...TINY, iterations: 1, envUrl: [server.url], db: path.join(dir, 'ludus.db'), checkpointDir: path.join(dir, 'ck') });
      expect(result.status).toBe('finished');
      expect(result.lastMetrics?.['rollout/retried_groups']).toBe(0);
      expect(server.sessionCount).toBe(0);
      expect(existsSync(path.join(dir, 'ck', 'iter-000000', 'model.json'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('train: ARPO, REFUEL, memory', () => {
  it('ARPO keeps its buffer in the store across --resume and marks the replayed episodes', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'ludus.db');
    const ck = path.join(dir, 'ck');
    const config = { ...TINY, algo: 'arpo', maxSteps: 8, trainTasks: 3, db, checkpointDir: ck };
    const first = await train({ ...config, iterations: 2 });
    let store = openStore(db);
    const buffer = store.replayBuffer({ scope: `run:${first.runId}` });
    const stored = store.listEpisodes({ runId: first.runId }).episodes.filter((e) => e.success).map((e) => e.taskId);
    expect(stored.length).toBeGreaterThan(0);
    expect(buffer.size('household-v1', stored[0]!)).toBeGreaterThan(0);
    store.close();

    const resumed = await train({ iterations: 4, db, checkpointDir: ck, resume: true });
    expect(resumed.runId).toBe(first.runId);
    store = openStore(db);
    try {
      const its = store.listIterations(first.runId);
      expect(its.map((i) => i.iteration)).toEqual([0, 1, 2, 3]);
      expect(its.slice(2).some((i) => (i.metrics['arpo/injected_groups'] ?? 0) > 0)).toBe(true);
      const replayed = store.listEpisodes({ runId: first.runId }).episodes.filter((e) => e.replayed);
      expect(replayed.length).toBeGreaterThan(0);
      // a replayed success sits in an all-failure group of its task, which keeps N = 3 trajectories
      const group = store.getGroup(first.runId, replayed[0]!.iteration!, replayed[0]!.groupId!);
      expect(group).toHaveLength(3);
      expect(group.filter((e) => e.success)).toHaveLength(1);
      expect(new Set(group.map((e) => e.taskId)).size).toBe(1);
      expect(store.getRun(first.runId)!.config).toMatchObject({ loss: { clipHigh: 0.3, klCoef: 0 }, advantage: { episodeStats: 'trajectories' } });
    } finally {
      store.close();
    }
  });

  it('REFUEL trains on branched pairs against an env server, through session.snapshot/restore', async () => {
    const server = await startServer({ port: 0 });
    try {
      const dir = tempDir();
      const db = path.join(dir, 'ludus.db');
      const result = await train({ ...TINY, algo: 'refuel', groupSize: 4, envUrl: [server.url], db, checkpointDir: path.join(dir, 'ck') });
      expect(result.status).toBe('finished');
      expect(result.lastMetrics?.['refuel/pairs']).toBeGreaterThanOrEqual(0);
      expect(result.lastMetrics).toHaveProperty('losses/refuel_residual');
      expect(server.sessionCount).toBe(0);
      const store = openStore(db);
      try {
        const its = store.listIterations(result.runId);
        expect(its.reduce((n, i) => n + (i.metrics['refuel/pairs'] ?? 0), 0)).toBeGreaterThan(0);
        // each pair is recorded as two whole episodes of one group, the trained turn with ±η·ΔR
        const episodes = store.listEpisodes({ runId: result.runId, iteration: 0 }).episodes;
        expect(episodes).toHaveLength(2 * 2 * 2);
        const withAdvantage = episodes.flatMap((e) => store.getEpisode(e.id)!.steps.filter((s) => s.advantage !== null));
        expect(withAdvantage.length % 2).toBe(0);
      } finally {
        store.close();
      }
    } finally {
      await server.close();
    }
  });

  it('historyLength acts: a different history length gives a different policy and different results', async () => {
    const runs = await Promise.all(
      [2, 8].map(async (historyLength) => {
        const dir = tempDir();
        return train({ ...TINY, historyLength, iterations: 1, db: path.join(dir, 'ludus.db'), checkpointDir: path.join(dir, 'ck') });
      }),
    );
    const scorers = await Promise.all(runs.map(async (r) => (await loadCheckpoint(path.join(r.checkpointDir, 'iter-000000'))).scorer));
    expect(scorers.map((s) => s.config.featurizer.historyLength)).toEqual([2, 8]);
    expect(runs[0]!.lastMetrics).not.toEqual(runs[1]!.lastMetrics);
    for (const s of scorers) s.dispose();
  });
});

describe('trainingRecords', () => {
  const step = (reward: number) => ({
    record: { anchor: 'a', stateKey: 'k', action: 'x', candidates: ['x'], logpOld: 0, reward, invalid: false },
    observation: { text: 'a', actions: ['x'], anchor: 'a' },
    probs: null,
    history: [],
    result: {} as never,
  });
  const trajectory = (rewards: number[], success: boolean) =>
    ({ steps: rewards.map(step), success }) as unknown as Parameters<typeof trainingRecords>[0];

  it('keeps the env reward in env mode, and pays 1 only on a successful last step in success mode', () => {
    expect(trainingRecords(trajectory([0, 0.2, 0.75], false), 'env').map((r) => r.reward)).toEqual([0, 0.2, 0.75]);
    expect(trainingRecords(trajectory([0, 0.2, 0.75], false), 'success').map((r) => r.reward)).toEqual([0, 0, 0]);
    expect(trainingRecords(trajectory([0, 0, 1], true), 'success').map((r) => r.reward)).toEqual([0, 0, 1]);
  });
});
