/**
 * `ludus advantages` against the trainer itself: on the rows a real `train` run recorded, the
 * recomputation from the store gives the advantages the trainer recorded (GiGPO with the observation
 * and the state-key anchors, GRPO); and ARPO's replay from the store equals the trainer's
 * `replayIntoGroups` + estimator on the same trajectories and the same buffer.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../envs/builtin.js';
import { ExpertAgent } from '../../agents/experts.js';
import { RandomAgent } from '../../agents/random-agent.js';
import { Rng } from '../../envs/core/rng.js';
import { MemoryReplayBuffer } from '../../replay/replay-buffer.js';
import { openStore, type RunStore } from '../../replay/store.js';
import { ESTIMATORS } from '../../trainer/advantages/index.js';
import { replayIntoGroups } from '../../trainer/arpo.js';
import { trainingReturn } from '../../trainer/batch.js';
import { LocalEnvProvider } from '../../trainer/env-provider.js';
import { episodeRecord } from '../../trainer/records.js';
import { iterationAdvantages, iterationEpisodes, rowsOf, writeRecordedAdvantages } from '../../trainer/recorded-advantages.js';
import { collectGroups, type CollectedTrajectory, type GroupSpec } from '../../trainer/rollout.js';
import { train } from '../../trainer/train.js';

const TINY = { iterations: 2, groups: 3, groupSize: 4, maxSteps: 12, init: 'scratch', demos: 0, model: { featureDim: 256, hidden: 8, mlpHidden: 8 }, checkpointEvery: 2 };

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ludus-advantages-'));
}

/** The advantages a run's steps carry, in recording order. */
function recordedSteps(store: RunStore, runId: number, iteration: number) {
  return iterationEpisodes(store, runId, iteration).flatMap((e) => e.steps.map((s) => ({ advantage: s.advantage, episodeAdvantage: s.episodeAdvantage, stepAdvantage: s.stepAdvantage, anchorGroup: s.anchorGroup })));
}

describe('ludus advantages equals the trainer on the rows it recorded', () => {
  for (const [name, extra] of [
    ['gigpo, observation anchors', { algo: 'gigpo' }],
    ['gigpo, state-key anchors, success reward', { algo: 'gigpo', advantage: { anchorKey: 'stateKey' }, rewardMode: 'success' }],
    ['grpo', { algo: 'grpo' }],
  ] as const) {
    it(name, async () => {
      const dir = tempDir();
      const db = path.join(dir, 'ludus.db');
      const result = await train({ ...TINY, ...extra, db, checkpointDir: path.join(dir, 'ck'), seed: 3 });
      const store = openStore(db);
      try {
        for (const iteration of [0, 1]) {
          const episodes = iterationEpisodes(store, result.runId, iteration);
          const computed = iterationAdvantages(episodes, iteration, 'household-v1', {
            algo: extra.algo,
            ...('advantage' in extra ? { advantage: extra.advantage } : {}),
            ...('rewardMode' in extra ? { rewardMode: extra.rewardMode } : {}),
          }, null);
          const mine = computed.rows.map((_, i) => ({
            advantage: computed.result.advantage[i],
            episodeAdvantage: computed.result.episodeAdvantage[i],
            stepAdvantage: computed.result.stepAdvantage[i],
            anchorGroup: computed.result.anchorGroup[i]! >= 0 ? String(computed.result.anchorGroup[i]) : null,
          }));
          const theirs = recordedSteps(store, result.runId, iteration);
          expect(mine).toHaveLength(theirs.length);
          mine.forEach((m, i) => {
            expect(m.advantage).toBeCloseTo(theirs[i]!.advantage!, 12);
            expect(m.episodeAdvantage).toBeCloseTo(theirs[i]!.episodeAdvantage!, 12);
            expect(m.stepAdvantage).toBeCloseTo(theirs[i]!.stepAdvantage!, 12);
            expect(m.anchorGroup).toBe(theirs[i]!.anchorGroup);
          });
          // not vacuous: the iteration has some signal
          expect(mine.some((m) => m.advantage !== 0) || computed.result.stats.fracZeroStdGroups === 1).toBe(true);
        }
      } finally {
        store.close();
      }
    }, 60_000);
  }
});

