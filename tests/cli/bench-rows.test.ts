// The bench's rows of one comparison: measured in alternating rounds (each measurement entered
// through its own variant), a median and spread per figure, no tensors left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { benchRows } from '../../src/bench/bench-core';
import { initNodeBackend } from '../../src/platform/node/node';
import { setProjectWasmKernels } from '../../src/platform/kernels/wasm-kernels';

describe('bench rows', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('alternates the variants round by round and gives each its own row', async () => {
    const entered: string[] = [];
    const variant = (label: string) => ({
      label,
      enter: () => {
        entered.push(label);
        setProjectWasmKernels(label === 'ours');
      },
      baseline: false,
    });
    const environment = { cores: 2, cpu: 'test', crossOriginIsolated: null, threads: 1, torch: null };
    let rows;
    try {
      rows = await benchRows('tiny', [variant('ours'), variant('stock')], 2, { profile: false, environment });
    } finally {
      setProjectWasmKernels(true);
    }
    // Loads (3 rounds), then training: 2 warm-up and 2 timed rounds, the order flipping each round.
    const training = entered.slice(6, 14);
    expect(training).toEqual(['ours', 'stock', 'stock', 'ours', 'ours', 'stock', 'stock', 'ours']);
    expect(entered.slice(0, 6)).toEqual(['ours', 'stock', 'stock', 'ours', 'ours', 'stock']);
    expect(rows.map((r) => r.backend)).toEqual(['ours', 'stock']);
    for (const r of rows) {
      expect(r.spread!.trainStepMs.n).toBe(2);
      expect(r.spread!.greedyMsPerToken.n).toBe(2);
      expect(r.spread!.beam5MsPerAnswer.n).toBe(2);
      expect(r.trainStepMs).toBe(r.spread!.trainStepMs.median);
      expect(r.spread!.trainStepMs.min).toBeLessThanOrEqual(r.trainStepMs);
      expect(r.firstGreedyAnswerMs).toBeGreaterThan(0);
      expect(r.floorMs).toBeNull(); // no profile, no floor
      expect(r.tensorsAfter).toBe(r.tensorsBefore);
      expect(r.environment).toEqual(environment);
    }
    expect(rows[0]!.alternatedWith).toEqual(['stock']);
    expect(rows[1]!.alternatedWith).toEqual(['ours']);
  }, 240_000);
});
