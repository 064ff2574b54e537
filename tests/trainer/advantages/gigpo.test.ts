import { describe, expect, it } from 'vitest';
import { gigpoAdvantages, grpoAdvantages } from '../../../trainer/advantages/index.js';
import { trajectoryRows, type StepRow } from '../../../trainer/rows.js';
import { step } from './fixtures.js';

/** A trajectory through `anchors`, paying `rewards[t]` at step t. */
function walk(groupId: string, trajId: string, anchors: readonly string[], rewards: readonly number[]): StepRow[] {
  return trajectoryRows(
    groupId,
    trajId,
    anchors.map((a, t) => step(a, rewards[t])),
  );
}

/**
 * Reference 1.5: one group, N = 3, γ = 0.95.
 * τA: S0 S1 S2, rewards 0 0 10.  τB: S0 S3 S3, rewards 0 0 0 (truncated).  τC: S0 S1, rewards 0 10.
 * Row order: A1 A2 A3 B1 B2 B3 C1 C2.
 */
function workedExample(groupId = 'g'): StepRow[] {
  return [
    ...walk(groupId, `${groupId}/A`, ['S0', 'S1', 'S2'], [0, 0, 10]),
    ...walk(groupId, `${groupId}/B`, ['S0', 'S3', 'S3'], [0, 0, 0]),
    ...walk(groupId, `${groupId}/C`, ['S0', 'S1'], [0, 10]),
  ];
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i], `index ${i}`).toBeCloseTo(e, digits));
}

describe('gigpoAdvantages: the worked example (reference 1.5)', () => {
  it('computes the discounted step returns', () => {
    const { stepReturn } = gigpoAdvantages(workedExample());
    expectClose(stepReturn!, [9.025, 9.5, 10, 0, 0, 0, 9.5, 10], 12);
  });

  it('buckets rows by anchor within the group, pooling revisits', () => {
    const { anchorGroup } = gigpoAdvantages(workedExample());
    const [a1, a2, a3, b1, b2, b3, c1, c2] = Array.from(anchorGroup);
    expect(new Set([a1, b1, c1]).size).toBe(1); // S0
    expect(a2).toBe(c2); // S1
    expect(b2).toBe(b3); // S3: two visits in one trajectory
    expect(new Set([a1, a2, a3, b2]).size).toBe(4); // S0, S1, S2, S3 are distinct
  });

  it("matches every number of the 'mean_norm' table", () => {
    const r = gigpoAdvantages(workedExample(), { mode: 'mean_norm' });
    expectClose(r.episodeAdvantage, [3.75, 3.75, 3.75, -6.25, -6.25, -6.25, 3.75, 3.75], 10);
    expectClose(r.stepAdvantage, [2.85, -0.25, 0, -6.175, 0, 0, 3.325, 0.25], 10);
    expectClose(r.advantage, [6.6, 3.5, 3.75, -12.425, -6.25, -6.25, 7.075, 4.0], 10);
  });

  it("matches every number of the 'mean_std_norm' table (the default mode)", () => {
    const r = gigpoAdvantages(workedExample());
    // Episode: mean 6.25, unbiased std 5.1755 over the 8 rows.
    expectClose(r.episodeAdvantage, [0.7246, 0.7246, 0.7246, -1.2076, -1.2076, -1.2076, 0.7246, 0.7246], 4);
    expectClose(r.stepAdvantage, [0.5324, -0.7071, 0, -1.1536, 0, 0, 0.6211, 0.7071], 4);
    expectClose(r.advantage, [1.257, 0.0175, 0.7246, -2.3612, -1.2076, -1.2076, 1.3457, 1.4317], 4);
  });

  it('adds eps to the std at both levels', () => {
    // eps = 1. Episode: (10 − 6.25)/(5.1755 + 1) = 0.60724. Step, S1 = {9.5, 10}: 0.25/(0.35355 + 1) = 0.18470.
    const r = gigpoAdvantages(workedExample(), { eps: 1 });
    expect(r.episodeAdvantage[7]).toBeCloseTo(0.60724, 4);
    expect(r.stepAdvantage[7]).toBeCloseTo(0.1847, 4);
  });

  it('uses per-trajectory episode statistics when asked (mean 6.667, std 5.7735)', () => {
    const std = gigpoAdvantages(workedExample(), { episodeStats: 'trajectories' });
    // A and C: (10 − 6.6667)/5.7735 = 0.57735; B: −6.6667/5.7735 = −1.1547
    expectClose(std.episodeAdvantage, [0.57735, 0.57735, 0.57735, -1.1547, -1.1547, -1.1547, 0.57735, 0.57735], 4);
    const mean = gigpoAdvantages(workedExample(), { episodeStats: 'trajectories', mode: 'mean_norm' });
    expectClose(mean.episodeAdvantage, [10 / 3, 10 / 3, 10 / 3, -20 / 3, -20 / 3, -20 / 3, 10 / 3, 10 / 3], 10);
    // The step level does not depend on the episode statistics.
    expectClose(mean.stepAdvantage, [2.85, -0.25, 0, -6.175, 0, 0, 3.325, 0.25], 10);
  });

  it('reports step-group statistics', () => {
    const { stats } = gigpoAdvantages(workedExample());
    expect(stats.step).toEqual({
      stepGroups: 4,
      meanStepGroupSize: 2,
      maxStepGroupSize: 3,
      singletonStepGroups: 1,
      fracSingletonStepGroups: 0.25,
      zeroStdStepGroups: 1,
    });
    expect(stats).toMatchObject({ estimator: 'gigpo', episodeStats: 'rows', rows: 8, trajectories: 3, groups: 1 });
  });
});

