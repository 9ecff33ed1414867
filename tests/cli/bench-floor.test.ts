// The floor of a training step: matmul shapes read off the profile, their FLOPs, and each shape
// timed alone on the backend.
import * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { matmulFlops, measureFloor, transposesOf } from '../../src/bench/bench-floor';
import { profileTrainStep } from '../../src/bench/bench-profile';
import { initParams, disposeParams, type NetworkConfig } from '../../src/model';
import type { HostBatch } from '../../src/data/host-batch';

describe('bench floor', () => {
  beforeAll(async () => {
    await tfjs.setBackend('cpu');
  });

  it('reads which operands a matmul transposed from the shapes, and counts 2·m·n·k', () => {
    expect(transposesOf([32, 128], [128, 512], [32, 512])).toEqual({ transposeA: false, transposeB: false });
    expect(transposesOf([32, 128], [32, 512], [128, 512])).toEqual({ transposeA: true, transposeB: false });
    expect(transposesOf([32, 512], [128, 512], [32, 128])).toEqual({ transposeA: false, transposeB: true });
    expect(transposesOf([32, 16, 60], [32, 60, 2000], [32, 16, 2000])).toEqual({
      transposeA: false,
      transposeB: false,
    });
    expect(transposesOf([3, 4], [5, 6], [3, 6])).toBeNull();
    expect(matmulFlops([32, 128], [128, 512], [32, 512])).toBe(2 * 32 * 512 * 128);
    expect(matmulFlops([32, 128], [32, 512], [128, 512])).toBe(2 * 128 * 512 * 32);
    expect(matmulFlops([32, 16, 60], [32, 60, 2000], [32, 16, 2000])).toBe(2 * 32 * 16 * 2000 * 60);
    expect(matmulFlops([3, 4], [5, 6], [3, 6])).toBe(0);
  });

  it('times each shape alone and adds them up by count, leaking nothing', async () => {
    const before = tfjs.memory().numTensors;
    const shape = { a: [16, 64], b: [64, 64], out: [16, 64] };
    const once = await measureFloor([{ ...shape, count: 1 }], 5);
    const thrice = await measureFloor([{ ...shape, count: 3 }], 5);
    expect(tfjs.memory().numTensors).toBe(before);
    expect(once.gflop).toBeCloseTo((2 * 16 * 64 * 64) / 1e9, 12);
    expect(thrice.gflop).toBeCloseTo(3 * once.gflop, 12);
    expect(once.floorMs).toBeGreaterThan(0);
    expect(once.gflopsPerSecond).toBeCloseTo(once.gflop / (once.floorMs / 1000), 6);
    // The same shape three times: about three times the floor (timed twice, so not exactly).
    expect(thrice.floorMs / once.floorMs).toBeGreaterThan(1);
    expect(await measureFloor([])).toMatchObject({ floorMs: 0, gflop: 0 });
  });

  it("lists a training step's matmuls by shape, the same FLOPs as the network's products", async () => {
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
    const [b, s, t] = [2, 6, 4];
    const batch: HostBatch = {
      batchSize: b,
      sourceLength: s,
      targetLength: t,
      numOovs: 0,
      srcIds: Int32Array.from({ length: b * s }, (_, i) => 4 + (i % 30)),
      srcExtIds: Int32Array.from({ length: b * s }, (_, i) => 4 + (i % 30)),
      srcMask: new Float32Array(b * s).fill(1),
      tgtInIds: Int32Array.from({ length: b * t }, (_, i) => (i % t === 0 ? 2 : 5 + i)),
      tgtOutExtIds: Int32Array.from({ length: b * t }, (_, i) => 6 + i),
      tgtMask: new Float32Array(b * t).fill(1),
    };
    const params = initParams(network, 1);
    const step = await profileTrainStep(network, params, batch);
    disposeParams(params);
    const matmuls = step.matmuls!;
    expect(matmuls.length).toBeGreaterThan(0);
    for (const m of matmuls) expect(transposesOf(m.a, m.b, m.out), JSON.stringify(m)).not.toBeNull();
    // The output projection [b·t, H]·[H, V] runs once forward; its two gradients run once each.
    const flops = matmuls.reduce((sum, m) => sum + m.count * matmulFlops(m.a, m.b, m.out), 0);
    expect(flops).toBeGreaterThanOrEqual(3 * 2 * b * t * network.hiddenSize * network.vocabSize);
    // Each encoder step multiplies [b, H] by the recurrent [H, 4H] weights, forward and twice back.
    const recurrent = matmuls.find((m) => m.b.join() === `${network.hiddenSize},${4 * network.hiddenSize}`);
    expect(recurrent?.count).toBeGreaterThanOrEqual(s);
  });
});
