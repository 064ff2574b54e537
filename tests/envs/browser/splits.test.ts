import { describe, expect, it } from 'vitest';
import { browserTaskId, instanceSeed, resolveBrowserTask, splitSizes, TEST_SEED_OFFSET } from '../../../envs/browser/splits.js';

const TASKS = ['click-button', 'enter-text', 'shop'];
const RANGE = splitSizes(35);

describe('browser-v1 splits', () => {
  it('sizes are 1,000 train and 50 test instances per task', () => {
    expect(splitSizes(35)).toEqual({ train: 35_000, test: 1_750 });
  });

  it('split index i plays task i mod n, instance floor(i / n)', () => {
    expect(resolveBrowserTask({ split: 'train', index: 0 }, TASKS, RANGE)).toEqual({ name: 'click-button', split: 'train', instance: 0, index: 0, seed: 0, id: 'click-button/train/00000' });
    expect(resolveBrowserTask({ split: 'train', index: 7 }, TASKS, RANGE)).toMatchObject({ name: 'enter-text', instance: 2, seed: 2 });
    expect(resolveBrowserTask({ split: 'test', index: 5 }, TASKS, RANGE)).toMatchObject({ name: 'shop', instance: 1, seed: TEST_SEED_OFFSET + 1, id: 'shop/test/00001' });
  });

  it('ids resolve to the same (task, instance) and index as the split form', () => {
    const r = resolveBrowserTask('enter-text/test/00012', TASKS, RANGE);
    expect(r).toEqual({ name: 'enter-text', split: 'test', instance: 12, index: 37, seed: TEST_SEED_OFFSET + 12, id: 'enter-text/test/00012' });
    expect(resolveBrowserTask({ split: 'test', index: 37 }, TASKS, RANGE)).toEqual(r);
    expect(resolveBrowserTask({ id: 'enter-text/test/00012' }, TASKS, RANGE)).toEqual(r);
  });

  it('train and test never share an instance seed', () => {
    const train = new Set(Array.from({ length: RANGE.train }, (_, i) => instanceSeed('train', Math.floor(i / 35))));
    for (let k = 0; k < 50; k++) expect(train.has(instanceSeed('test', k))).toBe(false);
    expect(browserTaskId('click-button', 'train', 3)).toBe('click-button/train/00003');
  });

  it('bad references say what is valid', () => {
    expect(() => resolveBrowserTask({ split: 'valid', index: 0 }, TASKS, RANGE)).toThrow(/split "valid".*train \(0\.\.34999\)/);
    expect(() => resolveBrowserTask({ split: 'test', index: 1_750 }, TASKS, RANGE)).toThrow(/index 1750/);
    expect(() => resolveBrowserTask('click-dialog/test/00001', TASKS, RANGE)).toThrow(/not among this env's tasks/);
    expect(() => resolveBrowserTask('nonsense', TASKS, RANGE)).toThrow(/TASK|Unknown browser-v1 task/);
    try {
      resolveBrowserTask(42 as never, TASKS, RANGE);
    } catch (err) {
      expect((err as { code: string }).code).toBe('TASK_UNKNOWN');
    }
  });
});
