import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { PolicyError, currentBackend, explainLoadError, selectBackend } from '../../../agents/policy/index.js';

describe('selectBackend', () => {
  it('falls to wasm here and reports every backend it tried', async () => {
    const sel = await selectBackend();
    expect(sel.name).toBe('wasm');
    expect(sel.tfBackend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(sel.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(sel.tried[0]?.error).toMatch(/tfjs-node-gpu/);
    expect(sel.tried[1]?.error).toMatch(/tfjs-node/);
    expect(sel.tried[2]?.error).toBeUndefined();
    expect(currentBackend()).toBe(sel);
  });

  it('is idempotent', async () => {
    const a = await selectBackend();
    const b = await selectBackend({ prefer: 'auto' });
    expect(b).toBe(a);
  });

  it('registers the kernels wasm lacks, so gather has a gradient', async () => {
    await selectBackend();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    const x = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(tf.gather(x, tf.tensor1d([0, 2, 2], 'int32')), tf.tensor2d([[1, 1], [2, 2], [3, 3]]))),
      [x],
    );
    expect(Array.from(grads[x.name]!.dataSync())).toEqual([1, 1, 0, 0, 5, 5]);
    x.dispose();
  });

  it('fails clearly when a forced backend is unavailable, and keeps the current one', async () => {
    await selectBackend();
    const err = await selectBackend({ prefer: 'tensorflow-gpu' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('BACKEND_UNAVAILABLE');
    expect((err as PolicyError).message).toMatch(/npm install @tensorflow\/tfjs-node-gpu/);
    const err2 = await selectBackend({ prefer: 'tensorflow' }).catch((e: unknown) => e);
    expect((err2 as PolicyError).message).toMatch(/npm install @tensorflow\/tfjs-node/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend name', async () => {
    const err = await selectBackend({ prefer: 'webgpu' as never }).catch((e: unknown) => e);
    expect((err as PolicyError).code).toBe('BACKEND_UNAVAILABLE');
    expect((err as PolicyError).message).toMatch(/Unknown backend 'webgpu'/);
  });

  it('uses cpu only when asked, and warns loudly', async () => {
    const warnings: string[] = [];
    const sel = await selectBackend({ prefer: 'cpu', warn: (m) => warnings.push(m) });
    expect(sel.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(warnings.join('\n')).toMatch(/WARNING.*pure-JS `cpu` backend/);
    const back = await selectBackend();
    expect(back.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('tells an absent package from one whose native binding does not load', () => {
    const absent = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu'"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(explainLoadError('@tensorflow/tfjs-node-gpu', absent, false)).toBe('@tensorflow/tfjs-node-gpu is not installed');
    const noBinding = Object.assign(new Error("Cannot find module './lib/napi-v8/tfjs_binding.node'\nRequire stack:\n- x"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(explainLoadError('@tensorflow/tfjs-node-gpu', noBinding, true)).toBe(
      "@tensorflow/tfjs-node-gpu is installed but did not load: Cannot find module './lib/napi-v8/tfjs_binding.node'",
    );
    const dlopen = Object.assign(new Error('libcudart.so.11.0: cannot open shared object file'), { code: 'ERR_DLOPEN_FAILED' });
    expect(explainLoadError('@tensorflow/tfjs-node-gpu', dlopen, true)).toMatch(/installed but did not load: libcudart/);
  });
});
