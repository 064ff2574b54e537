import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../agents/policy/backend.js';
import { registerFastSliceKernels } from '../../../agents/lm/wasm-kernels.js';

beforeAll(async () => {
  await selectBackend();
  registerFastSliceKernels();
});

/** The box [begin, begin+size) of a row-major array of `shape`, by plain index arithmetic. */
function boxOf(values: number[], shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (axis: number, offset: number) => {
    if (axis === shape.length) {
      out.push(values[offset]!);
      return;
    }
    for (let i = 0; i < size[axis]!; i++) walk(axis + 1, offset + (begin[axis]! + i) * strides[axis]!);
  };
  walk(0, 0);
  return out;
}

describe('heap-reading Slice and SplitV (wasm)', () => {
  const shape = [3, 4, 5, 2];
  const values = Array.from({ length: 120 }, (_, i) => i * 1.5 - 7);
  const cases: [number[], number[]][] = [
    [[0, 0, 0, 0], [3, 4, 5, 2]],
    [[1, 0, 0, 0], [1, 4, 5, 2]],
    [[0, 1, 2, 0], [3, 2, 3, 2]],
    [[2, 3, 4, 1], [1, 1, 1, 1]],
    [[0, 0, 1, 1], [3, 4, 4, 1]],
    [[1, 2, 0, 0], [2, 2, 5, 2]],
  ];
  for (const [begin, size] of cases) {
    it(`slices [${begin}] + [${size}] of [${shape}]`, () => {
      const x = tf.tensor4d(values, shape as [number, number, number, number]);
      const s = tf.slice(x, begin, size);
      expect(s.shape).toEqual(size);
      expect(Array.from(s.dataSync())).toEqual(boxOf(values, shape, begin, size).map((v) => Math.fround(v)));
    });
  }

  it('splits along every axis, int32 too, and the gradient of a split flows back', () => {
    const x = tf.tensor4d(values, shape as [number, number, number, number]);
    for (let axis = 0; axis < 4; axis++) {
      const parts = tf.split(x, shape[axis]!, axis);
      expect(tf.concat(parts, axis).dataSync()).toEqual(x.dataSync());
    }
    expect(Array.from(tf.slice(tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32'), [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.split(t, [1, 2], 1)[1]!, 3)))(tf.ones([2, 3]));
    expect(Array.from(g.dataSync())).toEqual([0, 3, 3, 0, 3, 3]);
  });
});
