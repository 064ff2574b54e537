import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../envs/core/types.js';
import { stepFromResult } from '../../replay/codec.js';
import { StoreError } from '../../replay/errors.js';
import { openStore, type RunStore } from '../../replay/store.js';
import type { EpisodeRecord, EpisodeStep } from '../../replay/types.js';
import { makeEpisode, makeIteration } from './fixtures/records.js';

let store: RunStore;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => {
  store.close();
});

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

function count(table: string): number {
  return store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** Every field set, and every compaction rule exercised (anchor != text, actions != candidates, goal changes). */
function fullEpisode(): EpisodeRecord {
  const steps: EpisodeStep[] = [
    {
      t: 0,
      observation: {
        text: 'You are in the kitchen.',
        actions: ['go to fridge 1', 'look'],
        anchor: 'You are in the kitchen.',
        goal: 'put a cold apple on the table',
      },
      candidates: ['go to fridge 1', 'look'],
      action: 'go to fridge 1',
      logp: Math.log(0.7),
      probs: [0.7, 0.3],
      reward: 0,
      rewardComponents: { progress: 0, invalid: 0 },
      terminated: false,
      truncated: false,
      invalid: null,
      advantage: 0.25,
      episodeAdvantage: 0.2,
      stepAdvantage: 0.05,
      anchorGroup: 'a0',
      stateKey: 'abc123',
      info: { canonicalAction: 'go to fridge 1' },
      decision: { model: 'qwen', reply: 'Action: go to fridge 1', usage: { promptTokens: 88, completionTokens: 7 }, latencyMs: 31.5 },
      tokens: {
        prompt: [{ role: 'system', content: 'Put a cold apple on the table.' }, { role: 'user', content: 'You are in the kitchen.' }],
        promptIds: null,
        completion: 'Action: go to fridge 1',
        tokens: ['Action', ':', ' go', ' to', ' fridge', ' 1'],
        ids: null,
        logprobs: [-0.01, 0, -0.2, -0.05, -0.1, -0.3],
        top: null,
        mask: [0, 0, 1, 1, 1, 1],
        model: 'qwen',
        finishReason: 'stop',
      },
    },
    {
      t: 1,
      observation: {
        text: 'history...\nYou arrive at fridge 1.',
        actions: ['open fridge 1', 'look', 'go to table 1'],
        anchor: 'You arrive at fridge 1.',
        goal: 'a different goal',
        html: '<p>fridge</p>',
        axtree: '[1] fridge',
        screenshot: 'iVBORw0KGgo=',
        url: 'http://127.0.0.1/x',
        seat: 3,
      },
      candidates: ['open fridge 1', 'look', 'open it'],
      action: 'opn fridge',
      logp: -2.5,
      probs: [0.1, 0.2, 0.7],
      reward: -0.1,
      rewardComponents: { progress: 0, invalid: -0.1 },
      terminated: false,
      truncated: true,
      invalid: { code: 'UNKNOWN_VERB', message: "Unknown verb 'opn'.", suggestions: ['open fridge 1'] },
      advantage: -1.5,
      episodeAdvantage: 0.2,
      stepAdvantage: -1.7,
      anchorGroup: 'a1',
      stateKey: 'def456',
      info: { note: 'x', nested: { a: [1, 2] } },
      decision: null,
    },
    {
      t: 2,
      observation: { text: 'No goal here.', actions: [], anchor: 'No goal here.' },
      candidates: [],
      action: 'free text',
      logp: null,
      probs: null,
      reward: 1,
      rewardComponents: {},
      terminated: true,
      truncated: false,
      invalid: null,
      advantage: null,
      episodeAdvantage: null,
      stepAdvantage: null,
      anchorGroup: null,
      stateKey: null,
      info: {},
      decision: null,
    },
  ];
  return {
    envId: 'household-v1',
    taskId: 'valid_seen:3',
    taskType: 'pick_cool_then_place',
    split: 'valid_seen',
    taskIndex: 3,
    seed: 42,
    groupId: 'g7',
    trajId: 'g7-2',
    seat: 2,
    replayed: true,
    return: 0.9,
    success: true,
    terminated: true,
    truncated: false,
    invalidActionPolicy: 'penalty',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_005_000,
    finalObservation: { text: 'Done.', actions: [], anchor: 'Done.', goal: 'put a cold apple on the table' },
    info: { agent: 'policy', task: { id: 'valid_seen:3' } },
    steps,
  };
}

describe('round trip', () => {
  it('keeps every field of a run, its iterations, episodes and steps', () => {
    const runId = store.createRun({
      kind: 'train',
      envId: 'household-v1',
      name: 'household-v1__gigpo__1__1700000000',
      algo: 'gigpo',
      config: { lr: 1e-6, groupSize: 8, nested: { eps: [0.2, 0.28] } },
      backend: 'wasm',
    });
    const metrics = {
      successRate: 0.5,
      meanReturn: 0.45,
      loss: 0.12,
      kl: 0.001,
      entropy: 1.3,
      clipFraction: 0.02,
      stepsPerSecond: 812.5,
      wallTimeMs: 4200,
      'losses/policy_loss': 0.1,
      'charts/bad': Number.NaN,
    };
    const input = fullEpisode();
    const [episodeId] = store.recordIteration(runId, 0, metrics, [input]);

    const run = store.getRun(runId)!;
    expect(run).toEqual({
      id: runId,
      name: 'household-v1__gigpo__1__1700000000',
      kind: 'train',
      algo: 'gigpo',
      envId: 'household-v1',
      config: { lr: 1e-6, groupSize: 8, nested: { eps: [0.2, 0.28] } },
      backend: 'wasm',
      status: 'running',
      error: null,
      lastIteration: 0,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      finishedAt: null,
      pid: process.pid,
      host: expect.any(String),
      heartbeatAt: expect.any(Number),
      crashReason: null,
    });

    expect(store.listIterations(runId)).toEqual([
      {
        runId,
        iteration: 0,
        successRate: 0.5,
        meanReturn: 0.45,
        loss: 0.12,
        kl: 0.001,
        entropy: 1.3,
        clipFraction: 0.02,
        stepsPerSecond: 812.5,
        wallTimeMs: 4200,
        metrics: { ...metrics, 'charts/bad': null },
        createdAt: expect.any(Number),
      },
    ]);

    const stored = store.getEpisode(episodeId!)!;
    const { steps: inputSteps, ...inputRest } = input;
    const { steps: storedSteps, ...storedRest } = stored;
    expect(storedRest).toEqual({
      ...inputRest,
      id: episodeId,
      runId,
      iteration: 0,
      length: 3,
      goal: 'put a cold apple on the table',
    });
    // probs are float32 on disk: compare against the float32-rounded input, exactly.
    const f32 = (xs: number[] | null | undefined) => (xs == null ? null : xs.map((x) => Math.fround(x)));
    expect(storedSteps).toEqual(inputSteps.map((s) => ({ ...s, probs: f32(s.probs), tokens: s.tokens ?? null })));
    // ... and the step without a goal really has none.
    expect('goal' in storedSteps[2]!.observation).toBe(false);
  });

  it('fills absent optional fields with null / {} / false', () => {
    const runId = store.createRun({ kind: 'play', envId: 'toy-v0' });
    const id = store.recordEpisode(runId, {
      envId: 'toy-v0',
      taskId: 'train:0',
      return: 0,
      success: false,
      terminated: false,
      truncated: true,
      invalidActionPolicy: 'noop',
      startedAt: 1,
      finishedAt: 2,
      steps: [
        {
          t: 0,
          observation: { text: 'hi', actions: ['a'], anchor: 'hi' },
          candidates: ['a'],
          action: 'a',
          reward: 0,
          terminated: false,
          truncated: true,
        },
      ],
    });
    const ep = store.getEpisode(id)!;
    expect(ep).toMatchObject({
      iteration: null,
      taskType: null,
      split: null,
      taskIndex: null,
      seed: null,
      groupId: null,
      trajId: null,
      seat: null,
      replayed: false,
      goal: null,
      finalObservation: null,
      info: {},
    });
    expect(ep.steps[0]).toEqual({
      t: 0,
      observation: { text: 'hi', actions: ['a'], anchor: 'hi' },
      candidates: ['a'],
      action: 'a',
      logp: null,
      probs: null,
      reward: 0,
      rewardComponents: {},
      terminated: false,
      truncated: true,
      invalid: null,
      advantage: null,
      episodeAdvantage: null,
      stepAdvantage: null,
      anchorGroup: null,
      stateKey: null,
      info: {},
      decision: null,
      tokens: null,
    });
    const run = store.getRun(runId)!;
    expect(run.name).toMatch(/^toy-v0__play__\d+$/);
    expect(run.lastIteration).toBeNull();
    expect(store.getEpisode(9999)).toBeNull();
    expect(store.getRun(9999)).toBeNull();
  });

  it('builds step records from env results (stepFromResult)', () => {
    const observation = { text: 'obs', actions: ['x', 'y'], anchor: 'obs' };
    const result: StepResult = {
      observation: { text: 'next', actions: [], anchor: 'next' },
      reward: -0.1,
      terminated: false,
      truncated: false,
      info: {
        rewardComponents: { invalid: -0.1 },
        stateKey: 'k1',
        invalid: { code: 'NOT_ADMISSIBLE', message: 'no', suggestions: ['x'] },
        success: false,
        task: { id: 't', split: 'train', index: 0 },
        invalidActionPolicy: 'penalty',
        elapsedSteps: 1,
        canonicalAction: 'z',
      },
    };
    const step = stepFromResult(0, observation, 'z', result, { logp: -1, probs: [0.5, 0.5] });
    expect(step).toEqual({
      t: 0,
      observation,
      candidates: ['x', 'y'],
      action: 'z',
      reward: -0.1,
      rewardComponents: { invalid: -0.1 },
      terminated: false,
      truncated: false,
      invalid: { code: 'NOT_ADMISSIBLE', message: 'no', suggestions: ['x'] },
      stateKey: 'k1',
      info: { elapsedSteps: 1, canonicalAction: 'z' },
      logp: -1,
      probs: [0.5, 0.5],
    });
  });
});

describe('runs', () => {
  it('track status, errors, finish time and list newest first with filters', () => {
    const a = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'grpo' });
    const b = store.createRun({ kind: 'eval', envId: 'shop-v1' });
    store.updateRunStatus(a, 'failed', 'CUDA out of memory');
    const failed = store.getRun(a)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('CUDA out of memory');
    expect(failed.finishedAt).toEqual(expect.any(Number));
    expect(store.listRuns().map((r) => r.id)).toEqual([b, a]);
    expect(store.listRuns({ kind: 'eval' }).map((r) => r.id)).toEqual([b]);
    expect(store.listRuns({ status: 'failed', envId: 'household-v1' }).map((r) => r.id)).toEqual([a]);
    expect(storeError(() => store.updateRunStatus(999, 'finished')).code).toBe('STORE_NOT_FOUND');
    expect(() => store.updateRunStatus(a, 'done' as never)).toThrow(/updateRunStatus/);
  });

  it('delete a run with everything it recorded', () => {
    const runId = store.createRun({ kind: 'train', envId: 'household-v1' });
    store.recordIteration(runId, 0, {}, makeIteration(0));
    store.addCheckpoint({ runId, iteration: 0, path: '/ckpt/0' });
    const keep = store.createRun({ kind: 'train', envId: 'household-v1' });
    store.recordIteration(keep, 0, {}, makeIteration(0, { groups: 1, groupSize: 1, steps: 2 }));
    expect(store.deleteRun(runId)).toBe(true);
    expect(count('iterations')).toBe(1);
    expect(count('episodes')).toBe(1);
    expect(count('steps')).toBe(2);
    expect(count('checkpoints')).toBe(0);
    expect(store.deleteRun(runId)).toBe(false);
  });
});