describe('gigpoAdvantages: rules', () => {
  it('gives an episode singleton its raw score but a step singleton 0, in both modes', () => {
    const rows = walk('lone', 'lone/0', ['S0'], [5]);
    for (const mode of ['mean_norm', 'mean_std_norm'] as const) {
      const r = gigpoAdvantages(rows, { mode });
      expect(r.episodeAdvantage[0]).toBe(5);
      expect(r.stepAdvantage[0]).toBe(0);
      expect(r.advantage[0]).toBe(5);
    }
    expect(gigpoAdvantages(rows, { singleton: 'zero' }).advantage[0]).toBe(0);
  });

  it('gives exactly 0 to a step group whose returns are all equal, even with eps 0', () => {
    // Three trajectories reach anchor X with G = 0.1 each; their mean 0.30000000000000004/3 ≠ 0.1.
    const rows = [
      ...walk('g', 'a', ['X'], [0.1]),
      ...walk('g', 'b', ['X'], [0.1]),
      ...walk('g', 'c', ['X'], [0.1]),
      ...walk('g', 'd', ['Y'], [1]),
    ];
    const r = gigpoAdvantages(rows, { eps: 0 });
    expect(Array.from(r.stepAdvantage)).toEqual([0, 0, 0, 0]);
    expect(r.stats.step!.zeroStdStepGroups).toBe(1);
  });

  it('weights the step term by ω and reduces to GRPO when ω = 0 or no anchor repeats', () => {
    const rows = workedExample();
    const half = gigpoAdvantages(rows, { mode: 'mean_norm', stepWeight: 0.5 }).advantage;
    expectClose(half, [3.75 + 1.425, 3.75 - 0.125, 3.75, -6.25 - 3.0875, -6.25, -6.25, 3.75 + 1.6625, 3.75 + 0.125], 10);

    const grpo = Array.from(grpoAdvantages(rows).advantage);
    expect(Array.from(gigpoAdvantages(rows, { stepWeight: 0 }).advantage)).toEqual(grpo);

    const distinct = rows.map((row, i) => ({ ...row, anchor: `unique-${i}` }));
    const r = gigpoAdvantages(distinct);
    expect(Array.from(r.advantage)).toEqual(grpo);
    expect(r.stats.step!.fracSingletonStepGroups).toBe(1);
  });

  it('discounts with γ from the immediate rewards', () => {
    // γ = 0.5: G_A = [2.5, 5, 10], G_B = [0, 0, 0], G_C = [5, 10].
    // S0 = {2.5, 0, 5}: mean 2.5 → A^S = [0, −2.5, 2.5];  S1 = {5, 10}: mean 7.5 → [−2.5, 2.5].
    const r = gigpoAdvantages(workedExample(), { gamma: 0.5, mode: 'mean_norm' });
    expectClose(r.stepReturn!, [2.5, 5, 10, 0, 0, 0, 5, 10], 12);
    expectClose(r.stepAdvantage, [0, -2.5, 0, -2.5, 0, 0, 2.5, 2.5], 12);
    // γ = 1: every step of a successful trajectory returns 10, so S0 = {10, 0, 10} and S1 = {10, 10}.
    const undiscounted = gigpoAdvantages(workedExample(), { gamma: 1, mode: 'mean_norm' });
    expectClose(undiscounted.stepAdvantage, [10 / 3, 0, 0, -20 / 3, 0, 0, 10 / 3, 0], 10);
  });

  it("penalizes an invalid row's episode score and its own step return only", () => {
    // τA: S0, S1 (invalid), reward 10 at the end; τB: S0, S1, no reward. γ = 0.5, mean_norm.
    const rows = [
      ...trajectoryRows('g', 'A', [step('S0'), step('S1', 10, { invalid: true })]),
      ...trajectoryRows('g', 'B', [step('S0'), step('S1')]),
    ];
    const r = gigpoAdvantages(rows, { gamma: 0.5, mode: 'mean_norm' });
    // G_A = [5 (not 4.95: no propagation), 10 − 0.1]; G_B = [0, 0]
    expectClose(r.stepReturn!, [5, 9.9, 0, 0], 12);
    // scores [10, 9.9, 0, 0]: mean 4.975
    expectClose(r.episodeAdvantage, [5.025, 4.925, -4.975, -4.975], 12);
    expectClose(r.stepAdvantage, [2.5, 4.95, -2.5, -4.95], 12);
  });

  it('never pools anchors across episode groups', () => {
    const rows = [...workedExample('g1'), ...workedExample('g2')];
    const r = gigpoAdvantages(rows, { mode: 'mean_norm' });
    const one = gigpoAdvantages(workedExample('g1'), { mode: 'mean_norm' });
    expect(Array.from(r.advantage)).toEqual([...one.advantage, ...one.advantage]);
    expect(r.anchorGroup[0]).not.toBe(r.anchorGroup[8]); // S0 in g1 vs S0 in g2
    expect(r.stats.step!.stepGroups).toBe(8);
  });

  it('lets a step group grow past N when a trajectory revisits a state', () => {
    const rows = [
      ...walk('g', 'loop', ['hall', 'hall', 'hall', 'hall', 'hall'], [0, 0, 0, 0, 0]),
      ...walk('g', 'win', ['hall', 'door'], [0, 1]),
    ];
    const r = gigpoAdvantages(rows, { gamma: 0.5, mode: 'mean_norm' });
    expect(r.stats.step!.maxStepGroupSize).toBe(6);
    // hall = {0 × 5, 0.5}: mean 1/12, so the loop's visits are penalized against the winner's.
    expectClose(r.stepAdvantage, [-1 / 12, -1 / 12, -1 / 12, -1 / 12, -1 / 12, 5 / 12, 0], 12);
  });
});

