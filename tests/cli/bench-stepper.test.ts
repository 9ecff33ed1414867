// The training loop driven a step at a time: each step() runs exactly one step of the real loop,
// steps of two loops interleave, and finish() ends the loop with nothing left behind.
import * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { steppedTraining } from '../../src/bench/bench-stepper';
import { initParams, disposeParams, type NetworkConfig } from '../../src/model';
import type { HostBatch } from '../../src/data/host-batch';

const network: NetworkConfig = {
  vocabSize: 40,
  embeddingDim: 8,
  hiddenSize: 16,
  numLayers: 1,
  bidirectionalEncoder: false,
  attentionHeads: 1,
  dropout: 0,
  copyMechanism: false,
  maxSourceLength: 10,
  maxTargetLength: 10,
};
const [B, S, T] = [2, 6, 4];
const batch: HostBatch = {
  batchSize: B,
  sourceLength: S,
  targetLength: T,
  numOovs: 0,
  srcIds: Int32Array.from({ length: B * S }, (_, i) => 4 + (i % 30)),
  srcExtIds: Int32Array.from({ length: B * S }, (_, i) => 4 + (i % 30)),
  srcMask: new Float32Array(B * S).fill(1),
  tgtInIds: Int32Array.from({ length: B * T }, (_, i) => (i % T === 0 ? 2 : 5 + i)),
  tgtOutExtIds: Int32Array.from({ length: B * T }, (_, i) => 6 + i),
  tgtMask: new Float32Array(B * T).fill(1),
};

describe('stepped training', () => {
  beforeAll(async () => {
    await tfjs.setBackend('cpu');
  });

  it('runs one step per call, interleaves two loops, learns, and leaks nothing', async () => {
    const before = tfjs.memory().numTensors;
    const paramsA = initParams(network, 1);
    const paramsB = initParams(network, 1);
    const a = steppedTraining(network, paramsA, batch);
    const b = steppedTraining(network, paramsB, batch);
    const order: string[] = [];
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const ra = await a.step();
      order.push(`a${ra.step}`);
      losses.push(ra.loss);
      const rb = await b.step();
      order.push(`b${rb.step}`);
      expect(rb.loss).toBeCloseTo(ra.loss, 5); // same weights, same batch, same seeds
      expect(ra.stepMs).toBeGreaterThan(0);
    }
    expect(order).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4']);
    expect(losses[3]!).toBeLessThan(losses[0]!); // Adam's state carries from step to step
    await Promise.all([a.finish(), b.finish()]);
    disposeParams(paramsA);
    disposeParams(paramsB);
    expect(tfjs.memory().numTensors).toBe(before);
  });

  it('rejects the step that fails, and still finishes', async () => {
    const params = initParams(network, 1);
    const broken = { ...batch, tgtOutExtIds: new Int32Array(B * T).fill(-5) }; // no such token
    const loop = steppedTraining(network, params, { ...broken, tgtMask: new Float32Array(B * T).fill(NaN) });
    await expect(loop.step()).rejects.toThrow();
    await expect(loop.step()).rejects.toThrow();
    await loop.finish();
    disposeParams(params);
  });
});
