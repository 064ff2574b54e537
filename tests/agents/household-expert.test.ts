import { describe, expect, it } from 'vitest';
import { isRegistered, make, register } from '../../envs/core/registry.js';
import { HouseholdEnv } from '../../envs/household/env.js';
import { householdSpec } from '../../envs/household/spec.js';
import { HOUSEHOLD_SPLITS, SPLIT_NAMES } from '../../envs/household/splits.js';
import { TASK_TYPES } from '../../envs/household/task-types.js';
import { HouseholdExpert, solveWithExpert } from '../../agents/household-expert.js';

if (!isRegistered('household-v1')) register(householdSpec);

const PER_TYPE = 20;

describe('HouseholdExpert', () => {
  for (const split of SPLIT_NAMES) {
    for (const [t, type] of TASK_TYPES.entries()) {
      it(`solves ${PER_TYPE} ${type} tasks of ${split} within the 50-step limit`, async () => {
        const env = make('household-v1');
        const slots = Math.floor((HOUSEHOLD_SPLITS[split] - t - 1) / TASK_TYPES.length) + 1;
        const failures: string[] = [];
        for (let k = 0; k < PER_TYPE; k++) {
          const index = t + TASK_TYPES.length * Math.floor((k * slots) / PER_TYPE);
          const ep = await solveWithExpert(env, { split, index }, k);
          expect(ep.task?.type).toBe(type);
          if (!ep.success) failures.push(`${split}/${index} seed ${k}: ${ep.actions.join(' | ')}`);
        }
        expect(failures).toEqual([]);
      });
    }
  }

  it('also solves easy and medium rooms', async () => {
    for (const difficulty of ['easy', 'medium'] as const) {
      const env = make('household-v1', { difficulty });
      for (let index = 0; index < 60; index++) {
        const ep = await solveWithExpert(env, { split: 'valid_seen', index }, index);
        expect(ep.success, `${difficulty} valid_seen/${index}`).toBe(true);
      }
    }
  });

  it('records a demonstration: one observation before each action, reward 1 at the end', async () => {
    const env = new HouseholdEnv();
    const ep = await solveWithExpert(env, 'household/train/00003', 1);
    expect(ep.success).toBe(true);
    expect(ep.observations).toHaveLength(ep.actions.length + 1);
    expect(ep.rewards.at(-1)).toBe(1);
    expect(ep.rewards.slice(0, -1).every((r) => r === 0)).toBe(true);
    ep.actions.forEach((a, i) => expect(ep.observations[i]!.actions).toContain(a));
    expect(JSON.parse(JSON.stringify(ep))).toEqual(ep);
  });

  it('plays from observations only, step by step, and is deterministic', async () => {
    const env = new HouseholdEnv();
    const reset = await env.reset({ task: 'household/valid_unseen/00001', seed: 7 });
    const expert = new HouseholdExpert();
    expert.reset(reset.observation);
    let obs = reset.observation;
    const actions: string[] = [];
    for (let t = 0; t < 50; t++) {
      const a = expert.act(obs);
      actions.push(a);
      const r = await env.step(a);
      expect(r.info.invalid).toBeUndefined();
      obs = r.observation;
      if (r.terminated) break;
    }
    const again = await solveWithExpert(new HouseholdEnv(), 'household/valid_unseen/00001', 7);
    expect(again.actions).toEqual(actions);
    expect(again.success).toBe(true);
  });
});