describe('gigpoAdvantages: anchors', () => {
  const kitchen = 'You are in the kitchen. You see a red apple.';
  const kitchen2 = 'You are in the kitchen. You see a red apples.';

  function nearDuplicates(): StepRow[] {
    return [...walk('g', 'a', [kitchen, 'done'], [0, 1]), ...walk('g', 'b', [kitchen2, 'lost'], [0, 0])];
  }

  it('groups exact text only by default', () => {
    const r = gigpoAdvantages(nearDuplicates(), { mode: 'mean_norm', gamma: 0.5 });
    expect(r.anchorGroup[0]).not.toBe(r.anchorGroup[2]);
    expect(Array.from(r.stepAdvantage)).toEqual([0, 0, 0, 0]);
  });

  it('pools similar texts at or above the threshold (ratio 2·44/89 = 0.9888 here)', () => {
    const pooled = gigpoAdvantages(nearDuplicates(), {
      mode: 'mean_norm',
      gamma: 0.5,
      enableSimilarity: true,
      similarityThreshold: 0.95,
    });
    expect(pooled.anchorGroup[0]).toBe(pooled.anchorGroup[2]);
    // {0.5, 0}: mean 0.25
    expectClose(pooled.stepAdvantage, [0.25, 0, -0.25, 0], 12);

    const strict = gigpoAdvantages(nearDuplicates(), { enableSimilarity: true, similarityThreshold: 0.99 });
    expect(strict.anchorGroup[0]).not.toBe(strict.anchorGroup[2]);
  });

  it("compares a new text with each cluster's first member only (greedy first fit)", () => {
    // ratio(aaaa, aaab) = 0.75, ratio(aaaa, aabb) = 0.5, ratio(aaab, aabb) = 0.75.
    // At 0.7: aaab joins aaaa's cluster; aabb is close to aaab but not to the representative aaaa.
    const rows = [
      ...walk('g', 'x', ['aaaa'], [0]),
      ...walk('g', 'y', ['aaab'], [0]),
      ...walk('g', 'z', ['aabb'], [0]),
      ...walk('g', 'w', ['aaab'], [0]),
    ];
    const { anchorGroup } = gigpoAdvantages(rows, { enableSimilarity: true, similarityThreshold: 0.7 });
    expect(anchorGroup[0]).toBe(anchorGroup[1]);
    expect(anchorGroup[2]).not.toBe(anchorGroup[0]);
    expect(anchorGroup[3]).toBe(anchorGroup[1]);
  });

  it("groups by the env's state key when anchorKey is 'stateKey'", () => {
    // "Nothing happens." in two different true states (aliased text), and one state shown with two texts.
    const rows = [
      ...trajectoryRows('g', 'a', [step('Nothing happens.', 0, { stateKey: 'holding-apple' }), step('end', 1)]),
      ...trajectoryRows('g', 'b', [step('Nothing happens.', 0, { stateKey: 'empty-handed' }), step('end', 0)]),
      ...trajectoryRows('g', 'c', [step('You hold an apple.', 0, { stateKey: 'holding-apple' }), step('end', 0)]),
    ];
    const byText = gigpoAdvantages(rows).anchorGroup;
    expect(byText[0]).toBe(byText[2]);
    expect(byText[0]).not.toBe(byText[4]);
    const byState = gigpoAdvantages(rows, { anchorKey: 'stateKey' }).anchorGroup;
    expect(byState[0]).not.toBe(byState[2]);
    expect(byState[0]).toBe(byState[4]);
  });
});