describe('ludus advantages --algo arpo', () => {
  const ENV = { difficulty: 'easy', maxEpisodeSteps: 3 };
  const groups = (iteration: number): GroupSpec[] => [0, 1, 2].map((g) => ({ groupId: `i${iteration}g${g}`, task: { split: 'train', index: g }, seed: 50 + g }));

  it('replays stored successes into all-failure groups exactly as the trainer, and writes them back', async () => {
    const provider = new LocalEnvProvider('household-v1', { difficulty: 'easy', maxEpisodeSteps: 40 });
    const short = new LocalEnvProvider('household-v1', ENV);
    const opts = { groupSize: 3, historyLength: 4, retries: 0 };
    // iteration 0: the expert solves every task (its successes fill the buffer); iteration 1: 3 random steps fail them all
    const it0 = (await collectGroups(provider, new ExpertAgent('household-v1'), groups(0), opts)).trajectories;
    const it1 = (await collectGroups(short, new RandomAgent(1), groups(1), opts)).trajectories;
    expect(it0.every((t) => t.success)).toBe(true);
    expect(it1.every((t) => !t.success)).toBe(true);

    const dir = tempDir();
    const store = openStore(path.join(dir, 'ludus.db'));
    try {
      const runId = store.createRun({ kind: 'train', envId: 'household-v1', config: { source: 'rollout' } });
      store.recordIteration(runId, 0, {}, it0.map((t) => episodeRecord('household-v1', t)));
      store.recordIteration(runId, 1, {}, it1.map((t) => episodeRecord('household-v1', t)));
      const summary = writeRecordedAdvantages(store, runId, { algo: 'arpo', seed: 9 });
      expect(summary.iterations.map((i) => i.replayed)).toEqual([0, 3]);

      // the trainer's own path on the same trajectories: iteration 0 fills a buffer, iteration 1 draws from it
      const buffer = new MemoryReplayBuffer({ capacity: 8 });
      const arpoOpts = { replay: true, successThreshold: 0.1, failStd: 0.05, failMean: 0.2, historyLength: 4, runId };
      const expected: { trajectories: CollectedTrajectory[] }[] = [];
      for (const [iteration, trajs] of [it0, it1].entries()) {
        const rng = new Rng(`advantages:9:${iteration}`);
        const out = replayIntoGroups(trajs, trajs.map((t) => trainingReturn(t, 'env')), buffer, 'household-v1', arpoOpts, () => rng.next());
        expected.push(out);
      }
      const { rows } = rowsOf(expected[1]!.trajectories, 'env');
      const trainer = ESTIMATORS.grpo(rows, { episodeStats: 'trajectories' });
      expect(trainer.stats.fracZeroStdGroups).toBe(0); // each group: one replayed success among failures

      // read back: the replayed episodes (recorded, with advantages), the replaced rollouts (marked, none)
      const episodes = store.listEpisodes({ runId, iteration: 1 }, { limit: 100 }).episodes.map((e) => store.getEpisode(e.id)!);
      const replayed = episodes.filter((e) => e.replayed);
      const replaced = episodes.filter((e) => e.info.replacedBy !== undefined);
      expect(replayed).toHaveLength(3);
      expect(replaced.map((e) => e.trajId)).toEqual(['i1g0/0', 'i1g1/0', 'i1g2/0']);
      expect(replaced.every((e) => e.steps.every((s) => s.advantage === null))).toBe(true);
      const byTraj = new Map(episodes.map((e) => [e.trajId, e]));
      rows.forEach((row, i) => {
        const step = byTraj.get(row.trajId)!.steps[row.t]!;
        expect(step.advantage).toBeCloseTo(trainer.advantage[i]!, 12);
      });
      expect(replayed.map((e) => e.trajId).sort()).toEqual(expected[1]!.trajectories.filter((t) => t.replayed).map((t) => t.trajId).sort());
      expect(store.listIterations(runId)[1]!.metrics['arpo/injected_groups']).toBe(1);
      expect(store.getRun(runId)!.algo).toBe('arpo');

      // computing again changes nothing: earlier replays undone, the buffer not filled twice
      writeRecordedAdvantages(store, runId, { algo: 'arpo', seed: 9 });
      const again = store.listEpisodes({ runId, iteration: 1 }, { limit: 100 }).episodes;
      expect(again.filter((e) => e.replayed)).toHaveLength(3);
      expect(store.replayBuffer({ scope: `rollout:${runId}` }).size('household-v1', it0[0]!.task!.id)).toBe(3); // its 3 copies, once each
      // and a plain GRPO pass afterwards restores every rollout
      writeRecordedAdvantages(store, runId, { algo: 'grpo' });
      const plain = store.listEpisodes({ runId, iteration: 1 }, { limit: 100 }).episodes.map((e) => store.getEpisode(e.id)!);
      expect(plain.filter((e) => e.replayed || e.info.replacedBy !== undefined)).toHaveLength(0);
    } finally {
      store.close();
    }
  }, 60_000);

  it('a run with no iterations, or an unknown run: a clear error', () => {
    const store = openStore(':memory:');
    try {
      const runId = store.createRun({ kind: 'train', envId: 'household-v1', config: { source: 'rollout' } });
      expect(() => writeRecordedAdvantages(store, runId, { algo: 'gigpo' })).toThrow(/has no recorded iterations.*ludus rollout --run/);
      expect(() => writeRecordedAdvantages(store, 99, { algo: 'gigpo' })).toThrow(/no such run/);
    } finally {
      store.close();
    }
  });
});
