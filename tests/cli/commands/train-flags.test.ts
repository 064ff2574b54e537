import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromFlags } from '../../../cli/commands/train.js';
import { resolveTrainConfig } from '../../../trainer/config.js';

describe('ludus train flags for ARPO, REFUEL and the memory policy', () => {
  it('map onto the config, over a config file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ludus-flags-'));
    const file = path.join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ arpo: { capacity: 4 }, model: { hidden: 32 }, refuel: { eta: 3 } }));
    const input = configFromFlags({
      config: file,
      algo: 'arpo',
      arpoEstimator: 'gigpo',
      replay: false,
      historyLength: '12',
      trainTasks: '32',
      selectTasks: '16',
      memory: 'window',
      eta: '0.5',
      evalEvery: '5',
    });
    const c = resolveTrainConfig(input);
    expect(c).toMatchObject({ algo: 'arpo', historyLength: 12, trainTasks: 32, selectTasks: 16, evalEvery: 5 });
    expect(c.arpo).toMatchObject({ estimator: 'gigpo', replay: false, capacity: 4 });
    expect(c.model).toMatchObject({ memory: 'window', hidden: 32 });
    expect(c.refuel.eta).toBe(0.5);
  });

  it('leave the config alone when not given (commander sets replay: true by default)', () => {
    const c = resolveTrainConfig(configFromFlags({ replay: true }));
    expect(c.arpo.replay).toBe(true);
    expect(c.historyLength).toBe(64);
  });

  it('name the bad value', () => {
    expect(() => resolveTrainConfig(configFromFlags({ arpoEstimator: 'rloo' }))).toThrow(/arpo\.estimator/);
    expect(() => resolveTrainConfig(configFromFlags({ eta: '-1' }))).toThrow(/refuel\.eta/);
    expect(() => configFromFlags({ historyLength: 'lots' })).toThrow(/--history-length/);
  });

  it('set the beyond-SFT options: skip groups, loss aggregation, advantage mode, REFUEL branch', () => {
    const c = resolveTrainConfig(configFromFlags({ skipGroups: 'uniform', lossAggregation: 'trajectory', mode: 'mean_norm', refuelBranch: 'success', eta: '2' }));
    expect(c.skipGroups).toBe('uniform');
    expect(c.lossAggregation).toBe('trajectory');
    expect(c.advantage.mode).toBe('mean_norm');
    expect(c.refuel).toMatchObject({ branch: 'success', eta: 2 });
    expect(() => resolveTrainConfig(configFromFlags({ refuelBranch: 'random' }))).toThrow(/refuel\.branch/);
  });
});
