import { describe, expect, it } from 'vitest';
import {
  ADVANTAGE_OPTION_KEYS,
  DEFAULT_GIGPO_CONFIG,
  DEFAULT_GRPO_CONFIG,
  DEFAULT_RLOO_CONFIG,
  ESTIMATORS,
  ESTIMATOR_NAMES,
  resolveGigpoConfig,
  resolveGrpoConfig,
  resolveRlooConfig,
  type AdvantageOptions,
} from '../../../trainer/advantages/index.js';
import { trajectoryRows } from '../../../trainer/rows.js';

function expectRangeError(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(RangeError);
  expect((thrown as Error).message).toBe(message);
}

describe('advantage configs', () => {
  it('resolve to the documented defaults', () => {
    expect(resolveGrpoConfig()).toEqual({
      mode: 'mean_std_norm',
      eps: 1e-6,
      episodeStats: 'rows',
      singleton: 'score',
      invalidPenalty: 0.1,
    });
    expect(resolveRlooConfig()).toEqual({ episodeStats: 'rows', singleton: 'score', invalidPenalty: 0.1 });
    expect(resolveGigpoConfig()).toEqual({
      mode: 'mean_std_norm',
      eps: 1e-6,
      episodeStats: 'rows',
      singleton: 'score',
      invalidPenalty: 0.1,
      gamma: 0.95,
      stepWeight: 1,
      anchorKey: 'observation',
      enableSimilarity: false,
      similarityThreshold: 0.95,
    });
    expect(Object.isFrozen(DEFAULT_GIGPO_CONFIG)).toBe(true);
  });

  it('overlay options, treating undefined as not set and dropping other estimators’ keys', () => {
    expect(resolveGrpoConfig({ mode: 'mean_norm', eps: undefined })).toEqual({ ...DEFAULT_GRPO_CONFIG, mode: 'mean_norm' });
    const shared: AdvantageOptions = { gamma: 0.5, episodeStats: 'trajectories' };
    expect(resolveRlooConfig(shared)).toEqual({ ...DEFAULT_RLOO_CONFIG, episodeStats: 'trajectories' });
  });

  it('list every option key once', () => {
    const keys = new Set([...Object.keys(DEFAULT_GRPO_CONFIG), ...Object.keys(DEFAULT_RLOO_CONFIG), ...Object.keys(DEFAULT_GIGPO_CONFIG)]);
    expect([...ADVANTAGE_OPTION_KEYS].sort()).toEqual([...keys].sort());
  });

  it.each<[string, () => unknown, string]>([
    ['negative eps', () => resolveGrpoConfig({ eps: -1 }), 'eps must be a finite number >= 0, got -1.'],
    ['NaN eps', () => resolveGigpoConfig({ eps: NaN }), 'eps must be a finite number >= 0, got NaN.'],
    [
      'unknown mode',
      () => resolveGrpoConfig({ mode: 'std' as never }),
      "mode must be 'mean_std_norm' or 'mean_norm', got 'std'.",
    ],
    [
      'unknown episodeStats',
      () => resolveRlooConfig({ episodeStats: 'steps' as never }),
      "episodeStats must be 'rows' or 'trajectories', got 'steps'.",
    ],
    [
      'unknown singleton rule',
      () => resolveGigpoConfig({ singleton: 'raw' as never }),
      "singleton must be 'score', 'zero' or 'throw', got 'raw'.",
    ],
    [
      'negative invalidPenalty',
      () => resolveRlooConfig({ invalidPenalty: -0.1 }),
      'invalidPenalty must be a finite number >= 0, got -0.1.',
    ],
    ['gamma above 1', () => resolveGigpoConfig({ gamma: 1.5 }), 'gamma must be a number in [0, 1], got 1.5.'],
    ['negative gamma', () => resolveGigpoConfig({ gamma: -0.1 }), 'gamma must be a number in [0, 1], got -0.1.'],
    [
      'infinite stepWeight',
      () => resolveGigpoConfig({ stepWeight: Infinity }),
      'stepWeight must be a finite number >= 0, got Infinity.',
    ],
    [
      'unknown anchorKey',
      () => resolveGigpoConfig({ anchorKey: 'hash' as never }),
      "anchorKey must be 'observation' or 'stateKey', got 'hash'.",
    ],
    [
      'non-boolean enableSimilarity',
      () => resolveGigpoConfig({ enableSimilarity: 'yes' as never }),
      "enableSimilarity must be true or false, got 'yes'.",
    ],
    [
      'zero similarityThreshold',
      () => resolveGigpoConfig({ similarityThreshold: 0 }),
      'similarityThreshold must be a number in (0, 1], got 0.',
    ],
    [
      'similarityThreshold above 1',
      () => resolveGigpoConfig({ similarityThreshold: 1.2 }),
      'similarityThreshold must be a number in (0, 1], got 1.2.',
    ],
    [
      'similarity over state hashes',
      () => resolveGigpoConfig({ enableSimilarity: true, anchorKey: 'stateKey' }),
      "enableSimilarity requires anchorKey 'observation', because state keys are hashes, not text.",
    ],
    ['a misspelt key', () => resolveGigpoConfig({ gama: 0.9 } as never), "Unknown advantage option 'gama'."],
  ])('reject %s with one exact sentence', (_name, fn, message) => {
    expectRangeError(fn, message);
  });

  it('are validated by the estimators themselves', () => {
    const rows = trajectoryRows('g', 'a', [
      { anchor: 's', stateKey: 's', action: 'a', candidates: ['a'], logpOld: 0, reward: 1, invalid: false },
    ]);
    expectRangeError(() => ESTIMATORS.gigpo(rows, { gamma: 2 }), 'gamma must be a number in [0, 1], got 2.');
    expectRangeError(() => ESTIMATORS.rloo(rows, { singleton: 'nope' as never }), "singleton must be 'score', 'zero' or 'throw', got 'nope'.");
  });
});

describe('ESTIMATORS', () => {
  it('names grpo, rloo and gigpo, each taking the shared options bag', () => {
    expect(ESTIMATOR_NAMES).toEqual(['grpo', 'rloo', 'gigpo']);
    const rows = [0, 1].flatMap((k) =>
      trajectoryRows('g', `t${k}`, [
        { anchor: 's', stateKey: 's', action: 'a', candidates: ['a'], logpOld: 0, reward: k, invalid: false },
      ]),
    );
    const options: AdvantageOptions = { mode: 'mean_norm', gamma: 0.9, episodeStats: 'rows' };
    for (const name of ESTIMATOR_NAMES) {
      const result = ESTIMATORS[name](rows, options);
      expect(result.stats.estimator).toBe(name);
      expect(result.advantage).toHaveLength(2);
    }
    // mean_norm GRPO: ±0.5; RLOO: ±1; GiGPO = GRPO + step term over one shared anchor (G = {0, 1}): ±0.5 + ±0.5.
    expect(Array.from(ESTIMATORS.grpo(rows, options).advantage)).toEqual([-0.5, 0.5]);
    expect(Array.from(ESTIMATORS.rloo(rows, options).advantage)).toEqual([-1, 1]);
    expect(Array.from(ESTIMATORS.gigpo(rows, options).advantage)).toEqual([-1, 1]);
  });
});