describe('recordIteration', () => {
  it('writes all or nothing: a record that fails midway leaves no trace', () => {
    const runId = store.createRun({ kind: 'train', envId: 'household-v1' });
    store.recordIteration(runId, 0, { successRate: 0.5 }, makeIteration(0));
    const before = { iterations: count('iterations'), episodes: count('episodes'), steps: count('steps') };

    const episodes = makeIteration(1, { groups: 4, groupSize: 4, steps: 10 });
    // Episode 9 of 16, step 6: a duplicate step index (UNIQUE(episode_id, t)).
    episodes[9]!.steps[6]!.t = 5;
    const err = storeError(() => store.recordIteration(runId, 1, { successRate: 0.7 }, episodes));
    expect(err.code).toBe('STORE_INVALID');
    expect(err.message).toContain('episode 9 of iteration 1');
    expect(err.message).toContain('step 6');

    expect({ iterations: count('iterations'), episodes: count('episodes'), steps: count('steps') }).toEqual(before);
    expect(store.getRun(runId)!.lastIteration).toBe(0);
    expect(store.listEpisodes({ runId, iteration: 1 }).episodes).toEqual([]);
  });

  it('rolls back when the caller throws midway too', () => {
    const runId = store.createRun({ kind: 'train', envId: 'household-v1' });
    const episodes = makeIteration(0, { groups: 2, groupSize: 4 });
    Object.defineProperty(episodes, 5, {
      get() {
        throw new Error('collector crashed');
      },
    });
    expect(() => store.recordIteration(runId, 0, {}, episodes)).toThrow('collector crashed');
    expect(count('iterations') + count('episodes') + count('steps')).toBe(0);
    expect(store.getRun(runId)!.lastIteration).toBeNull();
    // The store is usable afterwards.
    store.recordIteration(runId, 0, {}, makeIteration(0));
    expect(count('episodes')).toBe(8);
  });

  it('rejects bad records, unknown runs and iterations recorded twice; deleteIterationsFrom allows a resume', () => {
    const runId = store.createRun({ kind: 'train', envId: 'household-v1' });
    expect(storeError(() => store.recordIteration(404, 0, {}, makeIteration(0))).code).toBe('STORE_NOT_FOUND');
    expect(storeError(() => store.recordIteration(runId, -1, {}, [])).code).toBe('STORE_INVALID');
    const bad = makeEpisode();
    (bad as { return: unknown }).return = 'high';
    expect(storeError(() => store.recordIteration(runId, 0, {}, [bad])).code).toBe('STORE_INVALID');
    const missing = makeEpisode();
    delete (missing.steps[1] as Partial<EpisodeStep>).action;
    expect(storeError(() => store.recordEpisode(runId, missing)).code).toBe('STORE_INVALID');

    for (let i = 0; i < 3; i++) store.recordIteration(runId, i, { loss: i }, makeIteration(i));
    const conflict = storeError(() => store.recordIteration(runId, 1, {}, makeIteration(1)));
    expect(conflict.code).toBe('STORE_CONFLICT');
    expect(conflict.message).toContain(`deleteIterationsFrom(${runId}, 1)`);

    expect(store.deleteIterationsFrom(runId, 1)).toBe(2);
    expect(store.getRun(runId)!.lastIteration).toBe(0);
    expect(store.listEpisodes({ runId }).episodes.every((e) => e.iteration === 0)).toBe(true);
    expect(count('steps')).toBe(8 * 4);
    store.recordIteration(runId, 1, { loss: 9 }, makeIteration(1));
    expect(store.listIterations(runId).map((i) => [i.iteration, i.loss])).toEqual([
      [0, 0],
      [1, 9],
    ]);
  });
});

