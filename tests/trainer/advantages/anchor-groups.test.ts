import { describe, expect, it } from 'vitest';
import { buildStepGroups, sampledHash } from '../../../trainer/advantages/anchor-groups.js';
import { indexRows } from '../../../trainer/advantages/index.js';
import { trajectoryRows, type StepRow } from '../../../trainer/rows.js';

function rowsWithAnchors(groupId: string, anchors: readonly string[]): StepRow[] {
  return trajectoryRows(
    groupId,
    `${groupId}/t`,
    anchors.map((anchor) => ({ anchor, stateKey: '', action: 'a', candidates: ['a'], logpOld: 0, reward: 0, invalid: false })),
  );
}

function groupsOf(rows: readonly StepRow[]): number[] {
  return Array.from(buildStepGroups(rows, indexRows(rows), 'observation', null).rowStepGroup);
}

describe('buildStepGroups', () => {
  it('numbers step groups densely in order of first appearance', () => {
    expect(groupsOf(rowsWithAnchors('g', ['b', 'a', 'b', 'c', 'a']))).toEqual([0, 1, 0, 2, 1]);
  });

  it('stays exact for long texts that agree on every sampled character', () => {
    // 200-character texts differing only at position 18, which the sampled hash does not read: all
    // 20 land in one bucket, which overflows its scan list into a full-string Map.
    const text = (k: number): string => `${'a'.repeat(18)}${String.fromCharCode(65 + k)}${'b'.repeat(181)}`;
    const distinct = Array.from({ length: 20 }, (_, k) => text(k));
    expect(new Set(distinct.map((s) => sampledHash(s))).size).toBe(1);
    // Fresh string objects on the second visit, as after JSON parsing.
    const revisits = distinct.map((s) => s.split('').join(''));
    const ids = groupsOf(rowsWithAnchors('g', [...distinct, ...revisits]));
    expect(ids).toEqual([...distinct.keys(), ...distinct.keys()]);
  });

  it('hashes short keys over every character', () => {
    expect(sampledHash('drawer 1')).not.toBe(sampledHash('drawer 2'));
    expect(sampledHash('x'.repeat(64))).not.toBe(sampledHash(`${'x'.repeat(63)}y`));
  });
});
