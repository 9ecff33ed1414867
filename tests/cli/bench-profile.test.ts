// What limits a bench figure: the profile of one training step and one greedy token counts real
// kernels and reads, splits the kernel time into matmul and the rest, and leaks nothing.
import * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { profileGreedyToken, profileTrainStep } from '../../src/bench/bench-profile';
import { formatProfileTable, type BenchRow } from '../../src/bench/bench-table';
import { initParams, disposeParams, type NetworkConfig } from '../../src/model';
import type { HostBatch } from '../../src/data/host-batch';

const network: NetworkConfig = {
  vocabSize: 40,
  embeddingDim: 8,
  hiddenSize: 16,
  numLayers: 1,
  bidirectionalEncoder: true,
  attentionHeads: 2,
  dropout: 0,
  copyMechanism: true,
  maxSourceLength: 10,
  maxTargetLength: 10,
};

function batch(): HostBatch {
  const [b, s, t] = [2, 6, 4];
  return {
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
}

describe('bench profile', () => {
  beforeAll(async () => {
    await tfjs.setBackend('cpu');
  });

  it('counts the kernels, reads and matmul time of a training step and a greedy token, without leaks', async () => {
    const params = initParams(network, 1);
    const before = tfjs.memory().numTensors;
    const step = await profileTrainStep(network, params, batch());
    const token = await profileGreedyToken(network, params, batch(), 3);
    expect(tfjs.memory().numTensors).toBe(before);
    disposeParams(params);

    for (const p of [step, token]) {
      expect(p.dispatches).toBeNull(); // WebGPU only
      expect(p.readbacks).toBeGreaterThanOrEqual(1); // the loss, or the token picked
      expect(p.bytesReadBack).toBeGreaterThan(0);
      expect(p.kernelMs).not.toBeNull();
      expect(p.matmulMs!).toBeGreaterThan(0);
      expect(p.matmulMs!).toBeLessThanOrEqual(p.kernelMs!);
      expect(p.top.length).toBeGreaterThan(0);
      // The heaviest (kernel, shapes) pairs: sorted, and no more time than the whole.
      expect(p.heaviest!.length).toBeGreaterThan(0);
      const ms = p.heaviest!.map((k) => k.ms);
      expect(ms).toEqual([...ms].sort((a, b) => b - a));
      expect(ms.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(p.kernelMs! * 1.0001);
    }
    // Input shapes as `[a,b] [c]` or `60 × [a,b]`; under load the heaviest may take a scalar (`[] [2,1]`).
    expect(step.heaviest![0]!.shapes).toMatch(/^(\d+ × )?\[(\d+(,\d+)*)?\]/);
    expect(step.kernels).toBeGreaterThan(10 * token.kernels); // backward and all steps against one step

    const row = {
      preset: 'tiny',
      backend: 'cpu',
      profile: { trainStep: step, greedyToken: token },
    } as unknown as BenchRow;
    const table = formatProfileTable([row]);
    expect(table).toContain('| tiny | cpu | – | train step |');
    expect(table).toContain('| greedy token |');
    expect(table).toMatch(/\d+%/);
    expect(table).toContain('Heaviest kernels by input shapes');
  });

  it('writes a run of equal input shapes once, with its count', async () => {
    const { describeShapes } = await import('../../src/bench/bench-profile');
    expect(
      describeShapes([
        [32, 128],
        [32, 1],
      ]),
    ).toBe('[32,128] [32,1]');
    expect(describeShapes([[2], [2], [4], [4], [4], [1]])).toBe('[2] [2] 3 × [4] [1]');
    expect(describeShapes(Array(60).fill([32, 512]))).toBe('60 × [32,512]');
    expect(describeShapes([])).toBe('');
  });

  it('puts the stock-kernel baseline beside our figures, as a ratio', async () => {
    const { formatTable } = await import('../../src/bench/bench-table');
    const row = {
      preset: 'seed',
      backend: 'webgpu',
      place: 'worker',
      parameters: 10,
      trainStepMs: 100,
      tokensPerSecond: 1,
      greedyMsPerToken: 2,
      beam5MsPerAnswer: 1,
      loadMs: 1,
      tensorsBefore: 0,
      tensorsAfter: 0,
      bytesAfter: 0,
      baseline: { parameters: 10, trainStepMs: 150, greedyMsPerToken: 3 },
      stockBaseline: { trainStepMs: 400, greedyMsPerToken: 5 },
    } as BenchRow;
    const table = formatTable([row]);
    expect(table).toContain('150.0 (1.50×)');
    expect(table).toContain('| seed | webgpu | worker | 100.0 | 400.0 (4.00×) | 2.00 | 5.00 (2.50×) |');
    expect(formatTable([{ ...row, stockBaseline: null }])).not.toContain('stock');
  });
});