describe('listEpisodes', () => {
  let runA: number;
  let runB: number;
  beforeEach(() => {
    runA = store.createRun({ kind: 'train', envId: 'household-v1' });
    runB = store.createRun({ kind: 'train', envId: 'shop-v1' });
    for (let i = 0; i < 3; i++) store.recordIteration(runA, i, {}, makeIteration(i, { steps: 2 })); // 3 x 8 episodes
    store.recordIteration(runB, 0, {}, makeIteration(0, { envId: 'shop-v1', steps: 2 }));
    const play = store.createRun({ kind: 'play', envId: 'household-v1' });
    store.recordEpisode(play, makeEpisode({ split: 'valid_unseen', groupId: undefined }));
  });

  it('filter by run, env, task, task type, split, success, iteration and group', () => {
    const ids = (filter: Parameters<RunStore['listEpisodes']>[0]) => store.listEpisodes(filter, { limit: 1000 }).episodes;
    expect(ids({ runId: runA })).toHaveLength(24);
    expect(ids({ runId: runA, iteration: 2 })).toHaveLength(8);
    expect(ids({ runId: runA, iteration: 2 }).every((e) => e.iteration === 2 && e.runId === runA)).toBe(true);
    expect(ids({ envId: 'shop-v1' })).toHaveLength(8);
    expect(ids({ envId: 'household-v1', taskType: 'clean' })).toHaveLength(12);
    expect(ids({ runId: runA, success: true })).toHaveLength(12);
    expect(ids({ runId: runA, success: true }).every((e) => e.success)).toBe(true);
    expect(ids({ split: 'valid_unseen' })).toHaveLength(1);
    expect(ids({ iteration: null })).toHaveLength(1);
    expect(ids({ runId: runA, iteration: 1, groupId: 'i1g0' }).map((e) => e.trajId)).toEqual(['i1g0t0', 'i1g0t1', 'i1g0t2', 'i1g0t3']);
    expect(ids({ envId: 'household-v1', taskId: 'task-1', success: false })).toHaveLength(6);
    expect(store.countEpisodes({ runId: runA, success: false })).toBe(12);
    expect(store.countEpisodes()).toBe(33);
    expect(() => store.listEpisodes({ run: 1 } as never)).toThrow(/unknown option/);
    expect(() => store.listEpisodes({}, { limit: 0 })).toThrow(/limit/);
  });

  it('page with offset and with a keyset cursor, both directions', () => {
    const all = store.listEpisodes({ runId: runA }, { limit: 1000 }).episodes.map((e) => e.id);
    expect(all).toEqual([...all].sort((a, b) => a - b));

    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page = store.listEpisodes({ runId: runA }, { limit: 10, cursor });
      seen.push(...page.episodes.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(seen).toEqual(all);
    expect(pages).toBe(3);

    const desc = store.listEpisodes({ runId: runA }, { limit: 5, order: 'desc' });
    expect(desc.episodes.map((e) => e.id)).toEqual(all.slice(-5).reverse());
    const desc2 = store.listEpisodes({ runId: runA }, { limit: 5, order: 'desc', cursor: desc.nextCursor });
    expect(desc2.episodes.map((e) => e.id)).toEqual(all.slice(-10, -5).reverse());

    expect(store.listEpisodes({ runId: runA }, { limit: 5, offset: 20 }).episodes.map((e) => e.id)).toEqual(all.slice(20));
    expect(store.listEpisodes({ runId: runA }, { limit: 4, offset: 20 }).nextCursor).toBe(all[23]);
    expect(store.listEpisodes({ runId: runA }, { limit: 5, offset: 20 }).nextCursor).toBeNull();
  });

  it('use indexes (no full scan of episodes or steps) for the viewer queries', () => {
    const plan = (sql: string, ...params: unknown[]) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const cols = 'id, run_id, success';
    for (const [where, params] of [
      ['run_id = ?', [runA]],
      ['run_id = ? AND iteration = ?', [runA, 1]],
      ['run_id = ? AND success = ?', [runA, 1]],
      ['env_id = ? AND task_type = ?', ['household-v1', 'pick']],
      ['env_id = ? AND task_id = ?', ['household-v1', 'task-0']],
    ] as const) {
      const p = plan(`SELECT ${cols} FROM episodes WHERE ${where} ORDER BY id LIMIT 50`, ...params);
      expect(p, where).toMatch(/USING (COVERING )?INDEX/);
      expect(p, where).not.toMatch(/SCAN episodes(?! USING)/);
    }
    // A run's pages come in id order straight from an index, without sorting the whole run.
    for (const [where, params] of [
      ['run_id = ?', [runA]],
      ['run_id = ? AND success = ?', [runA, 1]],
    ] as const) {
      for (const order of ['ASC', 'DESC']) {
        expect(plan(`SELECT * FROM episodes WHERE ${where} ORDER BY id ${order} LIMIT 50`, ...params), where).not.toContain('TEMP B-TREE');
      }
    }
    const steps = plan(`SELECT * FROM steps WHERE episode_id = ? ORDER BY t`, 1);
    expect(steps).toContain('steps_episode_t');
    expect(steps).not.toContain('TEMP B-TREE');
    const anchor = plan(
      `SELECT e.id, s.t FROM episodes e JOIN steps s ON s.episode_id = e.id
       WHERE e.run_id = ? AND e.iteration = ? AND e.group_id = ? AND s.anchor_group = ?`,
      runA,
      0,
      'i0g0',
      'a1',
    );
    expect(anchor).toContain('episodes_run_iteration');
    expect(anchor).toContain('steps_episode_t');
  });
});

describe('groups', () => {
  it('return the N trajectories of a group and the members of an anchor group', () => {
    const runId = store.createRun({ kind: 'train', envId: 'household-v1', algo: 'gigpo' });
    const episodes = [
      makeEpisode({ groupId: 'g0', trajId: 't0', steps: 4, anchor: (t) => ['s', 'k', 'k', 'x'][t]! }),
      makeEpisode({ groupId: 'g0', trajId: 't1', steps: 3, anchor: (t) => ['s', 'y', 'k'][t]! }),
      makeEpisode({ groupId: 'g0', trajId: 't2', steps: 2, anchor: () => null }),
      makeEpisode({ groupId: 'g1', trajId: 't3', steps: 3, anchor: () => 'k' }),
    ];
    const ids = store.recordIteration(runId, 0, {}, episodes);
    store.recordIteration(runId, 1, {}, [makeEpisode({ groupId: 'g0', trajId: 't0', anchor: () => 'k' })]);

    expect(store.getGroup(runId, 0, 'g0').map((e) => [e.id, e.trajId, e.length])).toEqual([
      [ids[0], 't0', 4],
      [ids[1], 't1', 3],
      [ids[2], 't2', 2],
    ]);
    expect(store.getGroup(runId, 1, 'g0')).toHaveLength(1);
    expect(store.getGroup(runId, 0, 'nope')).toEqual([]);

    const k = store.getAnchorGroup({ episodeId: ids[1]!, t: 2 })!;
    expect(k).toMatchObject({ runId, iteration: 0, groupId: 'g0', anchorGroup: 'k' });
    // Same state in the other trajectories of the same group and iteration only (not g1, not iteration 1).
    expect(k.members.map((m) => [m.episodeId, m.trajId, m.t])).toEqual([
      [ids[0], 't0', 1],
      [ids[0], 't0', 2],
      [ids[1], 't1', 2],
    ]);
    expect(k.members[0]).toEqual({
      episodeId: ids[0],
      trajId: 't0',
      t: 1,
      action: episodes[0]!.steps[1]!.action,
      reward: episodes[0]!.steps[1]!.reward,
      advantage: episodes[0]!.steps[1]!.advantage,
      stepAdvantage: episodes[0]!.steps[1]!.stepAdvantage,
    });
    expect(store.getAnchorGroup({ runId, iteration: 0, groupId: 'g0', anchorGroup: 's' })!.members.map((m) => m.episodeId)).toEqual([
      ids[0],
      ids[1],
    ]);
    expect(store.getAnchorGroup({ episodeId: ids[2]!, t: 0 })).toBeNull();
    expect(storeError(() => store.getAnchorGroup({ episodeId: ids[2]!, t: 9 })).code).toBe('STORE_NOT_FOUND');
  });
});

describe('checkpoints', () => {
  it('index checkpoints per run, replace a re-saved iteration, and find the latest', () => {
    const runId = store.createRun({ kind: 'train', envId: 'household-v1' });
    expect(store.latestCheckpoint(runId)).toBeNull();
    store.addCheckpoint({ runId, iteration: 10, path: '/c/10', meta: { optimizer: 'adam' } });
    store.addCheckpoint({ runId, iteration: 20, path: '/c/20' });
    store.addCheckpoint({ runId, iteration: 5, path: '/c/5' });
    store.addCheckpoint({ runId, iteration: 10, path: '/c/10b' });
    expect(store.listCheckpoints(runId).map((c) => [c.iteration, c.path])).toEqual([
      [5, '/c/5'],
      [10, '/c/10b'],
      [20, '/c/20'],
    ]);
    expect(store.latestCheckpoint(runId)).toEqual({
      id: expect.any(Number),
      runId,
      iteration: 20,
      path: '/c/20',
      meta: {},
      createdAt: expect.any(Number),
    });
    expect(storeError(() => store.addCheckpoint({ runId: 404, iteration: 0, path: '/x' })).code).toBe('STORE_NOT_FOUND');
  });
});
