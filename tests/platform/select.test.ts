import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/platform/node/node';
import {
  attemptOrder,
  preferFastOrder,
  selectBackend,
  softwareGpuReason,
  softwareRendererIn,
} from '../../src/platform/shared/select';

describe('attemptOrder', () => {
  it('puts the requested backend first and keeps the rest in order', () => {
    expect(attemptOrder(['webgpu', 'webgl', 'wasm', 'cpu'], 'wasm')).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
  });
  it('ignores an unknown request', () => {
    expect(attemptOrder(['wasm', 'cpu'], 'tpu')).toEqual(['wasm', 'cpu']);
  });
});

describe('initNodeBackend', () => {
  it('prefers wasm in Node and computes on it', async () => {
    const report = await initNodeBackend();
    expect(report.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.fallbacks).toEqual([]);
    expect(Array.from(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1)).dataSync())).toEqual([2, 3]);
  });

  it('honours a request for cpu', async () => {
    const report = await initNodeBackend('cpu');
    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('falls back from webgpu with the reason', async () => {
    const report = await initNodeBackend('webgpu');
    expect(report.backend).toBe('wasm');
    expect(report.fallbacks).toHaveLength(1);
    expect(report.fallbacks[0]!.backend).toBe('webgpu');
    expect(report.fallbacks[0]!.reason).toMatch(/not available/);
  });

  it('reports an unknown request and still starts', async () => {
    const report = await initNodeBackend('tpu');
    expect(report.backend).toBe('wasm');
    expect(report.fallbacks[0]).toEqual({ backend: 'tpu', reason: expect.stringContaining('unknown backend "tpu"') });
  });

  it('registers the embedding-gradient kernel (UnsortedSegmentSum) on wasm', async () => {
    await initNodeBackend('wasm');
    const table = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    const grads = tf.variableGrads(() => tf.sum(tf.gather(table, tf.tensor1d([2, 0, 2], 'int32'))));
    expect(Array.from(grads.grads[table.name]!.dataSync())).toEqual([1, 1, 0, 0, 2, 2]);
    tf.dispose([table, grads.value, ...Object.values(grads.grads)]);
  });
});

describe('selectBackend', () => {
  it('gives up on a backend whose start hangs, within the time limit, and says so', async () => {
    const started = performance.now();
    const report = await selectBackend({
      order: ['webgl', 'cpu'],
      timeoutMs: 300,
      start: (name) => (name === 'webgl' ? new Promise<boolean>(() => {}) : Promise.resolve(true)),
    });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(report.backend).toBe('cpu');
    expect(report.fallbacks).toEqual([{ backend: 'webgl', reason: 'starting webgl did not finish within 0.3 s' }]);
  });

  it('passes over a backend that throws or refuses, with the reason', async () => {
    const report = await selectBackend({
      order: ['webgpu', 'webgl', 'cpu'],
      start: async (name) => {
        if (name === 'webgpu') throw new Error('device lost during start');
        return name === 'cpu';
      },
    });
    expect(report.backend).toBe('cpu');
    expect(report.fallbacks.map((f) => f.reason)).toEqual([
      'device lost during start',
      "tf.setBackend('webgl') failed to initialise the backend",
    ]);
  });

  it('throws with every reason when nothing starts', async () => {
    await expect(selectBackend({ order: ['wasm', 'cpu'], start: async () => false })).rejects.toThrow(
      /no TensorFlow.js backend could start: wasm: .*; cpu: /,
    );
  });
});

describe('software-rendered GPUs go after wasm', () => {
  it('recognises SwiftShader and other CPU renderers, not hardware GPUs', () => {
    expect(softwareRendererIn('google swiftshader ')).toBe('swiftshader');
    expect(
      softwareRendererIn(
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      ),
    ).toBe('SwiftShader');
    expect(softwareRendererIn('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRendererIn('ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBeNull();
    expect(softwareRendererIn('nvidia hopper ')).toBeNull();
  });

  it('moves software GPUs to just after wasm and keeps hardware ones first', () => {
    const order = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
    expect(
      preferFastOrder(
        order,
        new Map([
          ['webgpu', 'x'],
          ['webgl', 'y'],
        ]),
      ),
    ).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(preferFastOrder(order, new Map([['webgpu', 'x']]))).toEqual(['webgl', 'wasm', 'webgpu', 'cpu']);
    expect(preferFastOrder(order, new Map())).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('reports a deferred GPU as passed over, with why, when wasm starts', async () => {
    const reason = softwareGpuReason('webgpu', 'swiftshader');
    const report = await selectBackend({
      order: ['wasm', 'webgpu', 'cpu'],
      deferred: new Map([['webgpu', reason]]),
      start: async () => true,
    });
    expect(report.backend).toBe('wasm');
    expect(report.fallbacks).toEqual([{ backend: 'webgpu', reason }]);
    expect(reason).toContain('?backend=webgpu');
  });
});
